-- Append-only: the application role may insert and read, never change or delete.
create table audit_event (
    id           bigserial primary key,
    at           timestamptz  not null default now(),
    actor        varchar(64)  not null,
    actor_id     bigint,
    action       varchar(40)  not null,
    target_type  varchar(40),
    target_id    varchar(64),
    detail       varchar(2000),
    remote_addr  varchar(64)
);
create index audit_event_at on audit_event (at desc);
create index audit_event_target on audit_event (target_type, target_id);

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end $$;

create trigger audit_event_no_update before update or delete on audit_event
    for each row execute function audit_event_append_only();
create trigger audit_event_no_truncate before truncate on audit_event
    for each statement execute function audit_event_append_only();
