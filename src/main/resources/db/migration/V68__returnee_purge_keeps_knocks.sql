-- A door knock may name the returnee report it found; when the purge deletes that report
-- at the end of an emergency, the knock stays and loses the link instead of holding the
-- purge back (returnee's purge need not read screening's table).
alter table screening_attempt
    drop constraint screening_attempt_returnee_report_id_fkey,
    add constraint screening_attempt_returnee_report_id_fkey
        foreign key (returnee_report_id) references returnee_report (id) on delete set null;
