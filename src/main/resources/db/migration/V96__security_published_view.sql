-- owner: security
-- What security publishes for other modules' SQL (issue 12), as registry does in V82: accounts as others may
-- read them, so that no other module names the account table. Who acted (display name), what they may do
-- (role, enabled) and where they are bound (node and its subtree path, null for an installation-wide
-- account); never the password hash, the phone or the account's history. A plain view of one table joined
-- to registry's published tree: PostgreSQL inlines it, so a lookup by id or user name keeps its index.
create view security_account as
    select a.id, a.username, a.display_name, a.role, a.enabled, a.node_id, n.path
    from account a left join registry_division n on n.id = a.node_id;
