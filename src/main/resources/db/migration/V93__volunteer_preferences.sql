-- What a volunteer would rather do (意向): kinds of post (PostKind names) and a window of shift start
-- times, minutes after midnight (-1/-1: any time; an end before the start runs overnight). A soft wish
-- the roster weighs, never a rule.
alter table volunteer add column preferred_kinds text[] not null default '{}',
    add column preferred_from smallint not null default -1,
    add column preferred_to smallint not null default -1,
    add constraint volunteer_preferred_hours check ((preferred_from = -1 and preferred_to = -1)
        or (preferred_from between 0 and 1439 and preferred_to between 0 and 1439
            and preferred_from <> preferred_to));
