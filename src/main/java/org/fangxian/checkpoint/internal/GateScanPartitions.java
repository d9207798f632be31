package org.fangxian.checkpoint.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * Gate scans by month (V102): this month's and the next two months' partitions exist
 * before their first scan (created at start and every night), and a month wholly older
 * than the retention policy ({@code fangxian.retention.gate-scans}, by default the
 * personal-data policy of 28 days) is detached and dropped, its alerts first. The day
 * counters ({@code gate_day_count}) keep the month's statistics. On two nodes both run;
 * the partition lock and the existence checks make the second a no-op.
 */
@Component
class GateScanPartitions {

	private static final Logger log = LoggerFactory.getLogger(GateScanPartitions.class);

	static final String TABLE = "gate_scan";

	/** Months created ahead of the current one. */
	static final int AHEAD = 2;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Duration keep;

	GateScanPartitions(JdbcClient jdbc, PlatformTransactionManager transactions, Clock clock,
			@Value("${fangxian.retention.gate-scans:${fangxian.retention.personal-data:28d}}") Duration keep) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock;
		this.keep = keep;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onStart() {
		createAhead();
	}

	@Scheduled(cron = "${fangxian.retention.cron:0 17 3 * * *}", zone = "${fangxian.time-zone:Asia/Shanghai}")
	void nightly() {
		createAhead();
		dropExpired(this.clock.instant());
	}

	/** The partitions it created. */
	List<String> createAhead() {
		List<String> created = this.transactions.execute(
				status -> MonthlyPartitions.createAhead(this.jdbc, TABLE, ChinaStandardTime.today(this.clock), AHEAD));
		if (!created.isEmpty()) {
			log.info("Gate scan partitions created: {}", created);
		}
		return created;
	}

	/**
	 * Detaches and drops every month that ended more than the policy before {@code now};
	 * the partitions it dropped.
	 */
	List<String> dropExpired(Instant now) {
		List<String> dropped = MonthlyPartitions.retire(this.jdbc, this.transactions, TABLE, now.minus(this.keep),
				new MonthlyPartitions.Retirement() {

					@Override
					public void before(MonthlyPartitions.Partition month) {
						deleteAlerts(month);
					}

					@Override
					public void detached(MonthlyPartitions.Partition month) {
						GateScanPartitions.this.jdbc.sql("drop table " + month.name()).update();
					}

				});
		if (!dropped.isEmpty()) {
			log.info("Gate scan partitions past the retention policy of {} dropped: {}", this.keep, dropped);
		}
		return dropped;
	}

	/**
	 * Alerts name their scan (by id and time, no foreign key: V102) and are personal
	 * records of the same age: they go first, none is left naming a scan that is gone.
	 */
	private void deleteAlerts(MonthlyPartitions.Partition month) {
		for (Long district : this.jdbc.sql("select distinct district_id from checkpoint").query(Long.class).list()) {
			this.jdbc
				.sql("""
						delete from checkpoint_alert where district_id = :district and scan_at >= :from and scan_at < :to""")
				.param("district", district)
				.param("from", java.sql.Timestamp.from(month.from()))
				.param("to", java.sql.Timestamp.from(month.to()))
				.update();
		}
	}

}
