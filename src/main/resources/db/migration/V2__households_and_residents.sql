create table household (
    id          bigserial primary key,
    node_id     bigint       not null references division_node (id),
    path        text         not null,
    room        varchar(50)  not null,
    address     varchar(300) not null,
    created_at  timestamptz  not null default now(),
    unique (node_id, room)
);
create index household_path on household (path text_pattern_ops);

create extension if not exists pg_trgm;

-- ID numbers and phones are stored encrypted (AES-GCM); *_hash is a keyed HMAC for exact lookup,
-- *_masked is what a screen shows by default.
create table resident (
    id            bigserial primary key,
    node_id       bigint       not null references division_node (id),
    household_id  bigint references household (id),
    path          text         not null,
    name          varchar(100) not null check (length(trim(name)) > 0),
    id_type       varchar(24)  not null,
    id_cipher     bytea,
    id_hash       bytea,
    id_masked     varchar(40),
    phone_cipher  bytea,
    phone_hash    bytea,
    phone_masked  varchar(20),
    birth_date    date,
    sex           varchar(8) check (sex in ('MALE', 'FEMALE')),
    relation      varchar(16)  not null default 'OTHER',
    tags          text[]       not null default '{}',
    status        varchar(16)  not null default 'RESIDENT' check (status in ('RESIDENT', 'RENTING', 'AWAY', 'MOVED_OUT', 'DECEASED')),
    note          varchar(500),
    address       varchar(300),
    created_at    timestamptz  not null default now(),
    updated_at    timestamptz  not null default now(),
    version       integer      not null default 0
);
-- One person, one record: the same ID number can exist only once in the whole installation.
create unique index resident_id_hash on resident (id_type, id_hash) where id_hash is not null;
create index resident_phone_hash on resident (phone_hash);
create index resident_path on resident (path text_pattern_ops, id);
create index resident_household on resident (household_id);
create index resident_node_name on resident (node_id, name);
create index resident_name_trgm on resident using gin (name gin_trgm_ops);
create index resident_address_trgm on resident using gin (address gin_trgm_ops);

create function set_path_from_node() returns trigger language plpgsql as $$
begin
    select n.path into new.path from division_node n where n.id = new.node_id;
    if new.path is null then
        raise exception 'unknown division node %', new.node_id;
    end if;
    return new;
end $$;

create trigger household_path before insert or update of node_id on household
    for each row execute function set_path_from_node();
create trigger resident_path before insert or update of node_id on resident
    for each row execute function set_path_from_node();
create trigger establishment_path before insert or update of node_id on establishment
    for each row execute function set_path_from_node();

-- An uploaded roster waiting for the user to confirm the column mapping; encrypted, short-lived.
create table roster_upload (
    id            uuid primary key,
    account_id    bigint       not null,
    community_id  bigint       not null references division_node (id),
    filename      varchar(255) not null,
    content       bytea        not null,
    created_at    timestamptz  not null default now()
);
