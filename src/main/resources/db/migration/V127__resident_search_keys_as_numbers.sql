-- owner: registry
-- The search keys of V125 as numbers instead of text (issue 17). The same pairs, found the same way;
-- what changes is the cost of building and searching the index: a GIN index compares its keys while
-- it sorts them, and text keys compare through the database's collation (C.UTF-8), a quarter of the
-- build's time by perf. A district's first import of a million residents builds this index after its
-- rows (ResidentRecords.bulkLoadIfEmpty), and the build was its one serial step of ~18 s; with
-- bigint keys it is a plain integer comparison (docs/benchmarks.md).
--
-- A key is the district (modulo 2^21) in bits 42-62, the pair's first character's code point in bits
-- 21-41 and the second's in bits 0-20 (a code point fits 21 bits). Two districts whose ids are 2^21
-- apart share keys: a search then also reads the other's candidates, which the district filter and the
-- LIKE drop, as they drop any row that holds a fragment's pairs but not the fragment. Needs a UTF-8
-- database, where ascii() gives the code point.
drop index resident_search_keys;
drop function registry_search_keys(bigint, text, text);

-- One PL/pgSQL statement per pair (the body of V125, names nothing outside pg_catalog: see there).
create function registry_search_keys(district bigint, name text, address text) returns bigint[]
    language plpgsql immutable parallel safe
as $$
declare
    prefix constant bigint := (district % 2097152) << 42;
    keys bigint[] := '{}';
    t text;
begin
    foreach t in array array[name, address] loop
        for i in 1 .. coalesce(char_length(t), 0) - 1 loop
            keys := keys || (prefix | (ascii(substr(t, i, 1))::bigint << 21) | ascii(substr(t, i + 1, 1)));
        end loop;
    end loop;
    return keys;
end $$;

create index resident_search_keys on resident using gin (registry_search_keys(district_id, name, address));
