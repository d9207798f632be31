-- owner: task
-- A 12345 hotline work order (工单): a task of type WORK_ORDER with what the caller said, classified,
-- dispatched (转派) to a unit with a deadline, replied to by text and closed with the caller's
-- satisfaction. The caller's phone is encrypted; only its masked form is readable.
create table work_order (
    task_id        bigint       primary key references task (id),
    channel        varchar(10)  not null check (channel in ('12345')),
    -- the hotline's own ticket number, when imported: the same export twice adds nothing
    hotline_ref    varchar(40)  unique,
    content        varchar(2000) not null check (length(trim(content)) > 0),
    category       varchar(40)  not null check (length(trim(category)) > 0),
    phone_cipher   bytea        not null,
    phone_masked   varchar(20)  not null,
    reply          varchar(500),
    satisfaction   varchar(20)  check (satisfaction in ('SATISFIED', 'BASICALLY_SATISFIED', 'DISSATISFIED')),
    supervised     smallint     not null default 0
);
create index work_order_category on work_order (category);
