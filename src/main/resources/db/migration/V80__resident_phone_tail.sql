-- owner: registry
-- Workers ask for "尾号 1234" (the last four digits of a phone). A keyed hash (the application's
-- lookup HMAC over "PHONE_TAIL:" and the four digits) finds them without storing the digits: for
-- landlines the masked form shows only two. Rows written before this column existed are filled by the
-- application (PhoneTails, in batches at start-up and then hourly): only it holds the key, so SQL
-- cannot compute the hash. The partial index finds the rows still to fill.
alter table resident add column phone_tail_hash bytea;
create index resident_phone_tail on resident (phone_tail_hash, id) where phone_tail_hash is not null;
create index resident_phone_tail_missing on resident (id)
    where phone_cipher is not null and phone_tail_hash is null;
