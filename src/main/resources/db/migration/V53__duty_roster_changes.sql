-- owner: workforce
-- Changes to a published roster (调班): manual edits, swaps and leave replacements, each naming the seat,
-- who held it and who holds it now (null: left empty), and who changed it. The texts' dedupe keys name
-- the change, so a retried change texts nobody twice.
create table duty_roster_change (
    id                   bigserial primary key,
    roster_id            bigint      not null references duty_roster (id),
    kind                 varchar(8)  not null check (kind in ('EDIT', 'SWAP', 'LEAVE')),
    assignment_id        bigint      not null,
    other_assignment_id  bigint,
    volunteer_before     bigint      not null references volunteer (id),
    volunteer_after      bigint references volunteer (id),
    changed_by           bigint      not null,
    changed_at           timestamptz not null default now()
);
create index duty_roster_change_roster on duty_roster_change (roster_id);

-- owner: workforce
-- Leave (请假): sick (病假), family (事假) or other, over days of a roster.
create table duty_leave (
    id            bigserial primary key,
    roster_id     bigint      not null references duty_roster (id),
    volunteer_id  bigint      not null references volunteer (id),
    kind          varchar(8)  not null check (kind in ('SICK', 'FAMILY', 'OTHER')),
    from_date     date        not null,
    to_date       date        not null check (to_date >= from_date),
    created_by    bigint      not null,
    created_at    timestamptz not null default now()
);
