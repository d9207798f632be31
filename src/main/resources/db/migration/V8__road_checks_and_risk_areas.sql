-- Inbound road checkpoints sit on a district or street boundary rather than a compound gate.
alter table checkpoint add column kind varchar(8) not null default 'GATE' check (kind in ('GATE', 'ROAD'));

-- Risk areas by official division code, appended, never overwritten: the level on any past day can
-- be answered. The most specific code wins (a street's level over its district's).
create table risk_area (
    id              bigserial primary key,
    division_code   varchar(12)  not null check (division_code ~ '^[0-9]{12}$'),
    level           varchar(8)   not null check (level in ('LOW', 'MEDIUM', 'HIGH')),
    effective_from  date         not null,
    effective_to    date,
    note            varchar(200),
    created_by      bigint       not null,
    created_at      timestamptz  not null default now(),
    check (effective_to is null or effective_to >= effective_from)
);
create index risk_area_code on risk_area (division_code, effective_from);

-- Rules of one road checkpoint: how long a negative test stays valid, which levels are diverted.
create table road_rules (
    checkpoint_id        bigint primary key references checkpoint (id),
    test_validity_hours  integer  not null default 48 check (test_validity_hours between 1 and 336),
    divert_levels        text[]   not null default '{MEDIUM,HIGH}',
    updated_at           timestamptz not null default now()
);

-- One vehicle checked at a road checkpoint (一卡一码一核酸), with the rule that decided.
create table road_check (
    id                  bigserial primary key,
    checkpoint_id       bigint       not null references checkpoint (id),
    idempotency_key     varchar(100) not null,
    checked_at          timestamptz  not null default now(),
    plate               varchar(16)  not null,
    origin_code         varchar(12),
    origin_level        varchar(8),
    itinerary           text[]       not null default '{}',
    health_code         varchar(8)   not null check (health_code in ('GREEN', 'YELLOW', 'RED')),
    last_negative_test  timestamptz,
    passengers          integer      not null check (passengers between 1 and 80),
    decision            varchar(8)   not null check (decision in ('PASS', 'RETEST', 'DIVERT', 'DENY')),
    rule                varchar(60)  not null,
    account_id          bigint       not null,
    unique (checkpoint_id, idempotency_key)
);
create index road_check_checkpoint_time on road_check (checkpoint_id, checked_at);
