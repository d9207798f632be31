-- owner: security
-- Accounts (issue 10): user names unique after normalisation, throttling per (account, client
-- address) instead of one lock anyone could keep closed, forced password change, cadres' phones.

-- User names are already limited to ASCII letters, digits and "_.@-" (V3's check), for which NFKC and
-- trimming change nothing: lower() is the whole normalisation (security.Usernames, same rule in Java).
-- Older rows that clash after lower-casing keep the oldest account; the others are renamed, disabled,
-- signed out and written to the audit trail, so an administrator can see what happened.
create temporary table account_clash on commit drop as
select a.id, a.username
from account a
where exists (select 1 from account o where lower(o.username) = lower(a.username) and o.id < a.id);

update account a set username = left(a.username, 40) || '.dup' || a.id, enabled = false
from account_clash c where c.id = a.id;

update api_token t set revoked_at = now() from account_clash c where t.account_id = c.id and t.revoked_at is null;

delete from spring_session s using account_clash c where s.principal_name = c.username;

insert into audit_event (actor, action, target_type, target_id, detail)
select 'system', 'ACCOUNT_DISABLED', 'account', c.id::text,
       'user name ' || c.username || ' clashed with an older account after normalisation; renamed and disabled'
from account_clash c;

alter table account drop constraint account_username_key;
create unique index account_username_normalised on account (lower(username));

alter table account add column must_change_password boolean not null default false;
-- A cadre's mobile, for texting an initial password: encrypted like residents' phones, masked for lists.
alter table account add column phone_cipher bytea;
alter table account add column phone_masked varchar(20);
alter table account add column created_by bigint references account (id);

-- The old counters locked the account for everyone; throttling is now per client address (login_throttle).
alter table account drop column failed_attempts;
alter table account drop column locked_until;

-- Failed sign-ins per (normalised user name, client address): unknown names are throttled like known
-- ones, so the answer never tells them apart. A lock only stops that address, never the account's owner.
create table login_throttle (
    username_key     varchar(64)  not null,
    client           varchar(64)  not null,
    failures         integer      not null default 0 check (failures >= 0),
    -- locks imposed in a row; each doubles the next lock's length, back to 0 on success or after a quiet day
    locks            integer      not null default 0 check (locks >= 0),
    locked_until     timestamptz,
    last_failure_at  timestamptz  not null,
    primary key (username_key, client)
);
create index login_throttle_stale on login_throttle (last_failure_at);
