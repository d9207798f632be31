package org.fangxian.checkpoint.internal;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.fangxian.IntegrationTest;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Passes;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.TestData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate's group commit (issue 17, {@link ScanWriter}): scans that arrive while a
 * writer is busy are written together, one durable row each, their alerts with them; a
 * key given twice is written once; a row that cannot be written fails alone.
 */
class ScanGroupCommitTest extends IntegrationTest {

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	Passes passes;

	@Autowired
	GateScans scans;

	@Autowired
	ResidentService residents;

	@Autowired
	JdbcTemplate template;

	@Autowired
	PlatformTransactionManager transactions;

	CurrentUser worker;

	CurrentUser guard;

	Checkpoint gate;

	long resident;

	String residentId;

	ExecutorService callers = Executors.newFixedThreadPool(64);

	@BeforeEach
	void setUp() {
		TestData.Tree tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		this.guard = this.data.user(Role.CHECKPOINT_GUARD, tree.communityA1());
		this.gate = this.checkpoints.create(this.worker,
				new Checkpoints.NewCheckpoint(tree.communityA1().id(), "北门", "07:00-21:00", 2));
		this.residentId = TestIdNumbers.next();
		this.resident = this.residents.create(this.worker, new ResidentService.ResidentForm("李秀英", null,
				this.residentId, "13800000001", tree.communityA1().id(), "102", "户主", null, "常住", null));
	}

	@AfterEach
	void tearDown() {
		this.callers.shutdownNow();
	}

	private ScanWriter.Row row(String key, Instant at, Long resident, BigDecimal temperature, String alert) {
		return new ScanWriter.Row(this.gate.districtId(), this.gate.id(), key,
				new SqlParameterValue(Types.OTHER, at.truncatedTo(ChronoUnit.MICROS).toString()), "IN", "ID", resident,
				temperature, null, alert == null ? "ALLOW" : "DENY", alert == null ? "gate.allow" : "gate.deny.fever",
				this.guard.accountId(), this.gate.path(), alert);
	}

	/**
	 * A writer held on its first, lone scan while the others queue, so the next statement
	 * takes them all: what a busy gate does, made certain.
	 */
	private record Held(ScanWriter writer, CountDownLatch release, CountDownLatch holding) {
	}

