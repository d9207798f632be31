-- owner: registry
-- The address search stays inside its district (issue 17, docs/scaling.md "The city on one
-- PostgreSQL"): the city-wide trigram index gave every district's candidates and the path filter came
-- after, so the first district's search grew with the city (p99 451 ms at 1 M residents, 6,951 ms at
-- 8 M). The resident carries its district (V90's district_of rule) and the text and phone-tail indexes
-- lead with it, so a district's search reads its own rows only.
--
-- Cheaply: a roster import writes a million residents, so the resident trigger does not call
-- district_of() (a query per row); each node keeps its district, set once when it is made (nodes are
-- never moved, V1), and the trigger reads path and district in the one node look-up it already did.
-- Households keep no district: the search does not join them.
create extension if not exists btree_gin;

-- A node's district: its parent's when the parent is at or below a district, else itself (a district,
-- or a city or province, which is its own "district" as in district_of).
alter table division_node add column district_id bigint;
update division_node set district_id = district_of(path);
alter table division_node alter column district_id set not null;
create function division_node_set_district() returns trigger language plpgsql as $$
begin
    select case when p.kind in ('PROVINCE', 'CITY') then new.id else p.district_id end
      into new.district_id
      from division_node p where p.id = new.parent_id;
    if new.district_id is null then
        new.district_id := new.id;
    end if;
    return new;
end $$;
create trigger division_node_district before insert on division_node
    for each row execute function division_node_set_district();

create function resident_set_place() returns trigger language plpgsql as $$
begin
    select n.path, n.district_id into new.path, new.district_id from division_node n where n.id = new.node_id;
    if new.path is null then
        raise exception 'unknown division node %', new.node_id;
    end if;
    return new;
end $$;

-- The old indexes go first, so the backfill does not maintain them.
drop index resident_name_trgm;
drop index resident_address_trgm;
drop index resident_search_bigrams;
drop index resident_phone_tail;

alter table resident add column district_id bigint;
update resident r set district_id = n.district_id from division_node n where n.id = r.node_id;
alter table resident alter column district_id set not null;
create or replace trigger resident_path before insert or update of node_id on resident
    for each row execute function resident_set_place();

-- Replaced, not added: every index is paid for by each imported row.
create index resident_name_trgm on resident using gin (district_id, name gin_trgm_ops);
create index resident_address_trgm on resident using gin (district_id, address gin_trgm_ops);
create index resident_search_bigrams on resident using gin (district_id, search_bigrams);
create index resident_phone_tail on resident (district_id, phone_tail_hash, id) where phone_tail_hash is not null;
