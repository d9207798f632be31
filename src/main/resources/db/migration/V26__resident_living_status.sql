-- owner: registry
-- Who counts as living in an area, stated once for every query (Java: ResidentStatus.livesHere() and
-- present()). Plain SQL functions marked immutable: the planner inlines them, so a query sees
-- "status in (...)" itself and any index on status still applies. No index depends on them today.

-- Lives here now (常住, 租住): the people a text reaches, a household's members at home.
create function resident_lives_here(status varchar) returns boolean
    language sql immutable parallel safe
    as $$ select status in ('RESIDENT', 'RENTING') $$;

-- On the area's books (also 外出, away): counts of a node, a testing round's population.
create function resident_is_present(status varchar) returns boolean
    language sql immutable parallel safe
    as $$ select status in ('RESIDENT', 'RENTING', 'AWAY') $$;
