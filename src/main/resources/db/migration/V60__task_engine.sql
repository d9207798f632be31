-- owner: task
-- The task engine: something to do, for someone, by someone, by a deadline, supervised until closed.
-- Supply requests (生活保障), and later work orders and rectifications, are tasks of a type; the type
-- decides the states and the allowed moves (in Java), the row holds where it is. A move is one
-- conditional update (`where state = :expected`), so two people acting at once cannot both win.
create table task (
    id                bigserial primary key,
    type              varchar(20)  not null check (type in ('SUPPORT', 'WORK_ORDER', 'RECTIFICATION')),
    node_id           bigint       not null references division_node (id),
    -- the subject's place (a resident's path, a node's): every query and write is scoped by it
    path              text         not null check (path like '/%/'),
    subject_kind      varchar(20)  not null check (subject_kind in ('RESIDENT', 'HOUSEHOLD', 'ESTABLISHMENT', 'NODE')),
    subject_id        bigint       not null,
    state             varchar(20)  not null,
    open              boolean      not null default true,
    urgency           varchar(10)  not null default 'NORMAL' check (urgency in ('URGENT', 'HIGH', 'NORMAL')),
    assignee_id       bigint,
    due_at            timestamptz  not null,
    -- 0: on time; 1: passed, told to the team leader; 2: still open later, told to the street
    escalation_level  smallint     not null default 0 check (escalation_level between 0 and 2),
    escalated_at      timestamptz,
    created_by        bigint,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    closed_at         timestamptz,
    version           integer      not null default 0,
    check (open = (closed_at is null))
);
create index task_path on task (path text_pattern_ops) include (type, open, due_at);
create index task_assignee on task (assignee_id) where open;
-- the escalation job's probe: only open tasks, by deadline
create index task_open_due on task (due_at) where open;

-- Who moved a task from what to what, when, with what note: append-only.
create table task_event (
    id          bigserial primary key,
    task_id     bigint       not null references task (id),
    at          timestamptz  not null,
    actor_id    bigint,
    actor       varchar(100) not null,
    kind        varchar(20)  not null check (kind in ('CREATED', 'TRANSITION', 'ESCALATED', 'COMMENT', 'REASSIGNED', 'ATTACHMENT')),
    from_state  varchar(20),
    to_state    varchar(20),
    note        varchar(500)
);
create index task_event_task on task_event (task_id, id);

-- Photos and PDFs kept with a task (a delivery photo, a finding): type sniffed from the content,
-- size-limited, JPEG re-encoded so no EXIF (location) survives.
create table task_attachment (
    id            bigserial primary key,
    task_id       bigint       not null references task (id),
    content_type  varchar(40)  not null check (content_type in ('image/jpeg', 'image/png', 'application/pdf')),
    size          integer      not null check (size between 1 and 5242880),
    content       bytea        not null,
    added_by      bigint,
    added_at      timestamptz  not null
);
create index task_attachment_task on task_attachment (task_id);

-- owner: task
-- A supply request (生活保障): what a resident asks for, and what came of it.
create table support_request (
    task_id          bigint       primary key references task (id),
    resident_id      bigint       not null,
    kind             varchar(10)  not null check (kind in ('MEDICINE', 'GROCERIES', 'INFANT', 'GAS', 'MEDICAL', 'OTHER')),
    detail           varchar(500) not null check (length(trim(detail)) > 0),
    -- RESIDENT: through their own link; WORKER: filed on their behalf
    filed_by         varchar(10)  not null check (filed_by in ('RESIDENT', 'WORKER')),
    reasons          text[]       not null default '{}',
    money_received   numeric(10, 2) check (money_received >= 0),
    outcome_note     varchar(500)
);
create index support_request_resident on support_request (resident_id);
