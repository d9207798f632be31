-- owner: registry
-- A building's first page stays fast in a city (issue 17, docs/benchmarks.md "a building's first
-- page"): with the path index city-wide, the planner met `district_id = any(...) and path like ...`
-- by AND-ing the path index with a district-led text index (V122), which reads every resident of the
-- district (1,000,000 row ids, 100 ms) to keep the ~1,000 of one building. Led by the district, the
-- path index answers both conditions itself (1.4 ms in the same database). Replaced, not added: every
-- index is paid for by each imported row. So every query on resident by path names the district too
-- (district_id = any(districts_under(:scope)), V90), or it reads the whole index.
drop index resident_path;
create index resident_path on resident (district_id, path text_pattern_ops, id);

-- Other modules' scoped reads (a testing round's population) name the district too.
create or replace view registry_resident as
    select id, node_id, household_id, path, name, address, status, birth_date, tags,
           phone_masked, phone_cipher, phone_hash, district_id
    from resident;
