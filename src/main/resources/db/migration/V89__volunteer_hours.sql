-- The hours a volunteer serves on their days (可服务时段), minutes after midnight; 0-1440 is all day,
-- an end before the start runs overnight (22:00-06:00). A hard rule of the roster like the days.
alter table volunteer add column available_from smallint not null default 0,
    add column available_to smallint not null default 1440,
    add constraint volunteer_hours check (available_from between 0 and 1439 and available_to between 1 and 1440
        and available_from <> available_to);
