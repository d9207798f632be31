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

-- Every adjacent pair, by code point, behind the district and a colon; a repeated pair is kept
-- twice (the GIN stores each key of a row once). One PL/pgSQL pass (V120: the SQL form cost three
-- times as much per imported row).
create function registry_search_keys(district bigint, t text) returns text[]
    language plpgsql immutable parallel safe strict
as $$
declare
    prefix constant text := district::text || ':';
    keys text[] := '{}';
begin
    for i in 1 .. char_length(t) - 1 loop
        keys := keys || (prefix || substr(t, i, 2));
    end loop;
    return keys;
end $$;

-- Computed after the BEFORE trigger that sets district_id from the node (V122), so a resident who
-- moves to another district gets that district's keys.
alter table resident add column search_keys text[]
    generated always as (registry_search_keys(district_id, name)
                         || registry_search_keys(district_id, coalesce(address, ''))) stored;
create index resident_search_keys on resident using gin (search_keys);