	private Held held() {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch holding = new CountDownLatch(1);
		AtomicBoolean first = new AtomicBoolean(true);
		ScanWriter writer = new ScanWriter(this.template, row -> {
			if (first.getAndSet(false)) {
				holding.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return this.scans.record(row, true);
		}, 1, 64);
		return new Held(writer, release, holding);
	}

	private List<Future<Long>> queue(Held held, List<ScanWriter.Row> rows) throws Exception {
		List<Future<Long>> written = hold(held, rows);
		held.release().countDown();
		return written;
	}

	/** The rows queued behind a writer held on its first scan, not released yet. */
	private List<Future<Long>> hold(Held held, List<ScanWriter.Row> rows) throws Exception {
		this.callers
			.submit(() -> held.writer().write(row("first-" + UUID.randomUUID(), Instant.now(), null, null, null)));
		assertThat(held.holding().await(30, TimeUnit.SECONDS)).isTrue();
		List<Future<Long>> written = new ArrayList<>();
		for (ScanWriter.Row row : rows) {
			written.add(this.callers.submit(() -> held.writer().write(row)));
		}
		// Every caller has queued its scan before the writer comes back.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (queued(held) < rows.size() && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(queued(held)).isEqualTo(rows.size());
		return written;
	}

	private static int queued(Held held) {
		return held.writer().queued();
	}

	private long rows(String keyPrefix) {
		return this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c and idempotency_key like :k")
			.param("c", this.gate.id())
			.param("k", keyPrefix + "%")
			.query(Long.class)
			.single();
	}

	private long fevers(String keyPrefix) {
		return this.jdbc
			.sql("select count(*) from checkpoint_alert a join gate_scan s on s.id = a.scan_id "
					+ "where s.checkpoint_id = :c and s.idempotency_key like :k and a.kind = 'FEVER'")
			.param("c", this.gate.id())
			.param("k", keyPrefix + "%")
			.query(Long.class)
			.single();
	}

	@Test
	void scansThatArriveTogetherAreWrittenInOneStatementWithTheirAlerts() throws Exception {
		Held held = held();
		try {
			List<ScanWriter.Row> rows = new ArrayList<>();
			Instant at = Instant.now().minusSeconds(30);
			for (int i = 0; i < 20; i++) {
				boolean fever = i % 5 == 0;
				rows.add(row("together-" + i, at.plusMillis(i), this.resident, new BigDecimal(fever ? "38.6" : "36.4"),
						fever ? "FEVER" : null));
			}
			List<Future<Long>> written = queue(held, rows);
			Set<Long> ids = new HashSet<>();
			for (Future<Long> future : written) {
				ids.add(future.get(30, TimeUnit.SECONDS));
			}
			assertThat(ids).hasSize(20).doesNotContainNull();
			assertThat(rows("together-")).isEqualTo(20);
			// One statement, one transaction: the twenty rows share the time it began.
			assertThat(this.jdbc
				.sql("""
						select count(distinct recorded_at) from gate_scan where checkpoint_id = :c and idempotency_key like 'together-%'""")
				.param("c", this.gate.id())
				.query(Long.class)
				.single()).isEqualTo(1);
			// Each answer is its own row, and each fever its alert.
			for (int i = 0; i < 20; i++) {
				assertThat(this.jdbc.sql("select idempotency_key from gate_scan where id = :id")
					.param("id", written.get(i).get())
					.query(String.class)
					.single()).isEqualTo("together-" + i);
			}
			assertThat(fevers("together-")).isEqualTo(4);
		}
		finally {
			held.writer().close();
		}
	}

	@Test
	void aKeyGivenTwiceInOneBatchIsWrittenOnceAndARowThatCannotBeWrittenFailsAlone() throws Exception {
		Held held = held();
		try {
			Instant at = Instant.now().minusSeconds(60);
			List<ScanWriter.Row> rows = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				rows.add(row("mixed-" + i, at.plusMillis(i), this.resident, null, null));
			}
			rows.add(row("mixed-2", at.plusMillis(2), this.resident, null, null));
			// A resident who does not exist: its foreign key fails the whole statement.
			rows.add(row("mixed-bad", at, Long.MAX_VALUE, null, null));
			List<Future<Long>> written = queue(held, rows);
			Set<Long> ids = new HashSet<>();
			for (int i = 0; i < 6; i++) {
				ids.add(written.get(i).get(30, TimeUnit.SECONDS));
			}
			assertThat(ids).hasSize(6).doesNotContainNull();
			// The second "mixed-2" is a retry: nothing new, and the caller finds the
			// first.
			assertThat(written.get(6).get(30, TimeUnit.SECONDS)).isNull();
			assertThat(written.get(7)).failsWithin(30, TimeUnit.SECONDS)
				.withThrowableOfType(java.util.concurrent.ExecutionException.class)
				.withCauseInstanceOf(DataIntegrityViolationException.class);
			assertThat(rows("mixed-")).isEqualTo(6);
		}
		finally {
			held.writer().close();
		}
	}

	@Test
	void aBatchInsertsInKeyOrderWhateverOrderItsScansCameIn() throws Exception {
		// Two writers given the same keys at once (a phone's queue sent twice, in another
		// order) would each wait for the other's uncommitted rows until the database
		// broke the deadlock; inserting in one order for every writer makes it a queue.
		Held held = held();
		try {
			Instant at = Instant.now().minusSeconds(90);
			List<ScanWriter.Row> rows = new ArrayList<>();
			for (int i = 49; i >= 0; i--) {
				rows.add(row("ordered-" + (100 + i), at.plusMillis(i), this.resident, null, null));
			}
			List<Future<Long>> written = queue(held, rows);
			for (Future<Long> future : written) {
				assertThat(future.get(30, TimeUnit.SECONDS)).isNotNull();
			}
			// Ids come from the sequence in the order the rows were inserted.
			List<String> byId = this.jdbc.sql(
					"select idempotency_key from gate_scan where checkpoint_id = :c and idempotency_key like 'ordered-%' order by id")
				.param("c", this.gate.id())
				.query(String.class)
				.list();
			assertThat(byId).hasSize(50).isSorted();
			assertThat(held.writer().failed()).isZero();
		}
		finally {
			held.writer().close();
		}
	}

