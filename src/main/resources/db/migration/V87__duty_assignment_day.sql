-- Volunteers on duty per subtree and day (workforce.internal.DutyFigures): the day's seats first.
create index duty_assignment_day on duty_assignment (day, post_id);
