-- owner: checkpoint
-- Family links (家庭码) carry no row of their own: the link is signed. Revoking a household's links bumps its
-- generation, which is part of what the signature covers, so every link handed out before stops working and
-- a link sent afterwards is a different one. No row: generation 0 (links from before this table).
create table family_link (
    household_id  bigint      primary key references household (id),
    generation    integer     not null default 0 check (generation >= 0),
    revoked_at    timestamptz,
    revoked_by    bigint      references account (id)
);

-- Who revoked a pass: a revoked pass is never replaced automatically (not by a family link, not by a card
-- sheet); only a worker issuing a new one for that person does.
alter table resident_pass add column revoked_by bigint references account (id);
