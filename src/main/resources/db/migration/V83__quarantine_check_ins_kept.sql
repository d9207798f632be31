-- owner: quarantine
-- Every check-in is kept, two in one half-day too: a worker's fever must not be overwritten
-- by a later self-report of the same slot (issue 13). The slot's lookups keep an index.
alter table quarantine_check_in drop constraint quarantine_check_in_quarantine_id_day_slot_key;
create index quarantine_check_in_slot on quarantine_check_in (quarantine_id, day, slot);
