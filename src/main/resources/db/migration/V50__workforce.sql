-- owner: workforce
-- People on duty (排班设岗): volunteers and sent-down cadres, their teams, the posts they hold and the
-- rosters that put them there. A volunteer is enrolled at a node (street or community) and serves that
-- subtree; ID number and phone are encrypted with keyed hashes for dedup, like residents'.
create table volunteer (
    id                   bigserial primary key,
    node_id              bigint       not null references division_node (id),
    path                 text         not null,
    name                 varchar(50)  not null check (length(trim(name)) > 0),
    id_cipher            bytea,
    id_hash              bytea,
    id_masked            varchar(40),
    phone_cipher         bytea,
    phone_hash           bytea,
    phone_masked         varchar(20),
    organisation         varchar(100) not null default '',
    batch                varchar(50)  not null default '',
    party_member         boolean      not null default false,
    skills               text[]       not null default '{}',
    -- Days of the week the person can serve, bit (ISO day - 1): 127 = every day, the default.
    available_days       smallint     not null default 127 check (available_days between 0 and 127),
    max_shifts_per_week  smallint     not null default 7 check (max_shifts_per_week between 0 and 21),
    status               varchar(10)  not null default 'ACTIVE' check (status in ('PENDING', 'ACTIVE', 'REJECTED')),
    account_id           bigint,
    created_at           timestamptz  not null default now(),
    updated_at           timestamptz  not null default now(),
    -- Someone must be reachable and recognisable: an ID number or a phone.
    check (id_hash is not null or phone_hash is not null)
);
-- One person, one record: by ID number, and by phone among those enrolled without one.
create unique index volunteer_id_hash on volunteer (id_hash) where id_hash is not null;
create unique index volunteer_phone_hash on volunteer (phone_hash) where phone_hash is not null and id_hash is null;
create index volunteer_phone_lookup on volunteer (phone_hash);
create index volunteer_path on volunteer (path text_pattern_ops);

-- Teams (突击队, 工作队, 机动队, 临时党支部), assigned to a node; a person is in one team at a time.
create table volunteer_team (
    id          bigserial primary key,
    node_id     bigint       not null references division_node (id),
    path        text         not null,
    name        varchar(100) not null check (length(trim(name)) > 0),
    kind        varchar(20)  not null check (kind in ('SHOCK_TEAM', 'WORK_TEAM', 'MOBILE_BRIGADE', 'PARTY_BRANCH')),
    created_by  bigint       not null,
    created_at  timestamptz  not null default now()
);
create index volunteer_team_path on volunteer_team (path text_pattern_ops);

create table volunteer_team_member (
    team_id       bigint      not null references volunteer_team (id),
    volunteer_id  bigint      not null references volunteer (id),
    role          varchar(8)  not null default 'MEMBER' check (role in ('LEADER', 'DEPUTY', 'MEMBER')),
    primary key (team_id, volunteer_id),
    unique (volunteer_id)
);
-- One leader per team.
create unique index volunteer_team_leader on volunteer_team_member (team_id) where role = 'LEADER';

-- A post (岗位) at a node with its daily shift templates (班次); a shift ending at or before its start
-- runs past midnight. The QR token is what the post's printed code carries for check-in.
create table duty_post (
    id          bigserial primary key,
    node_id     bigint       not null references division_node (id),
    path        text         not null,
    name        varchar(100) not null check (length(trim(name)) > 0),
    kind        varchar(20)  not null check (kind in ('CHECKPOINT', 'SAMPLING_POINT', 'DELIVERY', 'PATROL', 'HOTLINE',
                                                      'DOOR_TO_DOOR')),
    team_id     bigint references volunteer_team (id),
    qr_token    varchar(40)  not null unique,
    created_by  bigint       not null,
    created_at  timestamptz  not null default now()
);
create index duty_post_path on duty_post (path text_pattern_ops);

create table duty_shift (
    id         bigserial primary key,
    post_id    bigint      not null references duty_post (id),
    seq        smallint    not null,
    starts     time        not null,
    ends       time        not null,
    headcount  smallint    not null check (headcount between 1 and 500),
    skills     text[]      not null default '{}',
    unique (post_id, seq)
);

-- A roster (排班表) over a subtree and a period, solved asynchronously; its result is replaced whole.
create table duty_roster (
    id          bigserial primary key,
    node_id     bigint       not null references division_node (id),
    path        text         not null,
    from_date   date         not null,
    to_date     date         not null,
    seconds     int          not null check (seconds between 1 and 600),
    state       varchar(10)  not null default 'SOLVING' check (state in ('SOLVING', 'DONE', 'FAILED')),
    score       varchar(100),
    -- A newer roster of the same node over overlapping days replaces this one on people's phones.
    superseded_by  bigint references duty_roster (id),
    created_by  bigint       not null,
    created_at  timestamptz  not null default now(),
    solved_at   timestamptz,
    check (to_date >= from_date and to_date - from_date < 31)
);
create index duty_roster_path on duty_roster (path text_pattern_ops, created_at);

create table duty_assignment (
    id            bigserial primary key,
    roster_id     bigint       not null references duty_roster (id),
    shift_id      bigint       not null references duty_shift (id),
    post_id       bigint       not null references duty_post (id),
    day           date         not null,
    starts_at     timestamp    not null,
    ends_at       timestamp    not null,
    volunteer_id  bigint       not null references volunteer (id),
    checked_in_at   timestamptz,
    checked_out_at  timestamptz,
    late_flagged_at timestamptz,
    -- One seat per person per shift of a day.
    unique (roster_id, shift_id, day, volunteer_id),
    check (ends_at > starts_at)
);
create index duty_assignment_volunteer on duty_assignment (volunteer_id, starts_at);
create index duty_assignment_roster on duty_assignment (roster_id, day);

create table duty_unfilled (
    roster_id  bigint       not null references duty_roster (id),
    shift_id   bigint       not null references duty_shift (id),
    post_id    bigint       not null references duty_post (id),
    day        date         not null,
    starts_at  timestamp    not null,
    ends_at    timestamp    not null,
    missing    int          not null check (missing > 0),
    reason     varchar(30)  not null,
    detail     varchar(300) not null,
    primary key (roster_id, shift_id, day)
);
