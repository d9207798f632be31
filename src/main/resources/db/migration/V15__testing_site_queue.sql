-- The queue at a site as the volunteer at its end counts it (排队人数), for the public wait estimate.
-- A count is only believed for a while (the application ignores one older than 30 minutes).
alter table testing_site
    add column queue_waiting     integer check (queue_waiting between 0 and 5000),
    add column queue_reported_at timestamptz,
    add column queue_reported_by bigint;

-- The pace of a point: the samples of the tubes it opened lately (a tube fills within minutes).
create index tube_point_opened on tube (point_id, opened_at) where point_id is not null;
