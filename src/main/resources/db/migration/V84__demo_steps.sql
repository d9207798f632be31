-- owner: demo
-- The lived-in demo's steps done, so starting with --demo again adds nothing: a step and its
-- record commit together (a step cut half-way leaves neither).
create table demo_step (
    name     varchar(100) primary key,
    done_at  timestamptz  not null default now()
);
