-- Door-to-door progress kept as doors and knocks are written (issue 14): the dashboard's figure of a
-- district, street or community for a day ("doors of the campaigns running that day in the subtree,
-- and those visited, at home or refused, by the end of it") is a sum over a few rows per community,
-- not a count of every door with a probe of its knocks (docs/benchmarks.md "Reporting: door-to-door
-- from a read model").

-- The China Standard Time day of the door's first conclusive knock (at home or refused), null while
-- there is none: the door counts as visited on that day and every later one. Kept by the knocks'
-- triggers below, so a door knocked twice, or by two workers, is visited once, on the first day.
alter table screening_visit add column first_visited_on date;
update screening_visit v set first_visited_on = a.day
from (select visit_id, min((visited_at at time zone 'Asia/Shanghai')::date) as day from screening_attempt
      where outcome in ('AT_HOME', 'REFUSED') group by visit_id) a
where v.id = a.visit_id;

-- Doors and first visits per campaign, community (area_path: the door's path cut after its
-- community, or the door's own path when it has none above it) and day: the doors themselves on
-- day '-infinity' (they count on every day of the campaign), each door's first visit on its day.
-- Visited by the end of day D = the rows with day <= D of the campaigns running on D.
-- owner: screening
create table screening_progress (
    campaign_id  bigint   not null references screening_campaign (id),
    area_path    text     not null,
    day          date     not null,
    doors        integer  not null default 0,
    visited      integer  not null default 0
) with (fillfactor = 50);
-- A knock updates one row of its community and day: the counts stay out of the index and half of each
-- page free, so the update is HOT and the row's old versions are pruned in place, not left to pile up
-- in the index until a vacuum (measured: DoorToDoorBenchmark).
create unique index screening_progress_key on screening_progress (campaign_id, area_path text_pattern_ops, day);

-- The community a door's path lies in, as the prefix of that path (so a door and its area stay in
-- the same subtree whatever moves later), from the kinds of the path's nodes.
create function screening_area(door_path text) returns text language sql stable as $$
    select coalesce((select left(door_path, strpos(door_path, '/' || n.id || '/') + length(n.id::text) + 1)
                     from registry_division n
                     where n.id = any (string_to_array(trim(both '/' from door_path), '/')::bigint[])
                       and n.kind = 'COMMUNITY'
                     limit 1), door_path)
$$;

-- Adds signed counts of doors (campaign, door path, first-visit day or null, how many) into the
-- rows, then drops the rows that fell to zero (a purged campaign leaves none). Callers group by
-- (campaign, path, day) first, so a campaign of 400,000 doors is a few thousand input rows and
-- one look-up of the community per door path.
create function fold_screening_progress(campaigns bigint[], paths text[], days date[], counts integer[])
    returns void language plpgsql as $$
begin
    if campaigns is null then
        return;
    end if;
    insert into screening_progress as p (campaign_id, area_path, day, doors, visited)
    select campaign_id, screening_area(door_path), day, sum(doors), sum(visited)
    from (select c as campaign_id, dp as door_path, '-infinity'::date as day, n as doors, 0 as visited
          from unnest(campaigns, paths, counts) as u(c, dp, n)
          union all
          select c, dp, d, 0, n from unnest(campaigns, paths, days, counts) as u(c, dp, d, n) where d is not null) f
    group by 1, 2, 3
    order by 1, 2, 3
    on conflict (campaign_id, area_path, day) do update
        set doors = p.doors + excluded.doors, visited = p.visited + excluded.visited;
    if exists (select 1 from unnest(counts) n where n < 0) then
        delete from screening_progress p
        using (select distinct c, screening_area(dp) as area from unnest(campaigns, paths) as u(c, dp)) k
        where p.campaign_id = k.c and p.area_path = k.area and p.doors = 0 and p.visited = 0;
    end if;
end $$;

-- Doors in and out: a campaign's creation (one statement for all its doors) and the purge's batched
-- deletes, each folded as one aggregate.
create function count_screening_visits() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform fold_screening_progress(array_agg(campaign_id), array_agg(path), array_agg(first_visited_on), array_agg(n))
        from (select campaign_id, path, first_visited_on, count(*)::integer as n from new_visits group by 1, 2, 3) g;
    else
        perform fold_screening_progress(array_agg(campaign_id), array_agg(path), array_agg(first_visited_on), array_agg(n))
        from (select campaign_id, path, first_visited_on, -count(*)::integer as n from old_visits group by 1, 2, 3) g;
    end if;
    return null;
end $$;
create trigger screening_visit_counted_insert after insert on screening_visit referencing new table as new_visits
    for each statement execute function count_screening_visits();
create trigger screening_visit_counted_delete after delete on screening_visit referencing old table as old_visits
    for each statement execute function count_screening_visits();

-- A door whose first visit is set or moved (a knock, one per transaction), or that changes campaign or
-- path: a row trigger, so the knock's summary and an assignment, which change neither, cost nothing.
create function move_screening_visit() returns trigger language plpgsql as $$
begin
    if old.campaign_id = new.campaign_id and old.path = new.path then
        if new.first_visited_on is not null then
            insert into screening_progress as p (campaign_id, area_path, day, visited)
            values (new.campaign_id, screening_area(new.path), new.first_visited_on, 1)
            on conflict (campaign_id, area_path, day) do update set visited = p.visited + 1;
        end if;
        if old.first_visited_on is not null then
            update screening_progress set visited = visited - 1
            where campaign_id = old.campaign_id and area_path = screening_area(old.path) and day = old.first_visited_on;
            delete from screening_progress
            where campaign_id = old.campaign_id and area_path = screening_area(old.path) and day = old.first_visited_on
              and doors = 0 and visited = 0;
        end if;
    else
        perform fold_screening_progress(array[old.campaign_id, new.campaign_id], array[old.path, new.path],
                                        array[old.first_visited_on, new.first_visited_on], array[-1, 1]);
    end if;
    return null;
end $$;
create trigger screening_visit_counted_update after update on screening_visit for each row
    when (old.first_visited_on is distinct from new.first_visited_on or old.path is distinct from new.path
          or old.campaign_id is distinct from new.campaign_id)
    execute function move_screening_visit();

-- Tests empty the registry with truncate ... cascade, which takes the doors along without a delete.
create function forget_screening_progress() returns trigger language plpgsql as $$
begin
    delete from screening_progress;
    return null;
end $$;
create trigger screening_visit_truncated after truncate on screening_visit
    for each statement execute function forget_screening_progress();

-- A door's first visit from its knocks: a new conclusive knock can only make it earlier; a knock
-- changed or deleted (the purge) leaves it to what the door's remaining knocks say.
create function refirst_screening_visits(visits bigint[]) returns void language sql as $$
    update screening_visit v set first_visited_on = f.day
    from (select k.id, (select min((a.visited_at at time zone 'Asia/Shanghai')::date) from screening_attempt a
                        where a.visit_id = k.id and a.outcome in ('AT_HOME', 'REFUSED')) as day
          from (select distinct unnest(visits) as id) k) f
    where v.id = f.id and v.first_visited_on is distinct from f.day
$$;

-- A knock as the service records it, one per transaction: a row trigger, only for conclusive ones.
create function first_screening_visit() returns trigger language plpgsql as $$
begin
    update screening_visit set first_visited_on = (new.visited_at at time zone 'Asia/Shanghai')::date
    where id = new.visit_id
      and (first_visited_on is null or first_visited_on > (new.visited_at at time zone 'Asia/Shanghai')::date);
    return null;
end $$;
create trigger screening_attempt_first_insert after insert on screening_attempt
    for each row when (new.outcome in ('AT_HOME', 'REFUSED')) execute function first_screening_visit();

create function first_screening_visits() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform refirst_screening_visits(array(select visit_id from old_attempts));
    else
        perform refirst_screening_visits(array(select visit_id from old_attempts union select visit_id from new_attempts));
    end if;
    return null;
end $$;
create trigger screening_attempt_first_update after update on screening_attempt
    referencing old table as old_attempts new table as new_attempts
    for each statement execute function first_screening_visits();
create trigger screening_attempt_first_delete after delete on screening_attempt referencing old table as old_attempts
    for each statement execute function first_screening_visits();

-- The doors and first visits recorded before this migration.
select fold_screening_progress(array_agg(campaign_id), array_agg(path), array_agg(first_visited_on), array_agg(n))
from (select campaign_id, path, first_visited_on, count(*)::integer as n from screening_visit group by 1, 2, 3) g;
