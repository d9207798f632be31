-- Community gate checkpoints (卡点): each guards the compound or community it is attached to.
create table checkpoint (
    id             bigserial primary key,
    node_id        bigint       not null references division_node (id),
    path           text         not null,
    name           varchar(100) not null check (length(trim(name)) > 0),
    opening_hours  varchar(100),
    posts          integer      not null default 1 check (posts > 0),
    created_at     timestamptz  not null default now(),
    unique (node_id, name)
);
create index checkpoint_path on checkpoint (path text_pattern_ops);
create trigger checkpoint_path before insert or update of node_id on checkpoint
    for each row execute function set_path_from_node();

-- A resident's pass. The QR carries only the pass id, expiry and a signature; revocation is here.
create table resident_pass (
    id           bigserial primary key,
    resident_id  bigint       not null references resident (id),
    issued_at    timestamptz  not null default now(),
    expires_at   timestamptz  not null,
    revoked_at   timestamptz
);
create index resident_pass_resident on resident_pass (resident_id);

-- Every passage attempt, allowed or not, including rejected input; a retried upload is one row.
create table gate_scan (
    id               bigserial primary key,
    checkpoint_id    bigint       not null references checkpoint (id),
    idempotency_key  varchar(100) not null,
    scanned_at       timestamptz  not null default now(),
    recorded_at      timestamptz  not null default now(),
    direction        varchar(3)   check (direction in ('IN', 'OUT')),
    method           varchar(8)   not null check (method in ('QR', 'ID', 'NONE')),
    resident_id      bigint references resident (id),
    temperature      numeric(3, 1),
    plate            varchar(16),
    decision         varchar(5)   not null check (decision in ('ALLOW', 'DENY')),
    reason           varchar(60)  not null,
    account_id       bigint       not null,
    unique (checkpoint_id, idempotency_key)
);
create index gate_scan_checkpoint_time on gate_scan (checkpoint_id, scanned_at);

-- Non-residents registered at the gate: visitors, deliveries, vehicles; and turn-backs (劝返).
create table gate_visit (
    id                bigserial primary key,
    checkpoint_id     bigint       not null references checkpoint (id),
    idempotency_key   varchar(100) not null,
    at                timestamptz  not null default now(),
    kind              varchar(12)  not null check (kind in ('VISITOR', 'DELIVERY', 'VEHICLE', 'TURN_BACK')),
    name              varchar(50),
    phone_cipher      bytea,
    phone_masked      varchar(20),
    purpose           varchar(200),
    visiting          varchar(100),
    plate             varchar(16),
    reason            varchar(200),
    account_id        bigint       not null,
    unique (checkpoint_id, idempotency_key)
);
create index gate_visit_checkpoint_time on gate_visit (checkpoint_id, at);

-- Alerts raised at a gate for the community worker: fever, a denied exit from a sealed unit.
create table checkpoint_alert (
    id               bigserial primary key,
    checkpoint_id    bigint       not null references checkpoint (id),
    path             text         not null,
    scan_id          bigint       not null references gate_scan (id),
    kind             varchar(20)  not null,
    created_at       timestamptz  not null default now(),
    acknowledged_at  timestamptz,
    acknowledged_by  bigint
);
create index checkpoint_alert_path on checkpoint_alert (path text_pattern_ops, created_at);
