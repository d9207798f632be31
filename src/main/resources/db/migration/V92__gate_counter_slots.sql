-- The gate's day counters split into up to eight rows per checkpoint and day (issue 17). With one
-- row, every scan at a checkpoint updated the same row and held its lock until its commit, so the
-- posts of a gate (and the 16 connections of the gate benchmark) queued on it one fsync at a time
-- (GateCounterBenchmark measured 19-30 % at 8 connections on a quiet machine). Each database
-- connection now counts into its own slot (its backend's pid modulo 8); every reader already sums
-- over rows (checkpoint.GateFigures), so the figures are unchanged.
alter table gate_day_count add column slot smallint not null default 0 check (slot between 0 and 7);
alter table gate_day_count drop constraint gate_day_count_pkey;
alter table gate_day_count add primary key (checkpoint_id, day, slot);

create or replace function count_gate_scan() returns trigger language plpgsql as $$
begin
    insert into gate_day_count as c (checkpoint_id, day, slot, path, allowed_in, allowed_out, denied, fever)
    select new.checkpoint_id, (new.scanned_at at time zone 'Asia/Shanghai')::date, pg_backend_pid() % 8, k.path,
           (new.decision = 'ALLOW' and new.direction = 'IN')::int, (new.decision = 'ALLOW' and new.direction = 'OUT')::int,
           (new.decision = 'DENY')::int, (new.reason = 'gate.deny.fever')::int
    from checkpoint k where k.id = new.checkpoint_id
    on conflict (checkpoint_id, day, slot) do update set
        allowed_in = c.allowed_in + excluded.allowed_in, allowed_out = c.allowed_out + excluded.allowed_out,
        denied = c.denied + excluded.denied, fever = c.fever + excluded.fever;
    return null;
end $$;

create or replace function count_gate_visit() returns trigger language plpgsql as $$
begin
    insert into gate_day_count as c (checkpoint_id, day, slot, path, turn_backs, visitors, vehicles)
    select new.checkpoint_id, (new.at at time zone 'Asia/Shanghai')::date, pg_backend_pid() % 8, k.path,
           (new.kind = 'TURN_BACK')::int, (new.kind in ('VISITOR', 'DELIVERY'))::int, (new.kind = 'VEHICLE')::int
    from checkpoint k where k.id = new.checkpoint_id
    on conflict (checkpoint_id, day, slot) do update set
        turn_backs = c.turn_backs + excluded.turn_backs, visitors = c.visitors + excluded.visitors,
        vehicles = c.vehicles + excluded.vehicles;
    return null;
end $$;
