package org.fangxian.notification.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finished texts older than the policy go with their parts; pending, sending and recent
 * ones stay (issue 17).
 */
class OutboxRetentionTest extends IntegrationTest {

	@Autowired
	OutboxRetention retention;

	@Test
	void finishedTextsOlderThanThePolicyGoWithTheirPartsAndTheRestStays() {
		String prefix = "retention:" + UUID.randomUUID() + ":";
		Instant old = Instant.now().minus(40, ChronoUnit.DAYS);
		Instant recent = Instant.now().minus(3, ChronoUnit.DAYS);
		for (String status : new String[] { "DELIVERED", "UNDELIVERED", "LOGGED", "SUBMITTED", "FAILED", "PENDING",
				"SENDING" }) {
			insert(prefix + "old:" + status, status, old, old);
			insert(prefix + "recent:" + status, status, recent, recent);
		}
		// Old, but delivered within the policy: its 30 days start then.
		insert(prefix + "late", "DELIVERED", old, recent);
		this.jdbc.sql("""
				insert into outbox_part (message_id, part, parts, smsc_id, state)
				select id, 1, 1, 'smsc-' || id, 'DELIVERED' from outbox_message where dedupe_key like :p""")
			.param("p", prefix + "%")
			.update();

		long deleted = this.retention.forgetBefore(Instant.now().minus(30, ChronoUnit.DAYS));

		assertThat(deleted).isGreaterThanOrEqualTo(5);
		Map<String, Long> left = new java.util.TreeMap<>();
		this.jdbc.sql("select dedupe_key from outbox_message where dedupe_key like :p")
			.param("p", prefix + "%")
			.query(String.class)
			.list()
			.forEach(key -> left.put(key.substring(prefix.length()), parts(key)));
		assertThat(left).containsOnlyKeys("old:PENDING", "old:SENDING", "recent:DELIVERED", "recent:UNDELIVERED",
				"recent:LOGGED", "recent:SUBMITTED", "recent:FAILED", "recent:PENDING", "recent:SENDING", "late");
		assertThat(left.values()).as("each kept text keeps its part").containsOnly(1L);
		assertThat(this.jdbc.sql("""
				select count(*) from outbox_part p where p.smsc_id like 'smsc-%'
				  and not exists (select 1 from outbox_message m where m.id = p.message_id)""")
			.query(Long.class)
			.single()).as("no part without its text").isZero();
		assertThat(this.retention.forgetBefore(Instant.now().minus(30, ChronoUnit.DAYS))).as("a rerun: nothing")
			.isZero();
	}

	private void insert(String key, String status, Instant created, Instant done) {
		boolean sent = !status.equals("PENDING") && !status.equals("SENDING");
		this.jdbc
			.sql("""
					insert into outbox_message (dedupe_key, phone_cipher, phone_masked, template, body, status,
					    next_attempt_at, created_at, sent_at, delivered_at)
					values (:k, '\\x00', '138****8000', 'sms.testing.reminder', '测试', :s, :created, :created, :sent, :delivered)""")
			.param("k", key)
			.param("s", status)
			.param("created", Timestamp.from(created))
			.param("sent", sent ? Timestamp.from(created) : null)
			.param("delivered", status.equals("DELIVERED") ? Timestamp.from(done) : null)
			.update();
	}

	private long parts(String key) {
		return this.jdbc.sql(
				"select count(*) from outbox_part p join outbox_message m on m.id = p.message_id where m.dedupe_key = :k")
			.param("k", key)
			.query(Long.class)
			.single();
	}

}
