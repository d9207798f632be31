-- Pushes every change that can end a bearer token's right to each node's token cache
-- (security.TokenCache): NOTIFY fangxian_auth on commit, whichever node or tool made the change.
-- A token revoked, expired early or deleted; an account disabled, re-roled, moved or reset; a node
-- whose path changes (the scope of every account under it): the cache drops what it names.

create function notify_token_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('fangxian_auth', 'token:' || encode(old.token_hash, 'hex'));
    return null;
end $$;
create trigger api_token_changed after update or delete on api_token
    for each row execute function notify_token_changed();

create function notify_account_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('fangxian_auth', 'account:' || old.id);
    return null;
end $$;
create trigger account_changed after update or delete on account
    for each row execute function notify_account_changed();

create function notify_scopes_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('fangxian_auth', '*');
    return null;
end $$;
create trigger division_node_scopes_changed after update of path, name on division_node
    for each statement execute function notify_scopes_changed();
