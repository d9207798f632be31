package org.fangxian.audit.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.MonthlyPartitions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail by month (V103, issue 17): a month past the policy is detached and kept
 * as a table of its own, still append-only; the months ahead exist and refuse a truncate;
 * a month without a partition lands in DEFAULT.
 */
class AuditPartitionsTest extends IntegrationTest {

	@Autowired
	AuditPartitions partitions;

	@Autowired
	Clock clock;

	@Test
	void aMonthPastThePolicyIsDetachedAndKeptAppendOnly() {
		YearMonth thisMonth = YearMonth.from(ChinaStandardTime.today(this.clock));
		YearMonth old = thisMonth.minusMonths(30);
		String actor = "audit-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(MonthlyPartitions.create(this.jdbc, "audit_event", old)).isTrue();
		Instant then = ChinaStandardTime.startOf(old.atDay(2));
		insert(actor, then);
		insert(actor, then.plusSeconds(60));
		insert(actor, Instant.now());
		String archive = MonthlyPartitions.name("audit_event", old);

		assertThat(this.partitions.detachExpired(this.clock.instant())).contains(archive)
			.doesNotContain(MonthlyPartitions.name("audit_event", thisMonth),
					MonthlyPartitions.name("audit_event", thisMonth.minusMonths(23)));

		assertThat(this.jdbc.sql("select relispartition from pg_class where relname = :t")
			.param("t", archive)
			.query(Boolean.class)
			.single()).as("a table of its own").isFalse();
		assertThat(count("select count(*) from " + archive + " where actor = '" + actor + "'")).isEqualTo(2);
		assertThat(count("select count(*) from audit_event where actor = '" + actor + "'"))
			.as("the trail reads the attached months")
			.isEqualTo(1);
		assertThatThrownBy(() -> this.jdbc.sql("update " + archive + " set actor = 'x'").update())
			.hasMessageContaining("append-only");
		assertThatThrownBy(() -> this.jdbc.sql("delete from " + archive).update()).hasMessageContaining("append-only");
		assertThatThrownBy(() -> this.jdbc.sql("truncate " + archive).update()).hasMessageContaining("append-only");
		assertThat(this.partitions.detachExpired(this.clock.instant())).as("nothing more to detach").isEmpty();
	}

	@Test
	void theMonthsAheadExistAppendOnlyAndAMissingMonthLandsInDefault() {
		YearMonth thisMonth = YearMonth.from(ChinaStandardTime.today(this.clock));
		this.partitions.createAhead();
		assertThat(MonthlyPartitions.of(this.jdbc, "audit_event").stream().map(MonthlyPartitions.Partition::month))
			.contains(thisMonth, thisMonth.plusMonths(1), thisMonth.plusMonths(2));
		for (String partition : new String[] { MonthlyPartitions.name("audit_event", thisMonth),
				MonthlyPartitions.name("audit_event", thisMonth.plusMonths(2)), "audit_event_default" }) {
			assertThatThrownBy(() -> this.jdbc.sql("truncate " + partition).update()).as(partition)
				.hasMessageContaining("append-only");
		}
		String actor = "audit-" + UUID.randomUUID().toString().substring(0, 8);
		insert(actor, ChinaStandardTime.startOf(thisMonth.minusMonths(50).atDay(1)));
		assertThat(this.jdbc.sql("select tableoid::regclass::text from audit_event where actor = :a")
			.param("a", actor)
			.query(String.class)
			.single()).isEqualTo("audit_event_default");
		assertThatThrownBy(() -> this.jdbc.sql("delete from audit_event where actor = :a").param("a", actor).update())
			.hasMessageContaining("append-only");
	}

	private void insert(String actor, Instant at) {
		this.jdbc.sql("insert into audit_event (at, actor, action) values (:at, :actor, 'TEST')")
			.param("at", Timestamp.from(at))
			.param("actor", actor)
			.update();
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
