create table account (
    id               bigserial primary key,
    username         varchar(64)  not null unique check (username ~ '^[A-Za-z0-9_.@-]{3,64}$'),
    display_name     varchar(100) not null,
    password_hash    varchar(200) not null,
    role             varchar(24)  not null check (role in ('HQ_ADMIN', 'STREET_ADMIN', 'COMMUNITY_WORKER', 'CHECKPOINT_GUARD', 'SAMPLER', 'VOLUNTEER')),
    -- null only for the installation's first administrator, who must be able to build the tree.
    node_id          bigint references division_node (id),
    enabled          boolean      not null default true,
    failed_attempts  integer      not null default 0,
    locked_until     timestamptz,
    created_at       timestamptz  not null default now()
);

create table api_token (
    id           bigserial primary key,
    token_hash   bytea        not null unique,
    account_id   bigint       not null references account (id),
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz  not null,
    revoked_at   timestamptz
);
create index api_token_account on api_token (account_id);
