-- owner: registry
-- One text index instead of three (issue 17, the first import of a million-row roster): every name or
-- address fragment of two characters or more is found by the bigram index (V81, district-led since
-- V122), which holds each adjacent pair of the name and the address. A fragment is in a row only if
-- all of its pairs are, so the pairs find a superset and the LIKE stays the exact test, as it already
-- was for two characters. The two trigram indexes answered the same searches for three characters
-- and more, and every imported row paid for both GIN indexes: the address alone gave a row some
-- thirty trigrams to insert. pg_trgm stays installed (the installer creates it; nothing needs it now).
drop index resident_name_trgm;
drop index resident_address_trgm;
