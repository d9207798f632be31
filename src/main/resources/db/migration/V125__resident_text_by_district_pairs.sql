-- owner: registry
-- One text index instead of three, and a district's own (issue 17). Every name or address fragment
-- of two characters or more is found by the pairs of adjacent characters it holds: a fragment is in a
-- row only if all its pairs are, so the pairs find a superset and the LIKE stays the exact test.
--
-- * The two trigram GIN indexes go: they answered the same searches for three characters and more,
--   and every imported row paid for them (an address gave some thirty trigrams); a first import of
--   a million rows went from 141.8 s to 115-124 s without them (docs/benchmarks.md).
-- * Each pair is stored with its district ("17:上江"), not bare as V81 stored it: in a multi-column
--   GIN (V122) the district is one more key to intersect, so a common pair's posting list ("1栋",
--   "小区") still held the whole city's rows. With the bare pairs alone, an address search read
--   45,000 blocks at 10 districts (p99 91 ms against 20 ms in one district, CitySimulation); with
--   the district in the key each district's lists are its own, as on a Citus shard.
drop index resident_name_trgm;
drop index resident_address_trgm;
drop index resident_search_bigrams;
alter table resident drop column search_bigrams;
drop function registry_bigrams(text);

-- A resident's search keys: every adjacent pair of characters of the name and of the address, by code
-- point, behind the district and a colon; a repeated pair is kept twice (the GIN stores each key of a
-- row once). A fragment's keys are the same function's with no address. One PL/pgSQL pass (V120: the
-- SQL form cost three times as much per imported row).
--
-- Indexed as an expression, not stored in a column: the district before each pair made a stored
-- array about 100 bytes a row longer than V81's (resident's heap 7.3 GB against 6.3 at 10 million,
-- CitySimulation), and GIN's @> on arrays is exact, so no search computes a row's keys again.
-- PostgreSQL keeps the index as name, address or district change: a resident who moves to another
-- district (the trigger of V122 sets it from the node) is found under that district. The body names
-- nothing outside pg_catalog: ANALYZE, VACUUM and REINDEX evaluate index expressions with
-- search_path = pg_catalog (PostgreSQL 17), where a call to another function of ours is not found.
create function registry_search_keys(district bigint, name text, address text) returns text[]
    language plpgsql immutable parallel safe
as $$
declare
    prefix constant text := district::text || ':';
    keys text[] := '{}';
    t text;
begin
    foreach t in array array[name, address] loop
        for i in 1 .. coalesce(char_length(t), 0) - 1 loop
            keys := keys || (prefix || substr(t, i, 2));
        end loop;
    end loop;
    return keys;
end $$;

create index resident_search_keys on resident using gin (registry_search_keys(district_id, name, address));
