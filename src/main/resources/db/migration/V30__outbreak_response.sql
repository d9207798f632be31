-- owner: tracing
-- Outbreak response (issue 11): pending re-tests, cases (病例) and their contacts (密接, 次密接).

-- A tracer (流调人员) is an account of its own kind, bound to a district or street.
alter table account drop constraint account_role_check;
alter table account add constraint account_role_check
    check (role in ('HQ_ADMIN', 'STREET_ADMIN', 'COMMUNITY_WORKER', 'CHECKPOINT_GUARD', 'SAMPLER', 'VOLUNTEER', 'TRACER'));

-- testing: a RETEST follow-up is pending (待复核) until an individual (1-in-1) result of the person arrives.
alter table testing_followup
    add column resolved_at timestamptz,
    add column resolution  varchar(8) check (resolution in ('NEGATIVE', 'POSITIVE')),
    add constraint testing_followup_resolution check ((resolved_at is null) = (resolution is null));
-- The gate asks on every scan going out: only the pending are indexed.
create index testing_followup_pending on testing_followup (resident_id) where kind = 'RETEST' and resolved_at is null;

-- checkpoint: where one person passed, and who came with the same vehicle (flow tracing reads these).
create index gate_scan_resident_time on gate_scan (resident_id, scanned_at) where resident_id is not null;
create index gate_scan_plate_time on gate_scan (plate, scanned_at) where plate is not null;
create index road_check_plate_time on road_check (plate, checked_at);

-- containment: the door visits of one household.
create index screening_visit_household on screening_visit (household_id);

-- tracing: a case (病例). At most one case per person is open (not discharged); the status moves
-- HOME_ISOLATED → TRANSFERRED → DISCHARGED, with who and when at each step.
create table tracing_case (
    id               bigserial primary key,
    resident_id      bigint       not null references resident (id),
    -- the person's node path when the case was opened: who may see the case
    path             text         not null,
    kind             varchar(12)  not null check (kind in ('CONFIRMED', 'ASYMPTOMATIC')),
    found_by         varchar(20)  not null check (found_by in ('COMMUNITY_SAMPLING', 'FEVER_CLINIC', 'ROAD_CHECK', 'QUARANTINE', 'OTHER')),
    reported_at      timestamptz  not null,
    onset_at         timestamptz,
    -- the positive sample's time, when the case came from a lab import
    sampled_at       timestamptz,
    source_barcode   varchar(32),
    note             varchar(500),
    status           varchar(14)  not null default 'HOME_ISOLATED' check (status in ('HOME_ISOLATED', 'TRANSFERRED', 'DISCHARGED')),
    transferred_to   varchar(200),
    transferred_at   timestamptz,
    transferred_by   bigint,
    discharged_at    timestamptz,
    discharged_by    bigint,
    created_by       bigint       not null,
    created_at       timestamptz  not null default now(),
    check (status = 'HOME_ISOLATED' or (transferred_to is not null and transferred_at is not null)),
    check ((status = 'DISCHARGED') = (discharged_at is not null)),
    check (onset_at is null or onset_at <= reported_at + interval '1 day')
);
create unique index tracing_case_open_resident on tracing_case (resident_id) where status <> 'DISCHARGED';
create index tracing_case_path on tracing_case (path text_pattern_ops, id);

-- A contact of a case as the tracer decided: close (密接), secondary (次密接, found through a close
-- contact: via_contact_id) or not a contact (NONE), with the reason. A non-resident added by hand has
-- no resident_id; their ID number and phone are encrypted like a resident's. category is null while a
-- hand-added person waits for the decision.
create table tracing_contact (
    id               bigserial primary key,
    case_id          bigint       not null references tracing_case (id),
    resident_id      bigint       references resident (id),
    via_contact_id   bigint       references tracing_contact (id),
    path             text         not null,
    name             varchar(50)  not null check (length(trim(name)) > 0),
    id_cipher        bytea,
    id_masked        varchar(40),
    phone_cipher     bytea,
    phone_masked     varchar(20),
    category         varchar(10)  check (category in ('CLOSE', 'SECONDARY', 'NONE')),
    reason           varchar(300) not null check (length(trim(reason)) > 0),
    contact_on       date         not null,
    quarantine_kind  varchar(12)  check (quarantine_kind in ('CENTRALISED', 'HOME')),
    quarantined_at   timestamptz,
    decided_by       bigint       not null,
    decided_at       timestamptz  not null default now(),
    check (via_contact_id is null or category is distinct from 'CLOSE'),
    check (quarantined_at is null or category in ('CLOSE', 'SECONDARY'))
);
-- one decision per person and case; re-deciding updates it
create unique index tracing_contact_case_resident on tracing_contact (case_id, resident_id) where resident_id is not null;
create index tracing_contact_case on tracing_contact (case_id, id);
create index tracing_contact_resident on tracing_contact (resident_id);
create index tracing_contact_path on tracing_contact (path text_pattern_ops);
