-- Texts are kept 30 days after they were done with (fangxian.retention.outbox, OutboxRetention): the
-- nightly job walks them by age in batches.
create index outbox_message_created on outbox_message (created_at);
