-- owner: registry
-- What registry publishes for other modules' SQL (issue 12): read-only views over its tables, so that
-- no other module names division_node, household or resident. Each is a plain view of one table:
-- PostgreSQL inlines it into the calling query, so the plans and indexes (path, id, phone_hash) are
-- those of the table itself and set-based queries (a round's population, coverage) stay set-based.
-- What a view leaves out (ID numbers, notes) is not for other modules.

-- The jurisdiction tree: a node's kind, code, name and subtree path.
create view registry_division as
    select id, parent_id, kind, code, name, path
    from division_node;

-- Households (doors) and their addresses.
create view registry_household as
    select id, node_id, path, room, address
    from household;

-- Residents as other modules may read them: the phone only masked, encrypted or hashed; who lives
-- here through resident_lives_here(status) / resident_is_present(status) (V26).
create view registry_resident as
    select id, node_id, household_id, path, name, address, status, birth_date, tags,
           phone_masked, phone_cipher, phone_hash
    from resident;
