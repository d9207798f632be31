-- Read models for the dashboard (reporting): counters kept up to date as records are written, so the
-- figures of a district are a sum over a few thousand rows, never a scan of ten million scans.

-- Gate figures per checkpoint and day in China Standard Time (owned by checkpoint). Triggers fill it
-- in the transaction of the scan or visit insert; a replayed scan inserts nothing and counts nothing.
-- owner: checkpoint
create table gate_day_count (
    checkpoint_id  bigint   not null references checkpoint (id),
    day            date     not null,
    path           text     not null,
    allowed_in     integer  not null default 0,
    allowed_out    integer  not null default 0,
    denied         integer  not null default 0,
    fever          integer  not null default 0,
    turn_backs     integer  not null default 0,
    visitors       integer  not null default 0,
    vehicles       integer  not null default 0,
    primary key (checkpoint_id, day)
);
create index gate_day_count_day_path on gate_day_count (day, path text_pattern_ops);

create function count_gate_scan() returns trigger language plpgsql as $$
begin
    insert into gate_day_count as c (checkpoint_id, day, path, allowed_in, allowed_out, denied, fever)
    select new.checkpoint_id, (new.scanned_at at time zone 'Asia/Shanghai')::date, k.path,
           (new.decision = 'ALLOW' and new.direction = 'IN')::int, (new.decision = 'ALLOW' and new.direction = 'OUT')::int,
           (new.decision = 'DENY')::int, (new.reason = 'gate.deny.fever')::int
    from checkpoint k where k.id = new.checkpoint_id
    on conflict (checkpoint_id, day) do update set
        allowed_in = c.allowed_in + excluded.allowed_in, allowed_out = c.allowed_out + excluded.allowed_out,
        denied = c.denied + excluded.denied, fever = c.fever + excluded.fever;
    return null;
end $$;
create trigger gate_scan_counted after insert on gate_scan for each row execute function count_gate_scan();

create function count_gate_visit() returns trigger language plpgsql as $$
begin
    insert into gate_day_count as c (checkpoint_id, day, path, turn_backs, visitors, vehicles)
    select new.checkpoint_id, (new.at at time zone 'Asia/Shanghai')::date, k.path,
           (new.kind = 'TURN_BACK')::int, (new.kind in ('VISITOR', 'DELIVERY'))::int, (new.kind = 'VEHICLE')::int
    from checkpoint k where k.id = new.checkpoint_id
    on conflict (checkpoint_id, day) do update set
        turn_backs = c.turn_backs + excluded.turn_backs, visitors = c.visitors + excluded.visitors,
        vehicles = c.vehicles + excluded.vehicles;
    return null;
end $$;
create trigger gate_visit_counted after insert on gate_visit for each row execute function count_gate_visit();

-- A checkpoint whose node moves takes its counters along.
create function move_gate_day_count() returns trigger language plpgsql as $$
begin
    update gate_day_count set path = new.path where checkpoint_id = new.id;
    return null;
end $$;
create trigger checkpoint_path_counted after update of path on checkpoint
    for each row when (old.path is distinct from new.path) execute function move_gate_day_count();

insert into gate_day_count (checkpoint_id, day, path, allowed_in, allowed_out, denied, fever, turn_backs, visitors, vehicles)
select k.id, d.day, k.path, coalesce(s.allowed_in, 0), coalesce(s.allowed_out, 0), coalesce(s.denied, 0), coalesce(s.fever, 0),
       coalesce(v.turn_backs, 0), coalesce(v.visitors, 0), coalesce(v.vehicles, 0)
from (select checkpoint_id, (scanned_at at time zone 'Asia/Shanghai')::date as day from gate_scan
      union select checkpoint_id, (at at time zone 'Asia/Shanghai')::date from gate_visit) d
