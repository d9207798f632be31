-- owner: testing
-- People sampled who are not in the registry (非本辖区人员): a driver sent to re-test at a road
-- checkpoint (补做核酸), a worker at a mall site. Registered on the spot with ID number, name and
-- phone, encrypted like residents' (*_hash: keyed HMAC for lookup; *_masked: what screens show).
-- One row per person (by ID number); who may see them follows their swabs' path.
create table testing_subject (
    id            bigserial primary key,
    id_hash       bytea        not null unique,
    id_cipher     bytea        not null,
    id_masked     varchar(40)  not null,
    name          varchar(50)  not null check (length(trim(name)) > 0),
    phone_cipher  bytea        not null,
    phone_masked  varchar(20)  not null,
    created_by    bigint       not null,
    created_at    timestamptz  not null default now()
);

-- A swab is a resident's (a round member's) or a subject's, never both.
alter table sample alter column resident_id drop not null;
alter table sample add column subject_id bigint references testing_subject (id);
-- for a subject's swab: the sampler's jurisdiction within the round (who may see it), why they were
-- sampled, and for a road re-test the checkpoint that sent them
alter table sample add column path text;
alter table sample add column reason varchar(12) check (reason in ('ROAD_RETEST', 'WALK_IN'));
alter table sample add column checkpoint_id bigint;
alter table sample add constraint sample_resident_or_subject check ((resident_id is null) <> (subject_id is null));
alter table sample add constraint sample_subject_details
    check ((subject_id is null) = (reason is null) and (subject_id is null) = (path is null));
alter table sample add constraint sample_road_retest_checkpoint
    check ((checkpoint_id is null or reason = 'ROAD_RETEST') and (reason is distinct from 'ROAD_RETEST' or checkpoint_id is not null));
create unique index sample_subject_tube on sample (tube_id, subject_id) where subject_id is not null;
create unique index sample_subject_open_tube on sample (round_id, subject_id) where tube_open and subject_id is not null;
create index sample_subject on sample (subject_id) where subject_id is not null;
-- The road page asks "how many re-tests were actually taken here today?"
create index sample_road_retest on sample (checkpoint_id, taken_at) where checkpoint_id is not null;
