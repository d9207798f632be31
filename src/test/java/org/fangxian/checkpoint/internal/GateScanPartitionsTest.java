package org.fangxian.checkpoint.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.MonthlyPartitions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Gate scans partitioned by month (V102, issue 17): each scan in its month's partition,
 * an insert for a month without one in DEFAULT and moved out when the month's partition
 * is made, a retry one row across months, and the retention job dropping a month while
 * the day counters keep its statistics.
 */
class GateScanPartitionsTest extends IntegrationTest {

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	GateScans scans;

	@Autowired
	GateScanPartitions partitions;

	@Autowired
	ResidentService residents;

	@Autowired
	Clock clock;

	@Autowired
	DataSource dataSource;

	CurrentUser guard;

	Checkpoint gate;

	String residentId;

	YearMonth thisMonth;

	@BeforeEach
	void setUp() {
		var tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		this.guard = this.data.user(Role.CHECKPOINT_GUARD, tree.communityA1());
		this.gate = this.checkpoints.create(worker,
				new Checkpoints.NewCheckpoint(tree.communityA1().id(), "东门", "07:00-21:00", 1));
		this.residentId = TestIdNumbers.next();
		this.residents.create(worker, new ResidentService.ResidentForm("王建国", null, this.residentId, "13800000000",
				tree.communityA1().id(), "101", "户主", null, "常住", null));
		this.thisMonth = YearMonth.from(ChinaStandardTime.today(this.clock));
	}

	@Test
	void scansOfThreeMonthsLandInTheirPartitionsAndAMissingMonthInDefault() {
		YearMonth old = this.thisMonth.minusMonths(5);
		// The month before the installation's first has no partition: DEFAULT takes it.
		long early = insert(start(old).plusSeconds(3600), UUID.randomUUID().toString());
		assertThat(partitionOf(early)).isEqualTo("gate_scan_default");
		long now = insert(Instant.now(), UUID.randomUUID().toString());
		// The last second of this month (China Standard Time), the first of the next.
		long lastSecond = insert(start(this.thisMonth.plusMonths(1)).minusSeconds(1), UUID.randomUUID().toString());
		long next = insert(start(this.thisMonth.plusMonths(1)), UUID.randomUUID().toString());
		assertThat(partitionOf(now)).isEqualTo(MonthlyPartitions.name("gate_scan", this.thisMonth));
		assertThat(partitionOf(lastSecond)).isEqualTo(MonthlyPartitions.name("gate_scan", this.thisMonth));
		assertThat(partitionOf(next)).isEqualTo(MonthlyPartitions.name("gate_scan", this.thisMonth.plusMonths(1)));

		// Making the old month's partition moves its rows out of DEFAULT, counted once.
		int counted = dayCount(start(old).plusSeconds(3600));
		assertThat(MonthlyPartitions.create(this.jdbc, "gate_scan", old)).isTrue();
		assertThat(MonthlyPartitions.create(this.jdbc, "gate_scan", old)).as("a second node: nothing to do").isFalse();
		assertThat(partitionOf(early)).isEqualTo(MonthlyPartitions.name("gate_scan", old));
		assertThat(dayCount(start(old).plusSeconds(3600))).isEqualTo(counted).isEqualTo(1);
	}

	@Test
	void theMonthsAheadExistAndAScanFarAheadStillLands() {
		this.partitions.createAhead();
		List<YearMonth> months = MonthlyPartitions.of(this.jdbc, "gate_scan")
			.stream()
			.map(MonthlyPartitions.Partition::month)
			.toList();
		assertThat(months).contains(this.thisMonth, this.thisMonth.plusMonths(1), this.thisMonth.plusMonths(2));
		long far = insert(start(this.thisMonth.plusMonths(9)).plusSeconds(60), UUID.randomUUID().toString());
		assertThat(partitionOf(far)).isEqualTo("gate_scan_default");
	}

	@Test
	void aRetriedScanIsOneRowWhateverTheMonth() {
		String key = UUID.randomUUID().toString();
		Instant at = Instant.now().minusSeconds(120);
		GateScans.ScanResult first = scan(key, at, "IN");
		GateScans.ScanResult again = scan(key, at, "OUT");
		assertThat(again.replayed()).isTrue();
		assertThat(again.scanId()).isEqualTo(first.scanId());
		assertThat(rows(key)).isEqualTo(1);

		// Sent without its time: the server's time differs on each try, the key does not.
		String untimed = UUID.randomUUID().toString();
		GateScans.ScanResult once = scan(untimed, null, "IN");
		GateScans.ScanResult twice = scan(untimed, null, "IN");
		assertThat(twice.replayed()).isTrue();
		assertThat(twice.scanId()).isEqualTo(once.scanId());
		assertThat(rows(untimed)).isEqualTo(1);

		// Its first try was recorded last month; the retry comes after the month turned.
		String turned = UUID.randomUUID().toString();
		long lastMonth = insert(start(this.thisMonth).minusSeconds(30), turned);
		GateScans.ScanResult retry = scan(turned, null, "IN");
		assertThat(retry.replayed()).isTrue();
		assertThat(retry.scanId()).isEqualTo(lastMonth);
		assertThat(rows(turned)).isEqualTo(1);
	}

