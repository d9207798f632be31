-- owner: platform
-- Signing an account out everywhere (issue 12): security ends a user's browser sessions when an administrator
-- disables the account, changes its role, moves it or resets its password. The sessions are Spring Session's
-- tables, configured by platform (V5); platform publishes this one operation so that security names no table of
-- platform's, and it runs in the caller's transaction like the change it belongs to. A session's attributes go
-- with it (on delete cascade). Returns how many sessions ended.
create function platform_end_sessions(principal text) returns integer
    language sql as $$
    with ended as (delete from spring_session where principal_name = principal returning 1)
    select count(*)::integer from ended
$$;
