-- owner: registry
-- A resident's path and district, and a household's path, are their node's: a foreign key now says
-- so, and the row triggers only fill them in for writers that leave them out (issue 17,
-- docs/benchmarks.md "the place checked by its key").
--
-- Why: each resident and household insert ran a PL/pgSQL trigger that looked its node up, and then the
-- node's foreign key looked it up again. On the database alone, a million residents cost 12.7-13.0 s
-- with both against 9.9-10.6 s with one key over (id, path, district_id); 400,000 households 7.7-8.9 s
-- against 5.8-6.2 s. A roster import knows each row's node, so it sends the path and district and the
-- key checks them in the one look-up it made anyway. A wrong path or district is refused (23503), not
-- corrected: the key is the rule, the trigger a convenience.
--
-- Nodes never move (V1 refuses a changed path) and keep the district they were made with (V122), so
-- the referenced columns do not change under the rows that name them.
create unique index division_node_place on division_node (id, path, district_id);
create unique index division_node_id_path on division_node (id, path);

alter table resident drop constraint resident_node_id_fkey;
alter table resident add constraint resident_node_place_fkey
    foreign key (node_id, path, district_id) references division_node (id, path, district_id);

alter table household drop constraint household_node_id_fkey;
alter table household add constraint household_node_place_fkey
    foreign key (node_id, path) references division_node (id, path);

-- Filled in only when left out on insert; always on a move (the key would refuse the old path).
drop trigger resident_path on resident;
create trigger resident_path before insert on resident
    for each row when (new.path is null or new.district_id is null) execute function resident_set_place();
create trigger resident_path_moved before update of node_id on resident
    for each row execute function resident_set_place();

drop trigger household_path on household;
create trigger household_path before insert on household
    for each row when (new.path is null) execute function set_path_from_node();
create trigger household_path_moved before update of node_id on household
    for each row execute function set_path_from_node();
