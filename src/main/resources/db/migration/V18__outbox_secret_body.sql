-- Texts that carry a secret (a cadre's initial password): the readable body is redacted, the full
-- text kept encrypted for the gateway only (notification.Outbox.queueWithSecret).
alter table outbox_message add column body_cipher bytea;
