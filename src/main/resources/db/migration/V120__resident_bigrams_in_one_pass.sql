-- owner: registry
-- The bigrams of every resident written are computed by the database (the generated column of V81),
-- so their cost is paid once per row of a roster import: the SQL form (generate_series, then
-- array_agg(distinct …)) took ~15 µs of the server's CPU per resident, 15 s of a million-row import.
-- One PL/pgSQL pass is about three times cheaper. It keeps a repeated pair twice: the GIN index
-- stores each key of a row once and `@>` asks only whether a key is there, so the searches find the
-- same rows; the rows already stored keep their de-duplicated arrays, which search alike.
create or replace function registry_bigrams(t text) returns text[]
    language plpgsql immutable parallel safe strict
as $$
declare
    pairs text[] := '{}';
begin
    for i in 1 .. char_length(t) - 1 loop
        pairs := pairs || substr(t, i, 2);
    end loop;
    return pairs;
end $$;
