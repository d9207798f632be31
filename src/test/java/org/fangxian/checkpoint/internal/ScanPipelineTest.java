package org.fangxian.checkpoint.internal;

import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Passes;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gate's pipeline (issue 17, {@link ScanPipeline}): scans queued behind a busy thread
 * are read together, each decided on its own read, and written in one transaction; a
 * decision that fails, and a row that cannot be written, fail their own scan and no
 * other.
 */
class ScanPipelineTest extends IntegrationTest {

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	Passes passes;

	@Autowired
	GateScans scans;

	@Autowired
	ResidentService residents;

	@Autowired
	ResidentDirectory directory;

	@Autowired
	JdbcTemplate template;

	CurrentUser worker;

	CurrentUser guard;

	Checkpoint gate;

	long first;

	long second;

	String secondId;

	ExecutorService callers = Executors.newFixedThreadPool(32);

	@BeforeEach
	void setUp() {
		TestData.Tree tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		this.guard = this.data.user(Role.CHECKPOINT_GUARD, tree.communityA1());
		this.gate = this.checkpoints.create(this.worker,
				new Checkpoints.NewCheckpoint(tree.communityA1().id(), "南门", "07:00-21:00", 2));
		this.first = this.residents.create(this.worker, new ResidentService.ResidentForm("孙桂英", null,
				TestIdNumbers.next(), "13800000004", tree.communityA1().id(), "301", "户主", null, "常住", null));
		this.secondId = TestIdNumbers.next();
		this.second = this.residents.create(this.worker, new ResidentService.ResidentForm("周建国", null, this.secondId,
				"13800000005", tree.communityA1().id(), "302", "户主", null, "常住", null));
	}

	@AfterEach
	void tearDown() {
		this.callers.shutdownNow();
	}

	/**
	 * A pipeline of one thread held on its first scan's decision while the others queue,
	 * so the next batch takes them all: what a busy gate does, made certain.
	 */
	private record Held(ScanPipeline<String> pipeline, CountDownLatch release, CountDownLatch holding) {
	}

	private Held held() {
		ScanReads reads = new ScanReads(this.jdbc, this.template, this.directory, List.of(), 0, 64);
		ScanWriter writer = new ScanWriter(this.template, row -> this.scans.record(row, true), 0, 64);
		return new Held(new ScanPipeline<>(reads, writer, row -> this.scans.record(row, true), 1, 64),
				new CountDownLatch(1), new CountDownLatch(1));
	}

	/** The decision this test makes: who was found, or NOBODY. */
	private static String found(Optional<ScanReads.Read> read) {
		return read.flatMap(ScanReads.Read::resident).map(r -> "ALLOW:" + r.id()).orElse("NOBODY");
	}

	private ScanPipeline.Scan<String> scan(ScanReads.Ask ask, String key, Instant at,
			Function<Optional<ScanReads.Read>, String> decide) {
		SqlParameterValue time = new SqlParameterValue(Types.OTHER, at.truncatedTo(ChronoUnit.MICROS).toString());
		Function<String, ScanWriter.Row> row = decision -> {
			Long resident = decision.startsWith("ALLOW:") ? Long.valueOf(decision.substring(6))
					: decision.startsWith("GONE:") ? Long.MAX_VALUE : null;
			return new ScanWriter.Row(this.gate.districtId(), this.gate.id(), key, time, "IN",
					ask == null ? "NONE" : ask.byPass() ? "QR" : "ID", resident, null, null,
					resident == null ? "DENY" : "ALLOW", resident == null ? "gate.deny.notResident" : "gate.allow",
					this.guard.accountId(), this.gate.path(), null);
		};
		return new ScanPipeline.Scan<>(ask, decide, row);
	}

	private static ScanReads.Ask ask(Long pass, byte[] hash, Instant at) {
		LocalDate today = LocalDate.ofInstant(at, ZoneId.of("Asia/Shanghai"));
		return new ScanReads.Ask(pass, hash,
				new SqlParameterValue(Types.OTHER, at.truncatedTo(ChronoUnit.MICROS).toString()),
				new SqlParameterValue(Types.OTHER, today.toString()), false);
	}

	private long passOf(long resident) {
		return this.passes.signed(this.passes.current(this.worker, resident).qr()).passId();
	}

