-- A newcomer found at a door stays on the community worker's list until handled: registered as a
-- resident (resident_id) or dismissed with a note (a visitor who has left, a duplicate).
alter table screening_newcomer
    add column handled_at   timestamptz,
    add column handled_by   bigint references account (id),
    add column resident_id  bigint references resident (id),
    add column handled_note varchar(200);
create index screening_newcomer_pending on screening_newcomer (path text_pattern_ops, id) where handled_at is null;