	@Test
	void manyGatesAtOnceGetOneRowAndTheirOwnAnswerEach() throws Exception {
		String qr = this.passes.current(this.worker, this.resident).qr();
		Instant at = Instant.now().minusSeconds(120);
		List<Future<GateScans.ScanResult>> answers = new ArrayList<>();
		List<GateScans.ScanRequest> requests = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			boolean fever = i % 10 == 0;
			// Every tenth scan is sent twice at once, as a phone's queue sent twice.
			GateScans.ScanRequest request = i % 10 == 1 ? requests.get(i - 1)
					: new GateScans.ScanRequest(i % 2 == 0 ? qr : null, i % 2 == 0 ? null : this.residentId,
							i % 3 == 0 ? "OUT" : "IN", fever ? 38.9 : 36.5, null, "many-" + i, at.plusMillis(i));
			requests.add(request);
			answers.add(this.callers.submit(() -> this.scans.scan(this.guard, this.gate.id(), request)));
		}
		Set<Long> firstIds = new HashSet<>();
		for (int i = 0; i < 400; i++) {
			GateScans.ScanResult result = answers.get(i).get(60, TimeUnit.SECONDS);
			if (i % 10 == 1) {
				continue;
			}
			GateScans.ScanResult twin = i % 10 == 0 ? answers.get(i + 1).get(60, TimeUnit.SECONDS) : null;
			if (twin != null) {
				// One of the two wrote the row; the other got the same answer, replayed.
				assertThat(twin.scanId()).isEqualTo(result.scanId());
				assertThat(twin.decision()).isEqualTo(result.decision());
				assertThat(result.replayed() ^ twin.replayed()).isTrue();
			}
			else {
				assertThat(result.replayed()).isFalse();
			}
			assertThat(result.decision()).isEqualTo(
					requests.get(i).temperature().equals(38.9) ? GateScans.Decision.DENY : GateScans.Decision.ALLOW);
			firstIds.add(result.scanId());
		}
		assertThat(firstIds).hasSize(360);
		assertThat(rows("many-")).isEqualTo(360);
		assertThat(fevers("many-")).isEqualTo(40);
		// The day's counters count each row of a batch once.
		String counted = this.jdbc.sql("""
				select sum(allowed_in) || '/' || sum(allowed_out) || '/' || sum(denied) || '/' || sum(fever)
				from gate_day_count where checkpoint_id = :c""")
			.param("c", this.gate.id())
			.query(String.class)
			.single();
		String stored = this.jdbc
			.sql("""
					select count(*) filter (where decision = 'ALLOW' and direction = 'IN') || '/'
					    || count(*) filter (where decision = 'ALLOW' and direction = 'OUT') || '/'
					    || count(*) filter (where decision = 'DENY') || '/' || count(*) filter (where reason = 'gate.deny.fever')
					from gate_scan where checkpoint_id = :c""")
			.param("c", this.gate.id())
			.query(String.class)
			.single();
		assertThat(counted).isEqualTo(stored).endsWith("/40/40");
	}

	@Test
	void aScanInsideACallersTransactionIsRolledBackWithIt() {
		// A writer's own commit would outlive the caller's rollback: such a scan is
		// written on the caller's connection.
		new TransactionTemplate(this.transactions).executeWithoutResult(status -> {
			this.scans.scan(this.guard, this.gate.id(), new GateScans.ScanRequest(null, this.residentId, "IN", 36.5,
					null, "in-a-transaction", Instant.now().minusSeconds(5)));
			status.setRollbackOnly();
		});
		assertThat(rows("in-a-transaction")).isZero();
	}

}
