-- owner: registry
-- The search keys of V127, the same keys, made faster (issue 17). V127 took each character with
-- substr(t, i, 1), which walks a UTF-8 text from its start every time; this splits each text into its
-- characters once (string_to_array with a null separator) and reads them by position. On the database
-- alone, over a million generated residents: the keys in 3.7 s instead of 5.5 s, and the text index's
-- build, which a district's first import runs after its rows, in 11.3-12.0 s instead of 14.8-15.1 s
-- (docs/benchmarks.md, 2026-12-05).
--
-- The keys are the same for every text (ResidentSearchTest: repeated pairs, a character outside the
-- basic plane, one character, empty, null), so the index built by V127 stays as it is. The body still
-- names nothing outside pg_catalog (see V125).
create or replace function registry_search_keys(district bigint, name text, address text) returns bigint[]
    language plpgsql immutable parallel safe
as $$
declare
    prefix constant bigint := (district % 2097152) << 42;
    keys bigint[] := '{}';
    t text;
    c text[];
begin
    foreach t in array array[name, address] loop
        c := string_to_array(t, null);
        for i in 1 .. coalesce(cardinality(c), 0) - 1 loop
            keys := keys || (prefix | (ascii(c[i])::bigint << 21) | ascii(c[i + 1]));
        end loop;
    end loop;
    return keys;
end $$;
