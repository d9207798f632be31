-- Every look-up by ID number filters on id_hash alone: the roster import (id_hash = any(...), 2,000
-- hashes per chunk) and search (id_hash = ?); the hash already covers the type ("RESIDENT_ID:..."). With
-- id_type as the leading column the unique index could not serve them, so each look-up read the whole
-- index and importing grew quadratically with the table. Same columns, same predicate: the same rule.
drop index resident_id_hash;
create unique index resident_id_hash on resident (id_hash, id_type) where id_hash is not null;
