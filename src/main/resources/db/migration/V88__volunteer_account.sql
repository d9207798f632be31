-- The account an approved volunteer got (volunteer.account_id, from V50, now written by
-- workforce.internal.VolunteerAccounts): one account per person, never shared by two.
create unique index volunteer_account on volunteer (account_id) where account_id is not null;