join checkpoint k on k.id = d.checkpoint_id
left join (select checkpoint_id, (scanned_at at time zone 'Asia/Shanghai')::date as day,
                  count(*) filter (where decision = 'ALLOW' and direction = 'IN') as allowed_in,
                  count(*) filter (where decision = 'ALLOW' and direction = 'OUT') as allowed_out,
                  count(*) filter (where decision = 'DENY') as denied,
                  count(*) filter (where reason = 'gate.deny.fever') as fever
           from gate_scan group by 1, 2) s on s.checkpoint_id = d.checkpoint_id and s.day = d.day
left join (select checkpoint_id, (at at time zone 'Asia/Shanghai')::date as day,
                  count(*) filter (where kind = 'TURN_BACK') as turn_backs,
                  count(*) filter (where kind in ('VISITOR', 'DELIVERY')) as visitors,
                  count(*) filter (where kind = 'VEHICLE') as vehicles
           from gate_visit group by 1, 2) v on v.checkpoint_id = d.checkpoint_id and v.day = d.day;

-- Testing figures per round and registration node (owned by testing): statement triggers fold each
-- insert, update or delete of members into the counts, so opening a round of 980,000 people is one
-- aggregate, and a swab's state change one small upsert.
-- owner: testing
create table round_node_count (
    round_id   bigint   not null references testing_round (id),
    node_id    bigint   not null,
    path       text     not null,
    expected   integer  not null default 0,
    sampled    integer  not null default 0,
    positive   integer  not null default 0,
    primary key (round_id, node_id)
);
create index round_node_count_path on round_node_count (round_id, path text_pattern_ops) include (expected, sampled, positive);

create function count_round_members() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into round_node_count as c (round_id, node_id, path, expected, sampled, positive)
        select round_id, node_id, min(path),
               count(*) filter (where exempt is null or state <> 'NONE'), count(*) filter (where state <> 'NONE'),
               count(*) filter (where state = 'POSITIVE')
        from new_members group by round_id, node_id order by round_id, node_id
        on conflict (round_id, node_id) do update set expected = c.expected + excluded.expected,
            sampled = c.sampled + excluded.sampled, positive = c.positive + excluded.positive;
    elsif tg_op = 'UPDATE' then
        insert into round_node_count as c (round_id, node_id, path, expected, sampled, positive)
        select round_id, node_id, coalesce(max(path), ''), sum(e), sum(s), sum(p)
        from (select round_id, node_id, path, (exempt is null or state <> 'NONE')::int as e, (state <> 'NONE')::int as s,
                     (state = 'POSITIVE')::int as p from new_members
              union all
              select round_id, node_id, null, -(exempt is null or state <> 'NONE')::int, -(state <> 'NONE')::int,
                     -(state = 'POSITIVE')::int from old_members) d
        group by round_id, node_id having sum(e) <> 0 or sum(s) <> 0 or sum(p) <> 0 order by round_id, node_id
        on conflict (round_id, node_id) do update set expected = c.expected + excluded.expected,
            sampled = c.sampled + excluded.sampled, positive = c.positive + excluded.positive;
    else
        update round_node_count c set expected = c.expected - d.e, sampled = c.sampled - d.s, positive = c.positive - d.p
        from (select round_id, node_id, count(*) filter (where exempt is null or state <> 'NONE') as e,
                     count(*) filter (where state <> 'NONE') as s, count(*) filter (where state = 'POSITIVE') as p
              from old_members group by round_id, node_id) d
        where c.round_id = d.round_id and c.node_id = d.node_id;
    end if;
    return null;
end $$;
create trigger round_member_counted_insert after insert on round_member referencing new table as new_members
    for each statement execute function count_round_members();
create trigger round_member_counted_update after update on round_member
    referencing old table as old_members new table as new_members
    for each statement execute function count_round_members();
create trigger round_member_counted_delete after delete on round_member referencing old table as old_members
    for each statement execute function count_round_members();

insert into round_node_count (round_id, node_id, path, expected, sampled, positive)
select round_id, node_id, min(path), count(*) filter (where exempt is null or state <> 'NONE'),
       count(*) filter (where state <> 'NONE'), count(*) filter (where state = 'POSITIVE')
from round_member group by round_id, node_id;