	@Test
	void theRetentionJobDropsAMonthPastThePolicyAndKeepsItsDayCounts() {
		YearMonth old = this.thisMonth.minusMonths(3);
		Instant at = start(old).plusSeconds(86_400 * 3 + 3600);
		long scan = insert(at, UUID.randomUUID().toString());
		insert(at.plusSeconds(60), UUID.randomUUID().toString());
		this.jdbc.sql("""
				insert into checkpoint_alert (checkpoint_id, path, scan_id, scan_at, kind)
				values (:k, :p, :s, :at, 'FEVER')""")
			.param("k", this.gate.id())
			.param("p", this.gate.path())
			.param("s", scan)
			.param("at", Timestamp.from(at))
			.update();
		// Out of DEFAULT into its month.
		assertThat(MonthlyPartitions.create(this.jdbc, "gate_scan", old)).isTrue();
		String partition = MonthlyPartitions.name("gate_scan", old);
		assertThat(partitionOf(scan)).isEqualTo(partition);
		// This month is within the policy whatever today is: it stays.
		long recent = insert(Instant.now(), UUID.randomUUID().toString());

		List<String> dropped = this.partitions.dropExpired(this.clock.instant());

		assertThat(dropped).contains(partition).doesNotContain(MonthlyPartitions.name("gate_scan", this.thisMonth));
		assertThat(this.jdbc.sql("select to_regclass(:t) is null").param("t", partition).query(Boolean.class).single())
			.isTrue();
		assertThat(this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :k and scanned_at < :to")
			.param("k", this.gate.id())
			.param("to", Timestamp.from(start(old.plusMonths(1))))
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("select count(*) from checkpoint_alert where checkpoint_id = :k")
			.param("k", this.gate.id())
			.query(Long.class)
			.single()).isZero();
		assertThat(dayCount(at)).as("the statistics stay").isEqualTo(2);
		assertThat(partitionOf(recent)).isEqualTo(MonthlyPartitions.name("gate_scan", this.thisMonth));
		assertThat(this.partitions.dropExpired(this.clock.instant())).as("nothing left to drop").isEmpty();
	}

	private GateScans.ScanResult scan(String key, Instant at, String direction) {
		return this.scans.scan(this.guard, this.gate.id(),
				new GateScans.ScanRequest(null, this.residentId, direction, 36.5, null, key, at));
	}

	/**
	 * V124: a connection counts into the slot of its backend's pid modulo 64, so the
	 * consecutive pids of a pool's connections each have a row and none waits for
	 * another's commit; the slot is bounded by a constraint.
	 */
	@Test
	void aConnectionCountsIntoTheSlotOfItsOwnBackend() throws Exception {
		int pid;
		try (Connection c = this.dataSource.getConnection(); var s = c.createStatement()) {
			try (ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
				rs.next();
				pid = rs.getInt(1);
			}
			try (PreparedStatement ps = c.prepareStatement(
					"""
							insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, direction, method, decision, reason, account_id)
							values (?, ?, now(), 'IN', 'ID', 'DENY', 'gate.deny.notResident', ?)""")) {
				for (int i = 0; i < 3; i++) {
					ps.setLong(1, this.gate.id());
					ps.setString(2, UUID.randomUUID().toString());
					ps.setLong(3, this.guard.accountId());
					ps.executeUpdate();
				}
			}
		}
		assertThat(this.jdbc.sql("select slot, denied from gate_day_count where checkpoint_id = :k")
			.param("k", this.gate.id())
			.query((rs, n) -> List.of(rs.getInt(1), rs.getInt(2)))
			.list()).containsExactly(List.of(pid % 64, 3));
		assertThatThrownBy(() -> this.jdbc.sql("update gate_day_count set slot = 64 where checkpoint_id = :k")
			.param("k", this.gate.id())
			.update()).isInstanceOf(DataIntegrityViolationException.class);
	}

	private long insert(Instant at, String key) {
		return this.jdbc
			.sql("""
					insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, direction, method, decision, reason, account_id)
					values (:k, :key, :at, 'IN', 'ID', 'DENY', 'gate.deny.notResident', :by) returning id""")
			.param("k", this.gate.id())
			.param("key", key)
			.param("at", Timestamp.from(at))
			.param("by", this.guard.accountId())
			.query(Long.class)
			.single();
	}

	private String partitionOf(long scan) {
		return this.jdbc.sql("select tableoid::regclass::text from gate_scan where id = :id")
			.param("id", scan)
			.query(String.class)
			.single();
	}

	private long rows(String key) {
		return this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :k and idempotency_key = :key")
			.param("k", this.gate.id())
			.param("key", key)
			.query(Long.class)
			.single();
	}

	private int dayCount(Instant at) {
		return this.jdbc
			.sql("select coalesce(sum(denied), 0) from gate_day_count where checkpoint_id = :k and day = :d")
			.param("k", this.gate.id())
			.param("d", java.sql.Date.valueOf(LocalDate.ofInstant(at, ChinaStandardTime.ZONE)))
			.query(Integer.class)
			.single();
	}

	private static Instant start(YearMonth month) {
		return ChinaStandardTime.startOf(month.atDay(1));
	}

}
