-- owner: stock
-- Protective stock (防护物资): stores kept at a node of the tree (district, street, community, or a team's
-- store at its node), a catalogue of items with their units, one balance row per store and item that the
-- database keeps at zero or above, and an append-only ledger of every movement with its reason.
create table stock_store (
    id          bigserial primary key,
    node_id     bigint       not null references division_node (id),
    path        text         not null check (path like '/%/'),
    name        varchar(100) not null check (length(trim(name)) > 0),
    kind        varchar(10)  not null check (kind in ('DISTRICT', 'STREET', 'COMMUNITY', 'TEAM', 'OTHER')),
    created_by  bigint       not null,
    created_at  timestamptz  not null default now(),
    unique (node_id, name)
);
create index stock_store_path on stock_store (path text_pattern_ops);

-- owner: stock
create table stock_item (
    id    bigserial primary key,
    name  varchar(50) not null unique check (length(trim(name)) > 0),
    unit  varchar(10) not null check (length(trim(unit)) > 0)
);
insert into stock_item (name, unit) values
    ('医用外科口罩', '只'), ('N95口罩', '只'), ('防护服', '套'), ('隔离衣', '件'), ('护目镜', '副'),
    ('防护面屏', '个'), ('乳胶手套', '副'), ('鞋套', '双'), ('消毒液', '瓶'), ('免洗手消毒凝胶', '瓶');

-- owner: stock
-- The balance never goes below zero: every movement locks this row, and the check refuses what a bug
-- might still try. A threshold marks the balance as low when it falls below it.
create table stock_balance (
    store_id       bigint  not null references stock_store (id),
    item_id        bigint  not null references stock_item (id),
    quantity       integer not null default 0 check (quantity >= 0),
    low_threshold  integer check (low_threshold >= 0),
    primary key (store_id, item_id)
);

-- owner: stock
-- A stock-take (盘点): what was counted against what the ledger said, each difference booked as an
-- ADJUSTMENT movement in the same transaction.
create table stock_take (
    id          bigserial primary key,
    store_id    bigint       not null references stock_store (id),
    note        varchar(200) not null default '',
    taken_by    bigint       not null,
    taken_at    timestamptz  not null default now()
);

-- owner: stock
create table stock_take_line (
    take_id     bigint  not null references stock_take (id),
    item_id     bigint  not null references stock_item (id),
    expected    integer not null check (expected >= 0),
    counted     integer not null check (counted >= 0),
    difference  integer generated always as (counted - expected) stored,
    primary key (take_id, item_id)
);

-- owner: stock
-- The ledger (台账): append-only; kind says why the balance moved: a receipt (入库), an issue to a person
-- or a use (出库/领用), a stock-take's correction.
create table stock_movement (
    id              bigserial primary key,
    store_id        bigint       not null references stock_store (id),
    item_id         bigint       not null references stock_item (id),
    quantity        integer      not null check (quantity <> 0),
    balance_after   integer      not null check (balance_after >= 0),
    kind            varchar(10)  not null check (kind in ('RECEIPT', 'ISSUE', 'ADJUSTMENT')),
    reason          varchar(200) not null check (length(trim(reason)) > 0),
    recipient       varchar(50),
    take_id         bigint references stock_take (id),
    created_by      bigint,
    created_at      timestamptz  not null default now(),
    check (kind <> 'ADJUSTMENT' or take_id is not null),
    check (kind <> 'RECEIPT' or quantity > 0),
    check (kind <> 'ISSUE' or quantity < 0)
);
create index stock_movement_store on stock_movement (store_id, id desc);

-- owner: stock
-- A low-stock alert (库存预警): raised when a movement takes a balance below its threshold, cleared when
-- the balance is back at or above it; at most one open per store and item.
create table stock_alert (
    id          bigserial primary key,
    store_id    bigint      not null references stock_store (id),
    item_id     bigint      not null references stock_item (id),
    path        text        not null,
    balance     integer     not null,
    threshold   integer     not null,
    raised_at   timestamptz not null default now(),
    cleared_at  timestamptz
);
create unique index stock_alert_open on stock_alert (store_id, item_id) where cleared_at is null;
create index stock_alert_path on stock_alert (path text_pattern_ops) where cleared_at is null;
