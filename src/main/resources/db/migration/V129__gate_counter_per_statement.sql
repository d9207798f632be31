-- The gate's day counters folded in once per statement instead of once per row (issue 17). A busy
-- gate now writes the scans that arrive together in one statement (checkpoint.internal.ScanWriter);
-- a row trigger would still upsert the counter row once for each of them. A statement trigger with
-- a transition table folds the whole batch into one upsert per checkpoint and day, as round_node_count
-- does for a round's members. A replayed scan inserts nothing, so it is in no transition table and
-- counts nothing, as before; the slot is still the connection's (V124).
create function count_gate_scans() returns trigger language plpgsql as $$
begin
    insert into gate_day_count as c (checkpoint_id, day, slot, path, allowed_in, allowed_out, denied, fever)
    select s.checkpoint_id, (s.scanned_at at time zone 'Asia/Shanghai')::date, gate_day_count_slot(), k.path,
           count(*) filter (where s.decision = 'ALLOW' and s.direction = 'IN'),
           count(*) filter (where s.decision = 'ALLOW' and s.direction = 'OUT'),
           count(*) filter (where s.decision = 'DENY'),
           count(*) filter (where s.reason = 'gate.deny.fever')
    from added s join checkpoint k on k.id = s.checkpoint_id
    group by s.checkpoint_id, (s.scanned_at at time zone 'Asia/Shanghai')::date, k.path
    on conflict (checkpoint_id, day, slot) do update set
        allowed_in = c.allowed_in + excluded.allowed_in, allowed_out = c.allowed_out + excluded.allowed_out,
        denied = c.denied + excluded.denied, fever = c.fever + excluded.fever;
    return null;
end $$;

drop trigger gate_scan_counted on gate_scan;
create trigger gate_scan_counted after insert on gate_scan referencing new table as added
    for each statement execute function count_gate_scans();
drop function count_gate_scan();
