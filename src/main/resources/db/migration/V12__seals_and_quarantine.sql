-- Sealed (封控) and closed-loop/controlled (管控) areas: a node of the tree closed for a time.
create extension if not exists btree_gist;

create table sealed_area (
    id              bigserial primary key,
    node_id         bigint       not null references division_node (id),
    path            text         not null,
    level           varchar(10)  not null check (level in ('SEALED', 'CONTROLLED')),
    reason          varchar(300) not null check (length(trim(reason)) > 0),
    order_ref       varchar(100) not null check (length(trim(order_ref)) > 0),
    starts_at       timestamptz  not null,
    planned_end_at  timestamptz  not null,
    ended_at        timestamptz,
    created_by      bigint       not null,
    created_at      timestamptz  not null default now(),
    check (planned_end_at > starts_at),
    check (ended_at is null or ended_at >= starts_at),
    -- one seal at a time on the same node; the database says no even to two racing requests
    exclude using gist (node_id with =, tstzrange(starts_at, coalesce(ended_at, 'infinity')) with &&)
);
create index sealed_area_open on sealed_area (path) where ended_at is null;
create trigger sealed_area_path before insert or update of node_id on sealed_area
    for each row execute function set_path_from_node();

-- What happened to a sealed area and when: sealed, extended, lifted early, unsealed.
create table sealed_area_event (
    id              bigserial primary key,
    sealed_area_id  bigint       not null references sealed_area (id),
    at              timestamptz  not null default now(),
    kind            varchar(12)  not null check (kind in ('SEALED', 'EXTENDED', 'LIFTED', 'UNSEALED')),
    planned_end_at  timestamptz,
    note            varchar(300),
    notified        integer      not null default 0,
    account_id      bigint       not null
);
create index sealed_area_event_area on sealed_area_event (sealed_area_id, id);

-- Home (or centralised) quarantine of one person; a household quarantine is one row per member.
create table quarantine (
    id              bigserial primary key,
    resident_id     bigint       not null references resident (id),
    household_id    bigint references household (id),
    path            text         not null,
    kind            varchar(12)  not null check (kind in ('HOME', 'CENTRALISED', 'MONITORING')),
    reason          varchar(300) not null check (length(trim(reason)) > 0),
    place           varchar(300) not null check (length(trim(place)) > 0),
    starts_on       date         not null,
    ends_on         date         not null,
    test_days       integer[]    not null default '{}',
    released_at     timestamptz,
    release_note    varchar(300),
    released_by     bigint,
    created_by      bigint       not null,
    created_at      timestamptz  not null default now(),
    check (ends_on > starts_on)
);
-- one open quarantine per person
create unique index quarantine_open_resident on quarantine (resident_id) where released_at is null;
create index quarantine_path on quarantine (path text_pattern_ops) where released_at is null;

-- Daily health check-in, by the person through their link or by a worker; one per day and slot.
create table quarantine_check_in (
    id              bigserial primary key,
    quarantine_id   bigint       not null references quarantine (id),
    day             date         not null,
    slot            varchar(2)   not null check (slot in ('AM', 'PM')),
    temperature     numeric(3, 1) not null check (temperature between 34 and 43),
    symptoms        varchar(200) not null default '',
    note            varchar(300),
    by_resident     boolean      not null,
    account_id      bigint,
    at              timestamptz  not null default now(),
    unique (quarantine_id, day, slot)
);

-- The tests scheduled inside a quarantine (e.g. days 1, 4, 7, 14) and their outcome.
create table quarantine_test (
    quarantine_id   bigint       not null references quarantine (id),
    day_number      integer      not null,
    result          varchar(10)  not null check (result in ('NEGATIVE', 'POSITIVE', 'SAMPLED')),
    recorded_at     timestamptz  not null default now(),
    account_id      bigint       not null,
    primary key (quarantine_id, day_number)
);
