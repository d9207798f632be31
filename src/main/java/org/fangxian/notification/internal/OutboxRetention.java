package org.fangxian.notification.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.fangxian.shared.PersonalDataPurge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The outbox does not grow without bound (issue 17): a text the outbox is done with
 * (delivered or not, logged, failed, or accepted by the SMS centre without a receipt) is
 * deleted with its parts once it is older than {@code fangxian.retention.outbox} (30
 * days) since it was last touched; pending and sending texts are never. Batches of
 * {@link PersonalDataPurge#BATCH}, each its own transaction: a crash leaves whole rows,
 * and on two nodes the second finds less to delete.
 */
@Component
class OutboxRetention {

	private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration keep;

	OutboxRetention(JdbcClient jdbc, Clock clock, @Value("${fangxian.retention.outbox:30d}") Duration keep) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.keep = keep;
	}

	@Scheduled(cron = "${fangxian.retention.cron:0 17 3 * * *}", zone = "${fangxian.time-zone:Asia/Shanghai}")
	void nightly() {
		forgetBefore(this.clock.instant().minus(this.keep));
	}

	/** Deletes the finished texts last touched before {@code before}; how many. */
	long forgetBefore(Instant before) {
		Timestamp cut = Timestamp.from(before);
		long deleted = PersonalDataPurge.inBatches(() -> this.jdbc.sql("""
				delete from outbox_message where id in (select id from outbox_message
				where created_at < :before and greatest(created_at, next_attempt_at, sent_at, delivered_at) < :before
				  and status in ('DELIVERED', 'UNDELIVERED', 'LOGGED', 'SUBMITTED', 'FAILED')
				limit %d)""".formatted(PersonalDataPurge.BATCH)).param("before", cut).update());
		if (deleted > 0) {
			log.info("Outbox: {} texts older than {} deleted", deleted, this.keep);
		}
		return deleted;
	}

}
