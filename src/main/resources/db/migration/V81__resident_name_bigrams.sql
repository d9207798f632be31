-- owner: registry
-- Two-character searches (a surname and one given character, 王伟) cannot use the trigram index: a
-- pattern of two characters has no trigram, so they walked the whole table (p50 278 ms on a million
-- rows, docs/benchmarks.md). A GIN index over the name's and address's two-character substrings
-- finds them; the LIKE stays the exact test. Names and addresses are already stored and indexed
-- (trigrams) in clear, so this keeps the same protection level and adds none of the encrypted fields.
create function registry_bigrams(t text) returns text[]
    language sql immutable parallel safe strict
    as $$ select coalesce(array_agg(distinct substr(t, i, 2)), '{}') from generate_series(1, char_length(t) - 1) i $$;

alter table resident add column search_bigrams text[]
    generated always as (registry_bigrams(name) || registry_bigrams(coalesce(address, ''))) stored;
create index resident_search_bigrams on resident using gin (search_bigrams);

-- One building's residents were imported together, so their ids are not spread evenly: with the
-- default statistics the planner misjudged a building's share of the table and walked the primary key
-- (p99 262 ms for a building's first page). Finer statistics on the path make the estimate right.
alter table resident alter column path set statistics 1000;
