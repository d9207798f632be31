-- Road checks by decision counted per checkpoint and day, beside the gate's figures (issue 14).
-- The dashboard asked road_check for each node it shows (a district and its streets: 21 times)
-- and each ask read the day's checks: a whole past day of 20 road posts at 500 vehicles each cost
-- ~100 ms of a district dashboard (DashboardBenchmark, "yesterday, part: roadChecks"), and a post
-- may check 20,000 vehicles a day. Like the scans, a check now counts itself in gate_day_count in
-- its own transaction (its connection's slot, V92); the purge deletes checks, not their counts.
alter table gate_day_count
    add column road_pass   integer not null default 0,
    add column road_retest integer not null default 0,
    add column road_divert integer not null default 0,
    add column road_deny   integer not null default 0;

create function count_road_check() returns trigger language plpgsql as $$
begin
    insert into gate_day_count as c (checkpoint_id, day, slot, path, road_pass, road_retest, road_divert, road_deny)
    select new.checkpoint_id, (new.checked_at at time zone 'Asia/Shanghai')::date, pg_backend_pid() % 8, k.path,
           (new.decision = 'PASS')::int, (new.decision = 'RETEST')::int, (new.decision = 'DIVERT')::int,
           (new.decision = 'DENY')::int
    from checkpoint k where k.id = new.checkpoint_id
    on conflict (checkpoint_id, day, slot) do update set
        road_pass = c.road_pass + excluded.road_pass, road_retest = c.road_retest + excluded.road_retest,
        road_divert = c.road_divert + excluded.road_divert, road_deny = c.road_deny + excluded.road_deny;
    return null;
end $$;
create trigger road_check_counted after insert on road_check for each row execute function count_road_check();

-- The checks made before this migration, into slot 0 of their checkpoint's day.
insert into gate_day_count as c (checkpoint_id, day, slot, path, road_pass, road_retest, road_divert, road_deny)
select r.checkpoint_id, (r.checked_at at time zone 'Asia/Shanghai')::date, 0, min(k.path),
       count(*) filter (where r.decision = 'PASS'), count(*) filter (where r.decision = 'RETEST'),
       count(*) filter (where r.decision = 'DIVERT'), count(*) filter (where r.decision = 'DENY')
from road_check r join checkpoint k on k.id = r.checkpoint_id
group by 1, 2
on conflict (checkpoint_id, day, slot) do update set
    road_pass = excluded.road_pass, road_retest = excluded.road_retest,
    road_divert = excluded.road_divert, road_deny = excluded.road_deny;