	/**
	 * Holds the pipeline on a first scan, queues {@code scans} behind it, releases it.
	 */
	private List<Future<ScanPipeline.Done<String>>> queue(Held held, List<ScanPipeline.Scan<String>> scans)
			throws Exception {
		AtomicBoolean holdOnce = new AtomicBoolean(true);
		Instant at = Instant.now().minusSeconds(10);
		this.callers.submit(() -> held.pipeline()
			.submit(scan(ask(passOf(this.first), null, at), "held-" + at.toEpochMilli(), at, read -> {
				if (holdOnce.getAndSet(false)) {
					held.holding().countDown();
					try {
						held.release().await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				return found(read);
			})));
		assertThat(held.holding().await(30, TimeUnit.SECONDS)).isTrue();
		List<Future<ScanPipeline.Done<String>>> done = new ArrayList<>();
		for (ScanPipeline.Scan<String> scan : scans) {
			done.add(this.callers.submit(() -> held.pipeline().submit(scan)));
		}
		// Every caller has queued its scan before the thread comes back.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (held.pipeline().queued() < scans.size() && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(held.pipeline().queued()).isEqualTo(scans.size());
		held.release().countDown();
		return done;
	}

	private long rows(String keyPrefix) {
		return this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c and idempotency_key like :k")
			.param("c", this.gate.id())
			.param("k", keyPrefix + "%")
			.query(Long.class)
			.single();
	}

	@Test
	void scansQueuedTogetherAreEachDecidedOnTheirOwnReadAndWrittenInOneTransaction() throws Exception {
		Held held = held();
		try {
			long firstPass = passOf(this.first);
			Instant at = Instant.now().minusSeconds(60);
			List<ScanPipeline.Scan<String>> scans = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				scans.add(scan(ask(firstPass, null, at.plusMillis(i)), "together-" + i, at.plusMillis(i),
						ScanPipelineTest::found));
			}
			byte[] secondHash = this.directory.idNumberHash(this.secondId);
			for (int i = 4; i < 7; i++) {
				scans.add(scan(ask(null, secondHash, at.plusMillis(i)), "together-" + i, at.plusMillis(i),
						ScanPipelineTest::found));
			}
			// Nobody behind this pass; and a scan decided before reading, still recorded.
			scans.add(scan(ask(Long.MAX_VALUE, null, at.plusMillis(7)), "together-7", at.plusMillis(7),
					ScanPipelineTest::found));
			scans.add(scan(null, "together-8", at.plusMillis(8), read -> "ERROR"));
			// A decision that fails: its scan alone fails, and is not written.
			scans.add(scan(ask(firstPass, null, at.plusMillis(9)), "together-9", at.plusMillis(9), read -> {
				throw new IllegalStateException("a restriction could not be asked");
			}));
			// The same key and time twice: a retry, written once.
			scans.add(scan(ask(firstPass, null, at.plusMillis(1)), "together-1", at.plusMillis(1),
					ScanPipelineTest::found));
			List<Future<ScanPipeline.Done<String>>> done = queue(held, scans);
			List<ScanPipeline.Done<String>> answers = new ArrayList<>();
			for (Future<ScanPipeline.Done<String>> future : done) {
				answers.add(future.get(30, TimeUnit.SECONDS));
			}
			for (int i = 0; i < 4; i++) {
				assertThat(answers.get(i).decision()).as("scan %d", i).isEqualTo("ALLOW:" + this.first);
				assertThat(answers.get(i).scanId()).isNotNull();
			}
			for (int i = 4; i < 7; i++) {
				assertThat(answers.get(i).decision()).as("scan %d", i).isEqualTo("ALLOW:" + this.second);
			}
			assertThat(answers.get(7).decision()).isEqualTo("NOBODY");
			assertThat(answers.get(8).decision()).isEqualTo("ERROR");
			assertThat(answers.get(8).scanId()).isNotNull();
			assertThat(answers.get(9).failure()).isInstanceOf(IllegalStateException.class);
			assertThat(answers.get(9).scanId()).isNull();
			assertThat(answers.get(10).failure()).isNull();
			assertThat(answers.get(10).scanId()).as("a retry finds the first answer").isNull();
			assertThat(rows("together-")).isEqualTo(9);
			// Each answer is its own row.
			for (int i = 0; i < 9; i++) {
				assertThat(this.jdbc.sql("select idempotency_key from gate_scan where id = :id")
					.param("id", answers.get(i).scanId())
					.query(String.class)
					.single()).isEqualTo("together-" + i);
			}
			// One write, one transaction: the nine rows share the time it began.
			assertThat(this.jdbc.sql("""
					select count(distinct recorded_at) from gate_scan
					where checkpoint_id = :c and idempotency_key like 'together-%'""")
				.param("c", this.gate.id())
				.query(Long.class)
				.single()).isEqualTo(1);
			assertThat(held.pipeline().failed()).isZero();
		}
		finally {
			held.pipeline().close();
		}
	}

	@Test
	void aRowThatCannotBeWrittenFailsAloneAndTheOthersAreWritten() throws Exception {
		Held held = held();
		try {
			long firstPass = passOf(this.first);
			Instant at = Instant.now().minusSeconds(120);
			List<ScanPipeline.Scan<String>> scans = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				scans.add(scan(ask(firstPass, null, at.plusMillis(i)), "apart-" + i, at.plusMillis(i),
						ScanPipelineTest::found));
			}
			// A resident who does not exist: its foreign key fails the batch's statement.
			scans.add(scan(ask(firstPass, null, at.plusMillis(5)), "apart-bad", at.plusMillis(5), read -> "GONE:"));
			List<Future<ScanPipeline.Done<String>>> done = queue(held, scans);
			for (int i = 0; i < 5; i++) {
				ScanPipeline.Done<String> answer = done.get(i).get(30, TimeUnit.SECONDS);
				assertThat(answer.failure()).isNull();
				assertThat(answer.scanId()).isNotNull();
			}
			assertThat(done.get(5).get(30, TimeUnit.SECONDS).failure())
				.isInstanceOf(DataIntegrityViolationException.class);
			assertThat(rows("apart-")).isEqualTo(5);
			assertThat(held.pipeline().failed()).isEqualTo(1);
		}
		finally {
			held.pipeline().close();
		}
	}

}
