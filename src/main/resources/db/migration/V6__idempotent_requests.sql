-- Answers to API calls that carried an Idempotency-Key, replayed when a client retries the call.
create table idempotent_request (
    principal     varchar(64)  not null,
    key           varchar(100) not null,
    request_hash  bytea        not null,
    status        integer,
    content_type  varchar(100),
    body          bytea,
    created_at    timestamptz  not null default now(),
    primary key (principal, key)
);
create index idempotent_request_created on idempotent_request (created_at);
