-- owner: task
-- Inspection checklists (巡查清单): one template per kind of place, seeded below and editable by the
-- HQ and street administrators. An edit retires items (active = false) rather than deleting them,
-- so a finding always points at the item it answered.
create table checklist_template (
    id          bigserial primary key,
    kind        varchar(20)  not null unique
                check (kind in ('COMMUNITY_GATE', 'ENTERPRISE', 'CONSTRUCTION_SITE', 'COURIER_STATION', 'SUPERMARKET')),
    name        varchar(60)  not null check (length(trim(name)) > 0),
    updated_at  timestamptz  not null default now(),
    updated_by  bigint,
    version     integer      not null default 0
);

create table checklist_item (
    id           bigserial primary key,
    template_id  bigint       not null references checklist_template (id),
    position     integer      not null check (position > 0),
    text         varchar(200) not null check (length(trim(text)) > 0),
    active       boolean      not null default true
);
-- one live item per place in the list
create unique index checklist_item_position on checklist_item (template_id, position) where active;

-- An inspection (巡查) of a node (a community's gate, a building site's compound) or of an
-- establishment under it: planned for a day (scheduled) or started on the spot (ad hoc), then
-- done once with its findings. A verification of a complaint names the work order it checks.
create table inspection (
    id                bigserial primary key,
    template_id       bigint       not null references checklist_template (id),
    node_id           bigint       not null references division_node (id),
    path              text         not null check (path like '/%/'),
    establishment_id  bigint,
    place             varchar(200) not null,
    planned_for       date,
    state             varchar(10)  not null default 'PLANNED' check (state in ('PLANNED', 'DONE')),
    inspector_id      bigint,
    inspector         varchar(100),
    note              varchar(500),
    created_by        bigint,
    created_at        timestamptz  not null,
    done_at           timestamptz,
    check ((state = 'DONE') = (done_at is not null))
);
create index inspection_path on inspection (path text_pattern_ops) include (state, planned_for);

-- What the inspector found for each item: passed, or failed with a note (and a rectification).
create table inspection_finding (
    id                 bigserial primary key,
    inspection_id      bigint       not null references inspection (id),
    item_id            bigint       not null references checklist_item (id),
    passed             boolean      not null,
    note               varchar(500),
    rectification_id   bigint       references task (id),
    unique (inspection_id, item_id),
    check (passed or note is not null)
);

-- Photos of findings, checked as the task engine's attachments are (type from content,
-- 5 MB, JPEG without EXIF).
create table inspection_photo (
    id             bigserial primary key,
    inspection_id  bigint       not null references inspection (id),
    item_id        bigint       references checklist_item (id),
    content_type   varchar(40)  not null check (content_type in ('image/jpeg', 'image/png', 'application/pdf')),
    size           integer      not null check (size between 1 and 5242880),
    content        bytea        not null,
    added_by       bigint,
    added_at       timestamptz  not null
);
create index inspection_photo_inspection on inspection_photo (inspection_id);

-- A rectification (整改) is a task of type RECTIFICATION: which inspection ordered it, for which
-- item, at which place, and the last re-inspection (复查) that looked at it.
create table rectification (
    task_id            bigint       primary key references task (id),
    inspection_id      bigint       not null references inspection (id),
    item_id            bigint       not null references checklist_item (id),
    establishment_id   bigint,
    place              varchar(200) not null,
    item_text          varchar(200) not null,
    finding            varchar(500) not null,
    reinspection_id    bigint       references inspection (id),
    rounds             integer      not null default 1 check (rounds >= 1)
);
-- one open order per item and place: a re-inspection finds it, a second failure reopens it
create index rectification_item on rectification (item_id, establishment_id);

-- A complaint's verification (核实): what the inspector found about a work order, with evidence
-- (photos as the work order's attachments).
create table work_order_verification (
    id          bigserial primary key,
    task_id     bigint       not null references task (id),
    verdict     varchar(20)  not null check (verdict in ('CONFIRMED', 'PARTLY', 'NOT_CONFIRMED')),
    note        varchar(500) not null check (length(trim(note)) > 0),
    by_id       bigint,
    at          timestamptz  not null
);
create index work_order_verification_task on work_order_verification (task_id);

insert into checklist_template (kind, name) values
    ('COMMUNITY_GATE', '社区卡口'),
    ('ENTERPRISE', '企业'),
    ('CONSTRUCTION_SITE', '建筑工地'),
    ('COURIER_STATION', '快递站点'),
    ('SUPERMARKET', '商超');

insert into checklist_item (template_id, position, text)
select t.id, i.position, i.text
from checklist_template t
join (values
    ('COMMUNITY_GATE', 1, '卡口有人值守，值守人员规范佩戴口罩'),
    ('COMMUNITY_GATE', 2, '逐人查验通行码、测温并登记'),
    ('COMMUNITY_GATE', 3, '外来人员、车辆劝返或登记'),
    ('COMMUNITY_GATE', 4, '消毒用品、测温枪配备齐全'),
    ('ENTERPRISE', 1, '员工健康监测台账完整'),
    ('ENTERPRISE', 2, '入口扫码测温'),
    ('ENTERPRISE', 3, '工作场所每日消毒并记录'),
    ('ENTERPRISE', 4, '防疫物资储备充足'),
    ('CONSTRUCTION_SITE', 1, '工地封闭管理，人员实名进出'),
    ('CONSTRUCTION_SITE', 2, '工人宿舍、食堂每日消毒'),
    ('CONSTRUCTION_SITE', 3, '工人按要求核酸检测'),
    ('CONSTRUCTION_SITE', 4, '设置临时隔离观察点'),
    ('COURIER_STATION', 1, '快件外包装消杀并记录'),
    ('COURIER_STATION', 2, '无接触配送，不聚集'),
    ('COURIER_STATION', 3, '从业人员核酸检测记录齐全'),
    ('SUPERMARKET', 1, '入口扫码测温，控制客流'),
    ('SUPERMARKET', 2, '冷链食品来源可追溯'),
    ('SUPERMARKET', 3, '顾客佩戴口罩、一米线'),
    ('SUPERMARKET', 4, '货架、收银台定时消毒')
) as i (kind, position, text) on i.kind = t.kind;
