-- The jurisdiction tree: province → city → district → street → community → compound → building → unit.
-- path is the chain of ids ('/1/7/42/'), so "everything in my jurisdiction" is one indexed prefix match.
create table division_node (
    id          bigserial primary key,
    parent_id   bigint references division_node (id),
    kind        varchar(16)  not null check (kind in ('PROVINCE', 'CITY', 'DISTRICT', 'STREET', 'COMMUNITY', 'COMPOUND', 'BUILDING', 'UNIT')),
    code        varchar(12)  unique check (code ~ '^[0-9]{12}$'),
    name        varchar(100) not null check (length(trim(name)) > 0),
    path        text         not null,
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now()
);
create unique index division_node_sibling_name on division_node (coalesce(parent_id, 0), name);
create index division_node_path on division_node (path text_pattern_ops);
create index division_node_parent on division_node (parent_id);

create function division_node_set_path() returns trigger language plpgsql as $$
begin
    if new.parent_id is null then
        new.path := '/' || new.id || '/';
    else
        select p.path || new.id || '/' into new.path from division_node p where p.id = new.parent_id;
    end if;
    return new;
end $$;

create trigger division_node_path before insert on division_node
    for each row execute function division_node_set_path();

-- Moving a node is not supported: scoping and audit history rely on stable paths.
create function division_node_freeze_parent() returns trigger language plpgsql as $$
begin
    if new.parent_id is distinct from old.parent_id or new.path <> old.path then
        raise exception 'division nodes cannot be moved';
    end if;
    return new;
end $$;

create trigger division_node_frozen before update on division_node
    for each row execute function division_node_freeze_parent();

-- Shops and enterprises sit in a compound or community.
create table establishment (
    id            bigserial primary key,
    node_id       bigint       not null references division_node (id),
    path          text         not null,
    kind          varchar(16)  not null check (kind in ('SHOP', 'ENTERPRISE')),
    name          varchar(200) not null check (length(trim(name)) > 0),
    address       varchar(300),
    contact_name  varchar(100),
    phone_cipher  bytea,
    phone_masked  varchar(20),
    staff_count   integer check (staff_count >= 0),
    created_at    timestamptz  not null default now(),
    unique (node_id, name)
);
create index establishment_path on establishment (path text_pattern_ops);
