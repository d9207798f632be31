-- owner: testing
-- Swabs recorded on a phone without network are sent later, perhaps twice: the phone's key names the
-- swab, and a round records each key once (an upload cut mid-way and sent again adds nothing).
alter table sample add column client_key varchar(64);
create unique index sample_client_key on sample (round_id, client_key) where client_key is not null;
