-- Living residents per node (issue 14): how many people live (resident_lives_here, V26) at each node a
-- resident is attached to (a unit, building, compound or community), kept in the transaction of every
-- write to resident. People inside a subtree (a sealed area, a dashboard's figure) are then a sum over
-- the few nodes under its path, not a count over every resident under it. Nodes never move (V1), so
-- the path copied here stays right.
-- owner: registry
create table resident_living_count (
    node_id  bigint  primary key references division_node (id) on delete cascade,
    path     text    not null,
    living   integer not null check (living >= 0)
);
create index resident_living_count_path on resident_living_count (path text_pattern_ops) include (living);

-- Adds each node's change; a node's first living resident makes its row. A change that would make a
-- count negative fails on the check: the read model and the table disagree, loudly. PL/pgSQL, not SQL:
-- its statement's plan is kept for the session, where a SQL function's is made again at every call.
create function resident_living_count_add(nodes bigint[], paths text[], deltas bigint[]) returns void
    language plpgsql as $$
begin
    with d as (select node_id, min(path) as path, sum(n) as n from unnest(nodes, paths, deltas) as d(node_id, path, n)
               group by node_id having sum(n) <> 0),
         updated as (update resident_living_count c set living = c.living + d.n from d
                     where c.node_id = d.node_id returning c.node_id)
    insert into resident_living_count as c (node_id, path, living)
    select d.node_id, d.path, d.n from d where d.node_id not in (select node_id from updated)
    on conflict (node_id) do update set living = c.living + excluded.living;
end $$;

-- Inserts and deletes count per statement: the roster import's batches (multi-row inserts with
-- reWriteBatchedInserts) pay one aggregate per statement, not one counter update per row. One
-- statement each, straight from the transition table.
create function resident_living_counted_insert() returns trigger language plpgsql as $$
begin
    with d as (select node_id, min(path) as path, count(*) as n from added
               where resident_lives_here(status) group by node_id),
         updated as (update resident_living_count c set living = c.living + d.n from d
                     where c.node_id = d.node_id returning c.node_id)
    insert into resident_living_count as c (node_id, path, living)
    select d.node_id, d.path, d.n from d where d.node_id not in (select node_id from updated)
    on conflict (node_id) do update set living = c.living + excluded.living;
    return null;
end $$;
create trigger resident_living_counted_insert after insert on resident referencing new table as added
    for each statement execute function resident_living_counted_insert();

create function resident_living_counted_delete() returns trigger language plpgsql as $$
begin
    update resident_living_count c set living = c.living - d.n
    from (select node_id, count(*) as n from removed where resident_lives_here(status) group by node_id) d
    where c.node_id = d.node_id;
    return null;
end $$;
create trigger resident_living_counted_delete after delete on resident referencing old table as removed
    for each statement execute function resident_living_counted_delete();

-- Updates count per row, and only those that move a person or change whether they live here: a
-- statement trigger with transition tables cannot name columns, so it would capture every update
-- (the import's one-row updates, the phone tails) for nothing.
create function resident_living_counted_update() returns trigger language plpgsql as $$
begin
    perform resident_living_count_add(array[old.node_id, new.node_id], array[old.path, new.path],
        array[-resident_lives_here(old.status)::int, resident_lives_here(new.status)::int]::bigint[]);
    return null;
end $$;
create trigger resident_living_counted_update after update of node_id, status on resident
    for each row when (old.node_id is distinct from new.node_id
                       or resident_lives_here(old.status) is distinct from resident_lives_here(new.status))
    execute function resident_living_counted_update();

-- Only tests empty the table (TestData.forgetAllResidents); the counts go with it.
create function resident_living_count_clear() returns trigger language plpgsql as $$
begin
    delete from resident_living_count;
    return null;
end $$;
create trigger resident_living_count_cleared after truncate on resident
    for each statement execute function resident_living_count_clear();

insert into resident_living_count (node_id, path, living)
select node_id, min(path), count(*) from resident where resident_lives_here(status) group by node_id;
