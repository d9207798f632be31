-- owner: reporting
-- The daily report (日报) of a street or district to the HQ, one per node and day. Its figures are a
-- snapshot of what the modules recorded (never typed), refreshed while a draft and frozen on submission.
create table daily_report (
    id             bigserial primary key,
    node_id        bigint       not null references division_node (id),
    path           text         not null,
    day            date         not null,
    state          varchar(10)  not null default 'DRAFT' check (state in ('DRAFT', 'SUBMITTED')),
    figures        jsonb        not null,
    work_done      varchar(4000) not null default '',
    problems       varchar(4000) not null default '',
    plans          varchar(4000) not null default '',
    created_by     bigint,
    created_at     timestamptz  not null default now(),
    updated_at     timestamptz  not null default now(),
    submitted_at   timestamptz,
    submitted_by   bigint,
    reopened_at    timestamptz,
    reopen_reason  varchar(300),
    unique (node_id, day),
    check ((state = 'SUBMITTED') = (submitted_at is not null))
);
create index daily_report_path on daily_report (path text_pattern_ops, day);

-- The public notice of a district or street (no personal data): drafted, reviewed and published by
-- the HQ; the public page shows only the published text, next to the live seals, risk areas and sites.
create table public_notice (
    node_id        bigint       primary key references division_node (id),
    path           text         not null,
    hotlines       varchar(1000) not null default '',
    body           varchar(4000) not null default '',
    published      boolean      not null default false,
    published_at   timestamptz,
    published_by   bigint,
    updated_at     timestamptz  not null default now()
);
