-- The district (区) on every hot table, ready for Citus (docs/scaling.md): a guard, a sampler, a
-- community worker and a street HQ never work outside their district, so the district is the
-- distribution column, and every hot query names it (HotQueriesTest).
--
-- A row's district is the first node on its path that is neither a PROVINCE nor a CITY: the district
-- itself in an installation rooted at a city or province, the root in one rooted at a district. A row
-- placed at a city or province (a city-wide round, an SMS of the city HQ) belongs to that node, its own
-- "district". The database derives it, so no insert changes: from the row's path, or copied from the
-- row it hangs on (a scan from its checkpoint, a swab from its tube, a check-in from its quarantine,
-- an audit row from its actor's node). Nodes are not moved between districts; if one ever is, rerun
-- the updates below for its rows.

create function district_of(p text) returns bigint language sql stable parallel safe as $$
    select coalesce(
        (select n.id from division_node n
          where n.id = any(string_to_array(trim(both '/' from p), '/')::bigint[])
            and n.kind not in ('PROVINCE', 'CITY')
          order by length(n.path) limit 1),
        (string_to_array(trim(both '/' from p), '/')::bigint[])[cardinality(string_to_array(trim(both '/' from p), '/'))])
$$;

-- The districts a scope reaches: its own for a scope at or below a district; for a city or province,
-- every district under it and the city and province nodes themselves. Scoped hot queries filter with
-- district_id = any(districts_under(:scope)), which the index can seek and Citus can prune.
create function districts_under(scope text) returns bigint[] language sql stable parallel safe as $$
    select case
        when scope = '/' or exists (select 1 from division_node n where n.path = scope and n.kind in ('PROVINCE', 'CITY'))
        then (select array_agg(n.id) from division_node n
               where n.path like scope || '%'
                 and (n.kind in ('PROVINCE', 'CITY')
                      or not exists (select 1 from division_node p
                                      where p.id = n.parent_id and p.kind not in ('PROVINCE', 'CITY'))))
        else array[district_of(scope)]
    end
$$;

create function set_district_from_path() returns trigger language plpgsql as $$
begin
    new.district_id := district_of(new.path);
    return new;
end $$;

-- Checkpoints: from their path (set by checkpoint_path, which fires first: triggers run by name).
alter table checkpoint add column district_id bigint;
update checkpoint set district_id = district_of(path);
alter table checkpoint alter column district_id set not null;
create trigger checkpoint_path_district before insert or update of node_id, path on checkpoint
    for each row execute function set_district_from_path();

create function set_district_from_checkpoint() returns trigger language plpgsql as $$
begin
    select k.district_id into new.district_id from checkpoint k where k.id = new.checkpoint_id;
    return new;
end $$;

-- Gate scans and visits: from their checkpoint. The retry key is unique per district as Citus
-- requires (the checkpoint fixes the district, so the rule is the same); the insert names the key
-- in its on conflict clause, not the value, so it still does not change.
alter table gate_scan add column district_id bigint;
update gate_scan s set district_id = k.district_id from checkpoint k where k.id = s.checkpoint_id;
alter table gate_scan alter column district_id set not null;
create trigger gate_scan_district before insert on gate_scan
    for each row execute function set_district_from_checkpoint();
alter table gate_scan drop constraint gate_scan_checkpoint_id_idempotency_key_key;
alter table gate_scan add constraint gate_scan_key unique (district_id, checkpoint_id, idempotency_key);
drop index gate_scan_checkpoint_time;
create index gate_scan_checkpoint_time on gate_scan (district_id, checkpoint_id, scanned_at);

alter table gate_visit add column district_id bigint;
update gate_visit v set district_id = k.district_id from checkpoint k where k.id = v.checkpoint_id;
alter table gate_visit alter column district_id set not null;
create trigger gate_visit_district before insert on gate_visit
    for each row execute function set_district_from_checkpoint();
alter table gate_visit drop constraint gate_visit_checkpoint_id_idempotency_key_key;
alter table gate_visit add constraint gate_visit_key unique (district_id, checkpoint_id, idempotency_key);
drop index gate_visit_checkpoint_time;
create index gate_visit_checkpoint_time on gate_visit (district_id, checkpoint_id, at);

alter table checkpoint_alert add column district_id bigint;
update checkpoint_alert set district_id = district_of(path);
alter table checkpoint_alert alter column district_id set not null;
create trigger checkpoint_alert_district before insert on checkpoint_alert
    for each row execute function set_district_from_path();
drop index checkpoint_alert_path;
create index checkpoint_alert_path on checkpoint_alert (district_id, path text_pattern_ops, created_at);

-- Testing: a round's district from its path; its tubes and swabs from it. Open a round per
-- district for a city (docs/scaling.md): a city-wide round keeps its tubes at the city's node.
alter table testing_round add column district_id bigint;
update testing_round set district_id = district_of(path);
alter table testing_round alter column district_id set not null;
create trigger testing_round_path_district before insert or update of path on testing_round
    for each row execute function set_district_from_path();

alter table tube add column district_id bigint;
update tube t set district_id = r.district_id from testing_round r where r.id = t.round_id;
alter table tube alter column district_id set not null;
create function set_district_from_round() returns trigger language plpgsql as $$
begin
    select r.district_id into new.district_id from testing_round r where r.id = new.round_id;
    return new;
end $$;
create trigger tube_district before insert on tube for each row execute function set_district_from_round();
create index tube_district_barcode on tube (district_id, barcode);

alter table sample add column district_id bigint;
update sample s set district_id = t.district_id from tube t where t.id = s.tube_id;
alter table sample alter column district_id set not null;
create function set_district_from_tube() returns trigger language plpgsql as $$
begin
    select t.district_id into new.district_id from tube t where t.id = new.tube_id;
    return new;
end $$;
create trigger sample_district before insert on sample for each row execute function set_district_from_tube();
create index sample_district_tube on sample (district_id, tube_id, resident_id);
-- The one-open-tube, once-per-round and offline-key rules, led by the district (the round fixes it,
-- so each rule is unchanged).
drop index sample_one_open_tube;
create unique index sample_one_open_tube on sample (district_id, round_id, resident_id) where tube_open;
drop index sample_once_per_round;
create unique index sample_once_per_round on sample (district_id, round_id, resident_id) where not voided and not retest;
drop index sample_client_key;
create unique index sample_client_key on sample (district_id, round_id, client_key) where client_key is not null;

-- Quarantine check-ins: from their quarantine, whose district comes from its path.
alter table quarantine add column district_id bigint;
update quarantine set district_id = district_of(path);
alter table quarantine alter column district_id set not null;
create trigger quarantine_path_district before insert or update of path on quarantine
    for each row execute function set_district_from_path();

alter table quarantine_check_in add column district_id bigint;
update quarantine_check_in c set district_id = q.district_id from quarantine q where q.id = c.quarantine_id;
alter table quarantine_check_in alter column district_id set not null;
create function set_district_from_quarantine() returns trigger language plpgsql as $$
begin
    select q.district_id into new.district_id from quarantine q where q.id = new.quarantine_id;
    return new;
end $$;
create trigger quarantine_check_in_district before insert on quarantine_check_in
    for each row execute function set_district_from_quarantine();
create index quarantine_check_in_district on quarantine_check_in (district_id, quarantine_id, day);

-- Audit: the actor's district, by the account's id or, for rows without one (sign-ins), by the user
-- name, as the audit page has always matched them; null for the system and for accounts without a
-- node. The append-only trigger is lifted for the one backfill of the new column; no recorded value
-- changes.
alter table audit_event add column district_id bigint;
create function set_district_from_actor() returns trigger language plpgsql as $$
begin
    select district_of(n.path) into new.district_id
    from account a join division_node n on n.id = a.node_id
    where a.id = new.actor_id or (new.actor_id is null and a.username = new.actor);
    return new;
end $$;
alter table audit_event disable trigger audit_event_no_update;
update audit_event e set district_id = district_of(n.path)
from account a join division_node n on n.id = a.node_id
where a.id = e.actor_id or (e.actor_id is null and a.username = e.actor);
alter table audit_event enable trigger audit_event_no_update;
create trigger audit_event_district before insert on audit_event
    for each row execute function set_district_from_actor();
create index audit_event_district_id on audit_event (district_id, id desc);

-- Outbox: from the message's path (null path = installation-wide, null district).
alter table outbox_message add column district_id bigint;
update outbox_message set district_id = district_of(path) where path is not null;
create trigger outbox_message_district before insert on outbox_message
    for each row execute function set_district_from_path();
drop index outbox_message_path;
create index outbox_message_path on outbox_message (district_id, id);
