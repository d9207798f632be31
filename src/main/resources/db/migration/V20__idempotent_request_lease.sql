-- The replay cache kept answers in clear, a revealed ID number and phone among them, for two days:
-- they are dropped (a retry across this upgrade runs again; answers are now stored encrypted).
delete from idempotent_request;

-- A call in progress holds its key only as long as its lease, renewed while it runs; a crash
-- leaves a lease that ends within a minute instead of a key blocked for two days.
alter table idempotent_request add column lease_until timestamptz;
alter table idempotent_request add column owner varchar(64);
-- A call that revealed personal data is not stored at all: its retry runs again and is audited again.
alter table idempotent_request add column reexecute boolean not null default false;
