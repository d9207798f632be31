-- The audit trail partitioned by month on "at" (issue 17): a month older than the archive policy
-- (fangxian.retention.audit-detach-after-months, 24) is detached and kept as a table of its own,
-- audit_event_YYYYMM, for the archive; it is never deleted with the personal data it records.
-- Append-only as before: the row trigger is on the table (each partition gets it), the truncate
-- trigger on the table and on each partition (statement triggers are not passed on).
alter table audit_event rename to audit_event_unpartitioned;
alter table audit_event_unpartitioned drop constraint audit_event_pkey;
drop index audit_event_at;
drop index audit_event_target;
drop index audit_event_district_id;
drop trigger audit_event_no_update on audit_event_unpartitioned;
drop trigger audit_event_no_truncate on audit_event_unpartitioned;
drop trigger audit_event_district on audit_event_unpartitioned;

-- owner: audit
create table audit_event (
    id           bigint        not null default nextval('audit_event_id_seq'),
    at           timestamptz   not null default now(),
    actor        varchar(64)   not null,
    actor_id     bigint,
    action       varchar(40)   not null,
    target_type  varchar(40),
    target_id    varchar(64),
    detail       varchar(2000),
    remote_addr  varchar(64),
    district_id  bigint
) partition by range (at);
alter sequence audit_event_id_seq owned by audit_event.id;

select create_month_partition('audit_event', m::date)
from generate_series(date_trunc('month', least((select min(at) from audit_event_unpartitioned), now()) at time zone 'Asia/Shanghai'),
                     date_trunc('month', now() at time zone 'Asia/Shanghai') + interval '2 months', interval '1 month') m;
create table audit_event_default partition of audit_event default;

insert into audit_event (id, at, actor, actor_id, action, target_type, target_id, detail, remote_addr, district_id)
select id, at, actor, actor_id, action, target_type, target_id, detail, remote_addr, district_id
from audit_event_unpartitioned;
drop table audit_event_unpartitioned;

alter table audit_event add constraint audit_event_pkey primary key (id, at);
create index audit_event_at on audit_event (at desc);
create index audit_event_target on audit_event (target_type, target_id);
create index audit_event_district_id on audit_event (district_id, id desc);
create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();
create trigger audit_event_district before insert on audit_event
    for each row execute function set_district_from_actor();
do $$
declare
    part record;
begin
    for part in select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'audit_event'::regclass loop
        execute format('create trigger audit_event_no_truncate before truncate on %I for each statement execute function audit_event_append_only()', part.relname);
    end loop;
end $$;
