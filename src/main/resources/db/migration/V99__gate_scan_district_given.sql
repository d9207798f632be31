-- owner: checkpoint
-- A gate scan's district is given by the insert (issue 17): the scan has its checkpoint in hand (cached by
-- id, never changed), so the district is known without asking. The trigger (V90) only looks it up when an
-- insert leaves it out (gate visits, older callers); the scan's hot path then costs one primary-key probe
-- of checkpoint less per row.
create or replace function set_district_from_checkpoint() returns trigger language plpgsql as $$
begin
    if new.district_id is null then
        select k.district_id into new.district_id from checkpoint k where k.id = new.checkpoint_id;
    end if;
    return new;
end $$;
