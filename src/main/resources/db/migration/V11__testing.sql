-- Mass testing (核酸检测): rounds over a subtree, their population snapshot, sites and sampling
-- points, pooled tubes and the samples in them, lab results and what follows from them.

create table testing_round (
    id            bigserial primary key,
    node_id       bigint       not null references division_node (id),
    -- the node's path: a round is seen by accounts whose jurisdiction covers it
    path          text         not null,
    name          varchar(100) not null check (length(trim(name)) > 0),
    pool_size     smallint     not null check (pool_size in (1, 5, 10, 20)),
    starts_at     timestamptz  not null,
    ends_at       timestamptz  not null,
    include_away  boolean      not null default false,
    sealed_only   boolean      not null default false,
    status        varchar(8)   not null default 'OPEN' check (status in ('OPEN', 'CLOSED')),
    member_count  integer      not null default 0,
    created_by    bigint       not null,
    created_at    timestamptz  not null default now(),
    closed_at     timestamptz,
    check (ends_at > starts_at)
);
create index testing_round_path on testing_round (path text_pattern_ops, id);

-- Who the round covers, fixed when it opens (a resident moving in later is not suddenly "missing").
-- state is the person's standing in the round, kept by the application in the same transaction as
-- the sample or result that changes it, so coverage is one range scan, never a join per person:
--   NONE      no valid sample (never sampled, or the tube was invalid and must be re-sampled)
--   PENDING   sampled, the tube has no result yet
--   NEGATIVE  every sampled tube negative
--   POSITIVE  a sampled tube positive
create table round_member (
    round_id       bigint       not null references testing_round (id),
    resident_id    bigint       not null references resident (id),
    node_id        bigint       not null references division_node (id),
    household_id   bigint       references household (id),
    path           text         not null,
    -- AWAY (外出), INFANT (under 3 on the first day of the round); null = expected to be tested
    exempt         varchar(8)   check (exempt in ('AWAY', 'INFANT')),
    -- bedridden (卧床): expected, but sampled at home by a door-to-door team
    home_sampling  boolean      not null default false,
    state          varchar(8)   not null default 'NONE' check (state in ('NONE', 'PENDING', 'NEGATIVE', 'POSITIVE')),
    primary key (round_id, resident_id)
);
-- Coverage of any node: (round, path prefix); the counted columns are in the index.
create index round_member_coverage on round_member (round_id, path text_pattern_ops) include (state, exempt, node_id);
-- The gate asks "is this person overdue anywhere?" on every scan: only the unsampled are indexed.
create index round_member_unsampled on round_member (resident_id) where state = 'NONE' and exempt is null;

create table testing_site (
    id             bigserial primary key,
    node_id        bigint       not null references division_node (id),
    path           text         not null,
    name           varchar(100) not null check (length(trim(name)) > 0),
    address        varchar(300),
    opening_hours  varchar(60),
    created_at     timestamptz  not null default now(),
    unique (node_id, name)
);
create index testing_site_path on testing_site (path text_pattern_ops, id);

create table sampling_point (
    id             bigserial primary key,
    site_id        bigint       not null references testing_site (id),
    name           varchar(100) not null check (length(trim(name)) > 0),
    -- 绿色通道: for the elderly and disabled, no queue
    green_channel  boolean      not null default false,
    opening_hours  varchar(60),
    staff          varchar(300),
    unique (site_id, name)
);

-- A barcode names one physical tube for ever: the lab reports by barcode alone.
create table tube (
    id           bigserial primary key,
    round_id     bigint       not null references testing_round (id),
    barcode      varchar(32)  not null unique,
    capacity     smallint     not null check (capacity in (1, 5, 10, 20)),
    sample_count smallint     not null default 0,
    status       varchar(8)   not null default 'OPEN' check (status in ('OPEN', 'CLOSED')),
    point_id     bigint       references sampling_point (id),
    opened_by    bigint       not null,
    opened_at    timestamptz  not null default now(),
    closed_by    bigint,
    closed_at    timestamptz,
    result       varchar(8)   check (result in ('NEGATIVE', 'POSITIVE', 'INVALID')),
    result_at    timestamptz,
    import_id    bigint,
    -- a tube never holds more swabs than the round's pooling allows
    check (sample_count between 0 and capacity),
    check (result is null or status = 'CLOSED')
);
create index tube_round on tube (round_id, status);
create index tube_point_closed on tube (point_id, closed_at);

create table sample (
    id           bigserial primary key,
    round_id     bigint       not null,
    tube_id      bigint       not null references tube (id),
    resident_id  bigint       not null,
    -- copied from the tube so the rule below can be an index; cleared when the tube closes
    tube_open    boolean      not null default true,
    -- the tube came back invalid: this swab counts for nothing and the person is sampled again
    voided       boolean      not null default false,
    -- an individual re-test after a positive pooled tube
    retest       boolean      not null default false,
    taken_by     bigint       not null,
    taken_at     timestamptz  not null default now(),
    unique (tube_id, resident_id),
    -- only the round's population can be sampled into it
    foreign key (round_id, resident_id) references round_member (round_id, resident_id)
);
-- A person is in at most one open tube of a round...
create unique index sample_one_open_tube on sample (round_id, resident_id) where tube_open;
-- ...and has at most one valid routine sample per round (re-tests and re-samples aside).
create unique index sample_once_per_round on sample (round_id, resident_id) where not voided and not retest;
create index sample_resident on sample (resident_id);

create table result_import (
    id           bigserial primary key,
    account_id   bigint       not null,
    filename     varchar(255) not null,
    accepted     integer      not null,
    unchanged    integer      not null,
    rejected     integer      not null,
    positive     integer      not null,
    created_at   timestamptz  not null default now()
);

-- What a lab result asks of the community: for a positive pooled tube each of its people is re-tested
-- alone and isolated at home until then (RETEST); for an invalid tube each is sampled again (RESAMPLE).
create table testing_followup (
    id               bigserial primary key,
    round_id         bigint       not null references testing_round (id),
    tube_id          bigint       not null references tube (id),
    resident_id      bigint       not null references resident (id),
    path             text         not null,
    kind             varchar(8)   not null check (kind in ('RETEST', 'RESAMPLE')),
    created_at       timestamptz  not null default now(),
    acknowledged_by  bigint,
    acknowledged_at  timestamptz,
    unique (tube_id, resident_id)
);
create index testing_followup_open on testing_followup (path text_pattern_ops, id) where acknowledged_at is null;
create index testing_followup_resident on testing_followup (resident_id);
