-- owner: notification
-- What happened to a text after the outbox let it go. SENT said "sent" for texts the log gateway only
-- wrote to the log; now LOGGED (仅记录，未发送) says so, SUBMITTED means an SMS centre accepted it, and a
-- delivery receipt (状态报告) turns it into DELIVERED or UNDELIVERED.
alter table outbox_message drop constraint outbox_message_status_check;
alter table outbox_message alter column status type varchar(12);
-- Every SENT so far went through the log gateway (it was the only one), whose references are log-<id>.
update outbox_message set status = 'LOGGED' where status = 'SENT' and gateway_ref like 'log-%';
update outbox_message set status = 'SUBMITTED' where status = 'SENT';
alter table outbox_message add constraint outbox_message_status_check
    check (status in ('PENDING', 'SENDING', 'LOGGED', 'SUBMITTED', 'DELIVERED', 'UNDELIVERED', 'FAILED'));
alter table outbox_message add column delivered_at timestamptz;

-- One row per short message an SMS centre accepted for an outbox message (a long text goes in parts,
-- each with its own message id at the centre): a receipt names that id, and finds its message here.
create table outbox_part (
    message_id   bigint      not null references outbox_message (id) on delete cascade,
    part         smallint    not null check (part between 1 and 255),
    parts        smallint    not null check (parts between 1 and 255 and part <= parts),
    -- the centre's message id from submit_sm_resp (SMPP allows up to 65 characters)
    smsc_id      varchar(65) not null,
    state        varchar(12) not null default 'SUBMITTED' check (state in ('SUBMITTED', 'DELIVERED', 'UNDELIVERED')),
    error        varchar(100),
    submitted_at timestamptz not null default now(),
    receipt_at   timestamptz,
    primary key (message_id, part)
);
create index outbox_part_smsc_id on outbox_part (lower(smsc_id));
