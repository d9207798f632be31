-- Gate scans partitioned by month (issue 17, docs/scaling.md "Data that grows without bound"): the
-- retention job drops a month that is wholly older than the policy in one statement, no batched
-- delete and no bloat; gate_day_count keeps the statistics.

-- A month's partition of a table partitioned by range over a timestamptz column, the month counted in
-- China Standard Time like every day the application shows. Safe on two nodes: one advisory lock per
-- table, and a partition that exists is left alone. Rows its DEFAULT partition took for that month
-- (no partition existed when they came) move into the new one while it is still a table of its own,
-- so the parent's row triggers (counters) do not count them again; then it is attached. Returns
-- whether it created the partition.
create function create_month_partition(parent text, month date) returns boolean language plpgsql as $$
declare
    part text := parent || '_' || to_char(month, 'YYYYMM');
    lo timestamptz := date_trunc('month', month::timestamp) at time zone 'Asia/Shanghai';
    hi timestamptz := (date_trunc('month', month::timestamp) + interval '1 month') at time zone 'Asia/Shanghai';
    key text;
    waiting bigint := 0;
begin
    perform pg_advisory_xact_lock(hashtext('month_partition'), hashtext(parent));
    if to_regclass(part) is not null then
        return false;
    end if;
    select a.attname into strict key from pg_partitioned_table p
    join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
    where p.partrelid = parent::regclass;
    if to_regclass(parent || '_default') is not null then
        execute format('select count(*) from %I where %I >= $1 and %I < $2', parent || '_default', key, key)
            into waiting using lo, hi;
    end if;
    if waiting = 0 then
        execute format('create table %I partition of %I for values from (%L) to (%L)', part, parent, lo, hi);
    else
        execute format('create table %I (like %I including defaults including constraints)', part, parent);
        execute format('with moved as (delete from %I where %I >= $1 and %I < $2 returning *) insert into %I select * from moved',
                       parent || '_default', key, key, part) using lo, hi;
        execute format('alter table %I attach partition %I for values from (%L) to (%L)', parent, part, lo, hi);
    end if;
    return true;
end $$;

-- An alert names its scan by id and time (the scan's key, as a key of a partitioned table includes
-- its partition key), without a foreign key: one would refuse to move a month's rows out of DEFAULT
-- and make every detach scan the alerts. GateScans writes both in one transaction; the retention job
-- (GateScanPartitions) and the purge delete a month's alerts before its scans.
alter table checkpoint_alert add column scan_at timestamptz;
update checkpoint_alert a set scan_at = s.scanned_at from gate_scan s where s.id = a.scan_id;
alter table checkpoint_alert alter column scan_at set not null;
alter table checkpoint_alert drop constraint checkpoint_alert_scan_id_fkey;

alter table gate_scan rename to gate_scan_unpartitioned;
alter table gate_scan_unpartitioned drop constraint gate_scan_pkey;
alter table gate_scan_unpartitioned drop constraint gate_scan_key;
drop index gate_scan_checkpoint_time;
drop index gate_scan_resident_time;
drop index gate_scan_plate_time;
drop trigger gate_scan_district on gate_scan_unpartitioned;
drop trigger gate_scan_counted on gate_scan_unpartitioned;

-- Every passage attempt, allowed or not, including rejected input; a retried upload is one row (its key
-- and its own time are unique: a retry carries both, so it lands in the same month whenever it comes).
-- owner: checkpoint
create table gate_scan (
    id               bigint       not null default nextval('gate_scan_id_seq'),
    checkpoint_id    bigint       not null references checkpoint (id),
    idempotency_key  varchar(100) not null,
    scanned_at       timestamptz  not null default now(),
    recorded_at      timestamptz  not null default now(),
    direction        varchar(3)   constraint gate_scan_direction_check check (direction in ('IN', 'OUT')),
    method           varchar(8)   not null constraint gate_scan_method_check check (method in ('QR', 'ID', 'NONE')),
    resident_id      bigint references resident (id),
    temperature      numeric(3, 1),
    plate            varchar(16),
    decision         varchar(5)   not null constraint gate_scan_decision_check check (decision in ('ALLOW', 'DENY', 'ERROR')),
    reason           varchar(60)  not null,
    account_id       bigint       not null,
    district_id      bigint       not null
) partition by range (scanned_at);
alter sequence gate_scan_id_seq owned by gate_scan.id;

-- The months the rows fall in, this month and the next two (the job keeps two ahead), and a DEFAULT
-- partition so an insert never fails for want of its month.
select create_month_partition('gate_scan', m::date)
from generate_series(date_trunc('month', least((select min(scanned_at) from gate_scan_unpartitioned), now()) at time zone 'Asia/Shanghai'),
                     date_trunc('month', now() at time zone 'Asia/Shanghai') + interval '2 months', interval '1 month') m;
create table gate_scan_default partition of gate_scan default;

-- The rows move before the triggers exist: they were counted when they came.
insert into gate_scan (id, checkpoint_id, idempotency_key, scanned_at, recorded_at, direction, method, resident_id,
                       temperature, plate, decision, reason, account_id, district_id)
select id, checkpoint_id, idempotency_key, scanned_at, recorded_at, direction, method, resident_id,
       temperature, plate, decision, reason, account_id, district_id
from gate_scan_unpartitioned;
drop table gate_scan_unpartitioned;

alter table gate_scan add constraint gate_scan_pkey primary key (id, scanned_at);
alter table gate_scan add constraint gate_scan_key unique (district_id, checkpoint_id, idempotency_key, scanned_at);
create index gate_scan_checkpoint_time on gate_scan (district_id, checkpoint_id, scanned_at);
create index gate_scan_resident_time on gate_scan (resident_id, scanned_at) where resident_id is not null;
create index gate_scan_plate_time on gate_scan (plate, scanned_at) where plate is not null;
create trigger gate_scan_district before insert on gate_scan
    for each row execute function set_district_from_checkpoint();
create trigger gate_scan_counted after insert on gate_scan for each row execute function count_gate_scan();

create index checkpoint_alert_scan on checkpoint_alert (district_id, scan_at);
