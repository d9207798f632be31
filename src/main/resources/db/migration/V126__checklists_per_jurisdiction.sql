-- owner: task
-- A checklist edited by a street (or a district) is that jurisdiction's own version, not the one every
-- other street inspects with: the seeded lists (no path) stay the installation's, and a place is
-- inspected with the version of the nearest node above it that keeps one (Inspections.templatesAt).
alter table checklist_template add column path text;
alter table checklist_template drop constraint checklist_template_kind_key;
create unique index checklist_template_installation on checklist_template (kind) where path is null;
create unique index checklist_template_own on checklist_template (kind, path) where path is not null;
