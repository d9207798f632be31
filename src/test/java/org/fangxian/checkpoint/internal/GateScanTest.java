package org.fangxian.checkpoint.internal;

import java.time.Instant;
import java.util.UUID;

import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.GateAlert;
import org.fangxian.checkpoint.Direction;
import org.fangxian.checkpoint.EntryRestriction;
import org.fangxian.checkpoint.Passes;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every gate decision and its reason, against the real database. */
public class GateScanTest extends IntegrationTest {

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	Passes passes;

	@Autowired
	GateScans scans;

	@Autowired
	GateCounters counters;

	@Autowired
	ResidentService residents;

	@Autowired
	org.springframework.transaction.PlatformTransactionManager transactions;

	TestData.Tree tree;

	CurrentUser worker;

	CurrentUser guard;

	Checkpoint gate;

	long resident;

	String residentId;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.guard = this.data.user(Role.CHECKPOINT_GUARD, this.tree.communityA1());
		this.gate = this.checkpoints.create(this.worker,
				new Checkpoints.NewCheckpoint(this.tree.communityA1().id(), "东门", "07:00-21:00", 2));
		this.residentId = TestIdNumbers.next();
		this.resident = this.residents.create(this.worker, new ResidentService.ResidentForm("王建国", null,
				this.residentId, "13800000000", this.tree.communityA1().id(), "101", "户主", null, "常住", null));
	}

	private GateScans.ScanResult scan(String qr, String idNumber, String direction, Object temperature, String plate) {
		return this.scans.scan(this.guard, this.gate.id(), new GateScans.ScanRequest(qr, idNumber, direction,
				temperature, plate, UUID.randomUUID().toString(), null));
	}

	@Test
	void allowsAResidentWithAValidPass() {
		String qr = this.passes.current(this.worker, this.resident).qr();
		GateScans.ScanResult result = scan(qr, null, "IN", 36.5, "黑A12345");
		assertThat(result.decision()).isEqualTo(GateScans.Decision.ALLOW);
		assertThat(result.reason()).isEqualTo("gate.allow");
		assertThat(result.person()).isEqualTo("王**");
	}

	@Test
	void allowsByTypedIdNumberToo() {
		assertThat(scan(null, this.residentId.toLowerCase(), "OUT", "36.8", null).decision())
			.isEqualTo(GateScans.Decision.ALLOW);
	}

	@Test
	void deniesForgedMalformedExpiredAndRevokedPasses() {
		String qr = this.passes.current(this.worker, this.resident).qr();
		String[] parts = qr.split("\\.");
		String otherPass = parts[0] + "." + (Long.parseLong(parts[1]) + 1) + "." + parts[2] + "." + parts[3];
		String longerLife = parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 86400 * 365) + "." + parts[3];
		assertThat(scan(otherPass, null, "IN", null, null).reason()).isEqualTo("gate.deny.passForged");
		assertThat(scan(longerLife, null, "IN", null, null).reason()).isEqualTo("gate.deny.passForged");
		assertThat(scan("hello world", null, "IN", null, null).reason()).isEqualTo("gate.deny.passMalformed");
		String expired = this.passes.encode(Long.parseLong(parts[1]), Instant.now().minusSeconds(60));
		assertThat(scan(expired, null, "IN", null, null).reason()).isEqualTo("gate.deny.passExpired");

		this.passes.revoke(this.worker, this.resident);
		assertThat(scan(qr, null, "IN", null, null).reason()).isEqualTo("gate.deny.passRevoked");
		String renewed = this.passes.current(this.worker, this.resident).qr();
		assertThat(renewed).isNotEqualTo(qr);
		assertThat(scan(renewed, null, "IN", null, null).decision()).isEqualTo(GateScans.Decision.ALLOW);
	}

	@Test
	void theWorkerHandlesAnAlertOnce() {
		GateScans.ScanResult fever = scan(null, this.residentId, "IN", 38.5, null);
		GateAlert alert = this.counters.openAlerts(this.worker)
			.stream()
			.filter(a -> a.scanId() == fever.scanId())
			.findFirst()
			.orElseThrow();
		this.counters.acknowledge(this.worker, alert.id());
		assertThat(this.counters.openAlerts(this.worker)).noneSatisfy(a -> assertThat(a.id()).isEqualTo(alert.id()));
		assertThatThrownBy(() -> this.counters.acknowledge(this.worker, alert.id()))
			.isInstanceOf(org.fangxian.shared.NotFound.class);
	}

	@Test
	void deniesFeverAndRaisesAnAlertForTheCommunityWorker() {
		GateScans.ScanResult result = scan(null, this.residentId, "IN", 37.3, null);
		assertThat(result.decision()).isEqualTo(GateScans.Decision.DENY);
		assertThat(result.reason()).isEqualTo("gate.deny.fever");
		assertThat(this.counters.openAlerts(this.worker)).anySatisfy(a -> {
			assertThat(a.scanId()).isEqualTo(result.scanId());
			assertThat(a.kind()).isEqualTo("FEVER");
		});
		assertThat(scan(null, this.residentId, "IN", 37.2, null).decision()).isEqualTo(GateScans.Decision.ALLOW);
		CurrentUser neighbour = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		assertThat(this.counters.openAlerts(neighbour))
			.noneSatisfy(a -> assertThat(a.scanId()).isEqualTo(result.scanId()));
	}

	@Test
	void aScanThatCouldNotBeReadIsAnErrorToRetryCountedApartFromDenials() {
		assertThat(scan(null, this.residentId, "IN", 36.5, "ABC-123").reason()).isEqualTo("gate.deny.plate");
		assertThat(scan(null, this.residentId, "SIDEWAYS", 36.5, null).reason()).isEqualTo("gate.deny.direction");
		assertThat(scan(null, "110105194912310021", "IN", 36.5, null).reason()).isEqualTo("gate.deny.idInvalid");
		assertThat(scan(null, null, "IN", 36.5, null).reason()).isEqualTo("gate.deny.noIdentity");
		GateScans.ScanResult malformed = scan("FXP1.garbled", null, "IN", 36.5, null);
		assertThat(malformed.reason()).isEqualTo("gate.deny.passMalformed");
		assertThat(malformed.decision()).isEqualTo(GateScans.Decision.ERROR);
		assertThat(this.jdbc.sql(
				"select count(*) filter (where decision = 'ERROR'), count(*) filter (where decision = 'DENY') from gate_scan where checkpoint_id = :c")
			.param("c", this.gate.id())
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single()).containsExactly(5, 0);
		// A real denial still is one.
		assertThat(scan(null, this.residentId, "IN", 38.0, null).decision()).isEqualTo(GateScans.Decision.DENY);
		GateCounters.Counts counts = this.counters.today(this.guard, this.gate.id());
		assertThat(counts.errors()).isEqualTo(5);
		assertThat(counts.denied()).isEqualTo(1);
	}

	@Test
	void aTemperatureNoLivingPersonShowsIsAskedAgainAndNotRecorded() {
		for (Object typed : new Object[] { 55, 34.9, "42.1", "abc" }) {
			assertThatThrownBy(() -> scan(null, this.residentId, "IN", typed, null))
				.isInstanceOf(org.fangxian.shared.InvalidInput.class)
				.extracting(ex -> ((org.fangxian.shared.InvalidInput) ex).field())
				.isEqualTo("temperature");
		}
		assertThat(this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c")
			.param("c", this.gate.id())
			.query(Long.class)
			.single()).isZero();
		assertThat(scan(null, this.residentId, "IN", "35.0", null).decision()).isEqualTo(GateScans.Decision.ALLOW);
		assertThat(scan(null, this.residentId, "IN", "42.0", null).reason()).isEqualTo("gate.deny.fever");
	}

	@Test
	void theGuardSeesSurnameSexBirthYearAndWhereThePersonLives() {
		TestData.NodeRef building = this.data.node(this.tree.communityA1().id(), "BUILDING", null,
				"3栋" + UUID.randomUUID().toString().substring(0, 4));
		TestData.NodeRef unit = this.data.node(building.id(), "UNIT", null, "2单元");
		String id = TestIdNumbers.next();
		this.residents.create(this.worker,
				new ResidentService.ResidentForm("欧阳娜娜", null, id, null, unit.id(), "1001", null, null, "常住", null));
		GateScans.ScanResult result = scan(null, id, "IN", 36.5, null);
		assertThat(result.decision()).isEqualTo(GateScans.Decision.ALLOW);
		GateScans.Identity identity = result.identity();
		assertThat(identity.name()).isEqualTo("欧阳**");
		assertThat(identity.birthYear()).isEqualTo(Integer.parseInt(id.substring(6, 10)));
		assertThat(identity.sex()).isEqualTo((id.charAt(16) - '0') % 2 == 1 ? "MALE" : "FEMALE");
		assertThat(identity.address()).isEqualTo(building.name() + " 2单元 1001");
		// A replay shows the same person; an unread scan nobody.
		assertThat(scan(null, "110105194912310021", "IN", 36.5, null).identity()).isNull();
	}

	@Test
	void anAlertNamesThePersonAndTheBuilding() {
		TestData.NodeRef building = this.data.node(this.tree.communityA1().id(), "BUILDING", null,
				"7栋" + UUID.randomUUID().toString().substring(0, 4));
		String id = TestIdNumbers.next();
		this.residents.create(this.worker,
				new ResidentService.ResidentForm("李小红", null, id, null, building.id(), "502", null, null, "常住", null));
		GateScans.ScanResult fever = scan(null, id, "IN", 38.4, null);
		assertThat(this.counters.openAlerts(this.worker)).anySatisfy(a -> {
			assertThat(a.scanId()).isEqualTo(fever.scanId());
			assertThat(a.person()).isEqualTo("李**");
			assertThat(a.address()).isEqualTo(building.name() + " 502");
		});
	}

	@Test
	void deniesPeopleWhoDoNotLiveHere() {
		CurrentUser other = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		String outsiderId = TestIdNumbers.next();
		this.residents.create(other, new ResidentService.ResidentForm("李四", null, outsiderId, null,
				this.tree.communityA2().id(), "9", null, null, null, null));
		GateScans.ScanResult outsider = scan(null, outsiderId, "IN", 36.5, null);
		assertThat(outsider.reason()).isEqualTo("gate.deny.notResident");
		assertThat(outsider.person()).as("no name from another jurisdiction").isNull();
		// Nobody and somebody-elsewhere look alike at the gate.
		assertThat(scan(null, TestIdNumbers.next(), "IN", 36.5, null).reason()).isEqualTo("gate.deny.notResident");
		assertThat(this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c and resident_id is not null")
			.param("c", this.gate.id())
			.query(Long.class)
			.single()).isZero();

		this.residents.update(this.worker, this.resident, new ResidentService.ResidentForm("王建国", null, this.residentId,
				"13800000000", this.tree.communityA1().id(), "101", "户主", null, "迁出", null));
		assertThat(scan(null, this.residentId, "IN", 36.5, null).reason()).isEqualTo("gate.deny.notResident");
	}

	@Test
	void theSameIdempotencyKeyAnswersTheSameAndRecordsOnce() {
		String key = UUID.randomUUID().toString();
		GateScans.ScanRequest request = new GateScans.ScanRequest(null, this.residentId, "IN", 36.6, null, key, null);
		GateScans.ScanResult first = this.scans.scan(this.guard, this.gate.id(), request);
		GateScans.ScanResult again = this.scans.scan(this.guard, this.gate.id(),
				new GateScans.ScanRequest(null, this.residentId, "IN", 39.0, null, key, null));
		assertThat(again.scanId()).isEqualTo(first.scanId());
		assertThat(again.decision()).isEqualTo(GateScans.Decision.ALLOW);
		assertThat(again.replayed()).isTrue();
		assertThat(this.jdbc.sql("select count(*) from gate_scan where idempotency_key = :k")
			.param("k", key)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void triesOfAScanWithoutItsOwnTimeInFlightAtOnceAreOneRow() throws Exception {
		// Each try gets the server's time, so the key's lock is all that keeps a second
		// row out: it must be held until the first try's row is committed.
		int keys = 30;
		int tries = 6;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(tries);
		try {
			for (int k = 0; k < keys; k++) {
				String key = UUID.randomUUID().toString();
				java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(tries);
				java.util.List<java.util.concurrent.Future<GateScans.ScanResult>> answers = new java.util.ArrayList<>();
				for (int t = 0; t < tries; t++) {
					answers.add(pool.submit(() -> {
						start.await();
						return this.scans.scan(this.guard, this.gate.id(),
								new GateScans.ScanRequest(null, this.residentId, "IN", 36.5, null, key, null));
					}));
				}
				java.util.Set<Long> ids = new java.util.HashSet<>();
				for (var answer : answers) {
					ids.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS).scanId());
				}
				assertThat(ids).as("every try answered with the same scan").hasSize(1);
				assertThat(this.jdbc
					.sql("select count(*) from gate_scan where checkpoint_id = :c and idempotency_key = :k")
					.param("c", this.gate.id())
					.param("k", key)
					.query(Long.class)
					.single()).isEqualTo(1);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void anOfflineBatchSentTwiceOrCutInTheMiddleIsRecordedExactlyOnce() {
		// The phone queued 6 scans offline; the first upload breaks after 3, the next
		// sends all 6 again.
		java.util.List<GateScans.ScanRequest> queued = new java.util.ArrayList<>();
		Instant scannedAt = Instant.now().minusSeconds(3600);
		if (!dayOf(scannedAt).equals(dayOf(scannedAt.plusSeconds(300)))) {
			// The six minutes would straddle midnight in China Standard Time.
			scannedAt = scannedAt.minusSeconds(600);
		}
		for (int i = 0; i < 6; i++) {
			queued.add(new GateScans.ScanRequest(null, this.residentId, i % 2 == 0 ? "OUT" : "IN", 36.4, null,
					UUID.randomUUID().toString(), scannedAt.plusSeconds(i * 60)));
		}
		queued.subList(0, 3).forEach(r -> this.scans.scan(this.guard, this.gate.id(), r));
		queued.forEach(r -> this.scans.scan(this.guard, this.gate.id(), r));
		queued.forEach(r -> this.scans.scan(this.guard, this.gate.id(), r));

		assertThat(this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c")
			.param("c", this.gate.id())
			.query(Long.class)
			.single()).isEqualTo(6);
		// Stored at the time of the scan, not of the upload an hour later (PostgreSQL
		// keeps microseconds).
		assertThat(this.jdbc.sql("select min(scanned_at) from gate_scan where checkpoint_id = :c")
			.param("c", this.gate.id())
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant())
			.isCloseTo(scannedAt, org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MILLIS));
		// Counted on the day they were scanned (an hour ago is yesterday between 00:00
		// and 01:00 China Standard Time).
		GateCounters.Counts counts = this.counters.on(this.guard, this.gate.id(), dayOf(scannedAt));
		assertThat(counts.in() + counts.out()).isEqualTo(6);
		// The shift that ran when the phone was offline holds all six; the half hour
		// after it none.
		GateCounters.Counts shift = this.counters.between(this.guard, this.gate.id(), scannedAt.minusSeconds(1),
				scannedAt.plusSeconds(301));
		assertThat(shift.in() + shift.out()).isEqualTo(6);
		GateCounters.Counts later = this.counters.between(this.guard, this.gate.id(), scannedAt.plusSeconds(400),
				scannedAt.plusSeconds(2200));
		assertThat(later.in() + later.out()).isZero();
	}

	@Test
	void restrictionsFromOtherModulesDenyWithTheirReason() {
		// Containment and testing plug in through EntryRestriction; a sealed-unit rule
		// stands in for them here.
		EntryRestriction sealed = (residentId, direction,
				at) -> residentId == this.resident && direction == Direction.OUT
						? java.util.Optional.of(new EntryRestriction.Restriction("gate.deny.sealed", true))
						: java.util.Optional.empty();
		GateScans withSeal = new GateScans(this.jdbc, this.checkpoints, this.passes, this.directory,
				java.util.List.of(sealed), java.time.Clock.systemDefaultZone(), new java.math.BigDecimal("37.3"),
				this.transactions);
		GateScans.ScanResult out = withSeal.scan(this.guard, this.gate.id(), new GateScans.ScanRequest(null,
				this.residentId, "OUT", 36.5, null, UUID.randomUUID().toString(), null));
		assertThat(out.reason()).isEqualTo("gate.deny.sealed");
		assertThat(this.counters.openAlerts(this.worker))
			.anySatisfy(a -> assertThat(a.kind()).isEqualTo("RESTRICTED_OUT"));
		assertThat(withSeal
			.scan(this.guard, this.gate.id(),
					new GateScans.ScanRequest(null, this.residentId, "IN", 36.5, null, UUID.randomUUID().toString(),
							null))
			.decision()).isEqualTo(GateScans.Decision.ALLOW);
	}

	@Test
	void aRetryFindsItsScanWhicheverWayItsTimeWasBound() {
		// fangxian.checkpoint.text-times: a scan recorded with its time bound as a
		// Timestamp and retried with it bound as text (or the other way round) must
		// find its row: both round to the microsecond alike, half a microsecond up.
		GateScans asTimestamp = new GateScans(this.jdbc, this.checkpoints, this.passes, this.directory,
				java.util.List.of(), java.time.Clock.systemDefaultZone(), new java.math.BigDecimal("37.3"),
				this.transactions, true, false);
		GateScans asText = new GateScans(this.jdbc, this.checkpoints, this.passes, this.directory, java.util.List.of(),
				java.time.Clock.systemDefaultZone(), new java.math.BigDecimal("37.3"), this.transactions, true, true);
		java.time.Instant second = java.time.Instant.now()
			.minusSeconds(600)
			.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		for (int nanos : new int[] { 0, 123_456_000, 123_456_499, 123_456_500, 123_456_789, 999_999_500 }) {
			java.time.Instant at = second.plusNanos(nanos);
			for (GateScans first : java.util.List.of(asTimestamp, asText)) {
				GateScans retry = first == asText ? asTimestamp : asText;
				String key = UUID.randomUUID().toString();
				GateScans.ScanRequest request = new GateScans.ScanRequest(null, this.residentId, "IN", 36.5, null, key,
						at);
				GateScans.ScanResult recorded = first.scan(this.guard, this.gate.id(), request);
				GateScans.ScanResult again = retry.scan(this.guard, this.gate.id(), request);
				assertThat(again.replayed()).as("%s ns", nanos).isTrue();
				assertThat(again.scanId()).isEqualTo(recorded.scanId());
				assertThat(this.jdbc.sql("select count(*) from gate_scan where idempotency_key = :key")
					.param("key", key)
					.query(Long.class)
					.single()).isEqualTo(1);
			}
		}
	}

	@Test
	void aScanCarriesItsCheckpointsDistrictGivenByTheInsertNotLookedUpAgain() {
		GateScans.ScanResult result = scan(null, this.residentId, "IN", 36.5, null);
		assertThat(this.jdbc.sql("select district_id from gate_scan where id = :id")
			.param("id", result.scanId())
			.query(Long.class)
			.single()).isEqualTo(this.gate.districtId()).isEqualTo(this.tree.district().id());
		// The trigger fills the district only when an insert leaves it out (V99): a given
		// one is kept as given, so it costs no look-up of the checkpoint.
		String key = UUID.randomUUID().toString();
		this.jdbc.sql("""
				insert into gate_scan (district_id, checkpoint_id, idempotency_key, scanned_at, direction, method,
				    decision, reason, account_id)
				values (:other, :checkpoint, :key, now(), 'IN', 'NONE', 'ERROR', 'gate.deny.noIdentity', :account)""")
			.param("other", this.tree.streetA().id())
			.param("checkpoint", this.gate.id())
			.param("key", key)
			.param("account", this.guard.accountId())
			.update();
		assertThat(this.jdbc.sql("select district_id from gate_scan where idempotency_key = :key")
			.param("key", key)
			.query(Long.class)
			.single()).isEqualTo(this.tree.streetA().id());
		this.jdbc.sql("delete from gate_scan where idempotency_key = :key").param("key", key).update();
	}

	@Autowired
	org.fangxian.registry.ResidentDirectory directory;

	@Test
	void guardsWorkOnlyAtCheckpointsInTheirJurisdiction() {
		CurrentUser otherGuard = this.data.user(Role.CHECKPOINT_GUARD, this.tree.communityB1());
		assertThatThrownBy(() -> this.scans.scan(otherGuard, this.gate.id(),
				new GateScans.ScanRequest(null, this.residentId, "IN", 36.5, null, UUID.randomUUID().toString(), null)))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		CurrentUser sampler = this.data.user(Role.SAMPLER, this.tree.communityA1());
		assertThatThrownBy(() -> this.scans.scan(sampler, this.gate.id(),
				new GateScans.ScanRequest(null, this.residentId, "IN", 36.5, null, UUID.randomUUID().toString(), null)))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
		assertThatThrownBy(() -> this.passes.current(this.guard, this.resident))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	private static java.time.LocalDate dayOf(Instant instant) {
		return java.time.LocalDate.ofInstant(instant, org.fangxian.shared.ChinaStandardTime.ZONE);
	}

}
