-- Returnees' self-reports (主动报备), filed on a public form without an account. ID number and phone
-- are encrypted (AES-GCM) with a keyed hash of the ID for matching; path is the reported community's,
-- so a worker sees the reports of their jurisdiction.
create table returnee_report (
    id                bigserial primary key,
    community_id      bigint       not null references division_node (id),
    path              text         not null,
    name              varchar(50)  not null check (length(trim(name)) > 0),
    id_type           varchar(24)  not null,
    id_cipher         bytea        not null,
    id_hash           bytea        not null,
    id_masked         varchar(40)  not null,
    phone_cipher      bytea        not null,
    phone_masked      varchar(20)  not null,
    address           varchar(100) not null,
    origin_code       varchar(12)  not null check (origin_code ~ '^[0-9]{12}$'),
    origin_name       varchar(200) not null,
    arrival_date      date         not null,
    transport         varchar(8)   not null check (transport in ('TRAIN', 'FLIGHT', 'CAR', 'BUS', 'OTHER')),
    transport_number  varchar(30),
    resident_id       bigint references resident (id),
    reported_at       timestamptz  not null default now(),
    decision          varchar(20) check (decision in ('NO_ACTION', 'HEALTH_MONITORING', 'HOME_QUARANTINE')),
    origin_level      varchar(8) check (origin_level in ('LOW', 'MEDIUM', 'HIGH')),
    decided_by        bigint references account (id),
    decided_at        timestamptz,
    decision_note     varchar(500),
    check ((decision is null) = (decided_at is null)),
    -- The same person reporting the same arrival to the same community is one report, however often sent.
    unique (id_hash, arrival_date, community_id)
);
create index returnee_report_path on returnee_report (path text_pattern_ops, reported_at);
create index returnee_report_id_hash on returnee_report (id_hash, reported_at);

-- Submissions of the public form, for rate limits: keyed hashes of the client address and ID number
-- (never the raw values), kept two days.
create table returnee_submission (
    id            bigserial primary key,
    client_hash   bytea        not null,
    id_hash       bytea,
    outcome       varchar(12)  not null check (outcome in ('CREATED', 'HONEYPOT', 'TOO_FAST', 'LIMITED')),
    at            timestamptz  not null default now()
);
create index returnee_submission_client on returnee_submission (client_hash, at);
create index returnee_submission_at on returnee_submission (at);

-- Door-to-door screening (敲门行动) over a subtree: one visit per household, made when the campaign is.
create table screening_campaign (
    id          bigserial primary key,
    node_id     bigint       not null references division_node (id),
    path        text         not null,
    name        varchar(100) not null check (length(trim(name)) > 0),
    starts_on   date         not null,
    ends_on     date         not null,
    created_by  bigint       not null references account (id),
    created_at  timestamptz  not null default now(),
    check (ends_on >= starts_on)
);
create index screening_campaign_path on screening_campaign (path text_pattern_ops);

-- The state of one door in one campaign, summarised from its attempts (the latest conclusive outcome
-- wins); group_id is the building (or the compound/community of a household without one).
create table screening_visit (
    id                  bigserial primary key,
    campaign_id         bigint       not null references screening_campaign (id),
    household_id        bigint       not null references household (id),
    path                text         not null,
    group_id            bigint       not null references division_node (id),
    assigned_to         bigint references account (id),
    outcome             varchar(12) check (outcome in ('AT_HOME', 'NOBODY_HOME', 'REFUSED')),
    attempts            integer      not null default 0,
    symptoms            boolean,
    returnees           integer      not null default 0,
    letter_signed       boolean      not null default false,
    concluded_by        bigint references account (id),
    last_visited_at     timestamptz,
    unique (campaign_id, household_id)
);
create index screening_visit_campaign_path on screening_visit (campaign_id, path text_pattern_ops);
create index screening_visit_assigned on screening_visit (assigned_to, campaign_id);

-- Every knock, kept: a retried submit carries the same idempotency key and is one attempt.
create table screening_attempt (
    id                   bigserial primary key,
    visit_id             bigint       not null references screening_visit (id),
    idempotency_key      varchar(100) not null,
    outcome              varchar(12)  not null check (outcome in ('AT_HOME', 'NOBODY_HOME', 'REFUSED')),
    visited_at           timestamptz  not null default now(),
    account_id           bigint       not null references account (id),
    symptoms             boolean,
    symptoms_note        varchar(200),
    returnees            integer      not null default 0 check (returnees between 0 and 50),
    returnee_report_id   bigint references returnee_report (id),
    letter_signed        boolean      not null default false,
    note                 varchar(200),
    unique (visit_id, idempotency_key)
);

-- People found at a door who are not in the registry: pending additions for the community worker.
create table screening_newcomer (
    id            bigserial primary key,
    attempt_id    bigint       not null references screening_attempt (id),
    visit_id      bigint       not null references screening_visit (id),
    path          text         not null,
    name          varchar(50)  not null check (length(trim(name)) > 0),
    id_type       varchar(24),
    id_cipher     bytea,
    id_hash       bytea,
    id_masked     varchar(40),
    phone_cipher  bytea,
    phone_masked  varchar(20),
    created_at    timestamptz  not null default now()
);
create index screening_newcomer_path on screening_newcomer (path text_pattern_ops);
