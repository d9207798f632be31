-- owner: workforce
-- Protective kit per shift (防护用品): what each person on a post takes for one shift, and what was
-- issued at check-in (or recorded by a worker for the team leader), booked in the stock ledger of the
-- nearest store up the tree. The item is a name of stock's catalogue, checked when the post is set up.
create table duty_post_kit (
    post_id   bigint      not null references duty_post (id),
    item      varchar(50) not null,
    quantity  smallint    not null check (quantity between 1 and 50),
    primary key (post_id, item)
);

-- owner: workforce
-- One line per shift and item: a second check-in or a retried record issues nothing more.
create table duty_kit_issue (
    assignment_id  bigint      not null references duty_assignment (id),
    item           varchar(50) not null,
    quantity       smallint    not null,
    outcome        varchar(12) not null check (outcome in ('ISSUED', 'SHORT', 'NO_STORE', 'UNKNOWN_ITEM')),
    store_name     varchar(100),
    movement_id    bigint,
    recorded_by    bigint,
    issued_at      timestamptz not null default now(),
    primary key (assignment_id, item),
    check (outcome <> 'ISSUED' or movement_id is not null)
);
