-- Messages to residents (SMS), written in the same transaction as the business change that causes
-- them and sent later by the dispatcher: a rollback sends nothing, a retry never sends twice.
create table outbox_message (
    id               bigserial primary key,
    -- the sender's own key for "this message, once" (e.g. round 7 reminder 2 to resident 42)
    dedupe_key       varchar(200) not null unique,
    channel          varchar(10)  not null default 'SMS' check (channel in ('SMS')),
    -- jurisdiction the message belongs to, for scoped viewing; null = installation-wide
    path             text,
    phone_cipher     bytea        not null,
    phone_masked     varchar(20)  not null,
    template         varchar(100) not null,
    body             varchar(500) not null,
    status           varchar(8)   not null default 'PENDING'
                     check (status in ('PENDING', 'SENDING', 'SENT', 'FAILED')),
    attempts         integer      not null default 0,
    next_attempt_at  timestamptz  not null default now(),
    claimed_at       timestamptz,
    last_error       varchar(300),
    gateway_ref      varchar(100),
    created_at       timestamptz  not null default now(),
    sent_at          timestamptz
);
create index outbox_message_due on outbox_message (next_attempt_at) where status = 'PENDING';
create index outbox_message_path on outbox_message (path text_pattern_ops, id);
