-- owner: registry
-- Every resident written paid for three b-trees over random keys (the keyed hashes of the ID number,
-- the phone and the phone's last four digits): each insert lands on a random leaf, which at a million
-- rows is most of a roster import's time in the database. The whole phone's hash is only ever
-- searched for together with its tail (ResidentRecords: `phone_tail_hash = ? and phone_hash = ?`), so
-- the tail's index finds it among the few hundred sharing those four digits in the scope, and rows the
-- tail backfill (PhoneTails) has not reached yet are found by resident_phone_tail_missing.
drop index if exists resident_phone_hash;
