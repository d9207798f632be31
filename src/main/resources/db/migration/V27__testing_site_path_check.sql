-- owner: testing
-- A site serves the places under its path; an empty path would make it serve every place of the installation.
alter table testing_site add constraint testing_site_path_is_a_node check (path like '/%/');
