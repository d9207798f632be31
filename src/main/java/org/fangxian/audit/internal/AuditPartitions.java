package org.fangxian.audit.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.MonthlyPartitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail by month (V103): this month's and the next two months' partitions exist
 * before their first event, each append-only like the table (its own truncate trigger); a
 * month that ended more than {@code fangxian.retention.audit-detach-after-months} (24)
 * months ago is detached and kept as the table {@code audit_event_YYYYMM} for the archive
 * (copy it out with pg_dump, then drop it by hand if the archive policy says so): the
 * audit page no longer reads it, and it stays append-only. Never deleted with the
 * personal data it records. Safe on two nodes (the partition lock, existence checks).
 */
@Component
class AuditPartitions {

	private static final Logger log = LoggerFactory.getLogger(AuditPartitions.class);

	static final String TABLE = "audit_event";

	static final int AHEAD = 2;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final int months;

	AuditPartitions(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock,
			@Value("${fangxian.retention.audit-detach-after-months:24}") int months) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock;
		this.months = months;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStart() {
		createAhead();
	}

	@Scheduled(cron = "${fangxian.retention.cron:0 17 3 * * *}", zone = "${fangxian.time-zone:Asia/Shanghai}")
	void nightly() {
		createAhead();
		detachExpired(this.clock.instant());
	}

	/** The partitions it created. */
	List<String> createAhead() {
		List<String> created = this.transactions.execute(status -> {
			List<String> names = MonthlyPartitions.createAhead(this.jdbc, TABLE, ChinaStandardTime.today(this.clock),
					AHEAD);
			names.forEach(this::appendOnly);
			return names;
		});
		if (!created.isEmpty()) {
			log.info("Audit partitions created: {}", created);
		}
		return created;
	}

	/**
	 * Detaches every month that ended more than the policy's months before {@code now};
	 * the tables it left standing alone.
	 */
	List<String> detachExpired(Instant now) {
		Instant cut = ZonedDateTime.ofInstant(now, ChinaStandardTime.ZONE).minusMonths(this.months).toInstant();
		List<String> detached = MonthlyPartitions.retire(this.jdbc, this.transactions, TABLE, cut, month -> {
			// On its own the table keeps the trail's rule: no update, no delete, no
			// truncate.
			this.jdbc
				.sql("create or replace trigger audit_event_no_update before update or delete on " + month.name()
						+ " for each row execute function audit_event_append_only()")
				.update();
			appendOnly(month.name());
		});
		if (!detached.isEmpty()) {
			log.info("Audit months older than {} months detached and kept for the archive: {}", this.months, detached);
		}
		return detached;
	}

	/** A partition's own truncate guard (the table's is not passed on). */
	private void appendOnly(String partition) {
		this.jdbc
			.sql("create or replace trigger audit_event_no_truncate before truncate on "
					+ MonthlyPartitions.checked(partition)
					+ " for each statement execute function audit_event_append_only()")
			.update();
	}

}
