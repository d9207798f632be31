package org.fangxian.tracing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.internal.GateScans;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.fangxian.tracing.internal.CaseBook;
import org.fangxian.tracing.internal.TracingWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every kind of reason a candidate can have, each from the module that holds the record;
 * contacts of a close contact; the tracing list; and who may see a case.
 *
 * <pre>
 * 1栋1单元 101  the case · 2栋1单元 201  the queue neighbour (sampled at the same point 4 minutes later)
 * 3栋1单元 301  the driver (scanned with the case's car) and his wife
 * </pre>
 */
class ContactCandidatesTest extends IntegrationTest {

	@Autowired
	ResidentService residents;

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	GateScans scans;

	@Autowired
	CaseBook cases;

	@Autowired
	TracingWork work;

	TestData.Tree tree;

	CurrentUser worker;

	/** The car of the case and the driver. */
	String plate;

	final Map<String, Long> ids = new java.util.HashMap<>();

	final Map<String, String> idNumbers = new java.util.HashMap<>();

	long caseId;

	long householdOfCase;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		long compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		long[] units = new long[3];
		for (int b = 0; b < 3; b++) {
			long building = this.data.node(compound, "BUILDING", null, (b + 1) + "栋").id();
			units[b] = this.data.node(building, "UNIT", null, "1单元").id();
		}
		resident("case", "王建国", units[0], "101");
		resident("queue", "周排队", units[1], "201");
		resident("driver", "吴司机", units[2], "301");
		resident("driverWife", "郑秀兰", units[2], "301");
		Instant now = Instant.now();
		this.householdOfCase = this.jdbc.sql("select household_id from resident where id = :r")
			.param("r", this.ids.get("case"))
			.query(Long.class)
			.single();

		// Same vehicle: the case and the driver through the gate in the same car on
		// different days, and a road check of it.
		Checkpoint gate = this.checkpoints.create(this.worker,
				new Checkpoints.NewCheckpoint(this.tree.communityA1().id(), "北门", "07:00-21:00", 1));
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, this.tree.communityA1());
		// A plate of this test's own: road checks are found by plate wherever they were
		// made, and other tests in the shared database check cars too.
		this.plate = "黑A" + (10_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(90_000));
		scan(guard, gate, "case", now.minusSeconds(2 * 86_400), this.plate);
		scan(guard, gate, "driver", now.minusSeconds(86_400), this.plate);
		this.jdbc
			.sql("""
					insert into road_check (checkpoint_id, idempotency_key, checked_at, plate, health_code, passengers, decision, rule, account_id)
					values (:c, :k, :at, :plate, 'GREEN', 2, 'PASS', 'road.pass', 0)""")
			.param("plate", this.plate)
			.param("c", gate.id())
			.param("k", UUID.randomUUID().toString())
			.param("at", Timestamp.from(now.minusSeconds(86_400 + 3600)))
			.update();
		// A courier registered at the gate three minutes after the case.
		this.jdbc.sql("""
				insert into gate_visit (checkpoint_id, idempotency_key, at, kind, name, phone_masked, account_id)
				values (:c, :k, :at, 'DELIVERY', '刘快递', '137****1234', 0)""")
			.param("c", gate.id())
			.param("k", UUID.randomUUID().toString())
			.param("at", Timestamp.from(now.minusSeconds(2 * 86_400 - 180)))
			.update();

		// Same sampling point: the case and the neighbour in the same queue, four minutes
		// apart, different tubes.
		long round = this.jdbc.sql("""
				insert into testing_round (node_id, path, name, pool_size, starts_at, ends_at, created_by)
				values (:n, :path, '第1轮', 10, now() - interval '3 days', now() + interval '1 day', 0) returning id""")
			.param("n", this.tree.communityA1().id())
			.param("path", this.tree.communityA1().path())
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into round_member (round_id, resident_id, node_id, household_id, path)
				select :round, id, node_id, household_id, path from resident where id in (:ids)""")
			.param("round", round)
			.param("ids", List.copyOf(this.ids.values()))
			.update();
		// The site's path is its node's: an empty one would make it serve every place of
		// every other test.
		long site = this.jdbc
			.sql("insert into testing_site (node_id, path, name) values (:n, :path, '广场采样点') returning id")
			.param("n", this.tree.communityA1().id())
			.param("path", this.tree.communityA1().path())
			.query(Long.class)
			.single();
		long point = this.jdbc.sql("insert into sampling_point (site_id, name) values (:s, '1号台') returning id")
			.param("s", site)
			.query(Long.class)
			.single();
		Instant sampled = now.minusSeconds(86_400 + 7200);
		swab(round, point, "case", sampled);
		swab(round, point, "queue", sampled.plusSeconds(240));

		// A door visit answered at the case's household.
		long campaign = this.jdbc.sql("""
				insert into screening_campaign (node_id, path, name, starts_on, ends_on, created_by)
				values (:n, '', '第二轮敲门', current_date - 3, current_date, :by) returning id""")
			.param("n", this.tree.communityA1().id())
			.param("by", this.worker.accountId())
			.query(Long.class)
			.single();
		long visit = this.jdbc.sql("""
				insert into screening_visit (campaign_id, household_id, path, group_id)
				select :c, id, path, node_id from household where id = :h returning id""")
			.param("c", campaign)
			.param("h", this.householdOfCase)
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into screening_attempt (visit_id, idempotency_key, outcome, visited_at, account_id)
				values (:v, :k, 'AT_HOME', now() - interval '1 day', :by)""")
			.param("v", visit)
			.param("k", UUID.randomUUID().toString())
			.param("by", this.worker.accountId())
			.update();

		this.caseId = this.cases.open(this.worker, new CaseBook.NewCase(this.ids.get("case"), "CONFIRMED",
				"FEVER_CLINIC", now, now.minusSeconds(3600), null));
	}

	private void resident(String key, String name, long node, String room) {
		Random random = new Random();
		String idNumber = TestIdNumbers.next();
		this.ids.put(key, this.residents.create(this.worker, new ResidentService.ResidentForm(name, null, idNumber,
				"139" + String.format("%08d", random.nextInt(100_000_000)), node, room, "其他", null, "常住", null)));
		this.idNumbers.put(key, idNumber);
	}

	private void scan(CurrentUser guard, Checkpoint gate, String key, Instant at, String plate) {
		this.scans.scan(guard, gate.id(), new GateScans.ScanRequest(null, this.idNumbers.get(key), "IN", "36.5", plate,
				UUID.randomUUID().toString(), at));
	}

	private void swab(long round, long point, String key, Instant at) {
		long tube = this.jdbc
			.sql("""
					insert into tube (round_id, barcode, capacity, sample_count, status, point_id, opened_by, opened_at, closed_at)
					values (:r, :b, 10, 1, 'CLOSED', :p, 0, :at, :at) returning id""")
			.param("r", round)
			.param("b", "C" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase())
			.param("p", point)
			.param("at", Timestamp.from(at))
			.query(Long.class)
			.single();
		this.jdbc
			.sql("""
					insert into sample (round_id, tube_id, resident_id, tube_open, taken_by, taken_at) values (:r, :t, :p, false, 0, :at)""")
			.param("r", round)
			.param("t", tube)
			.param("p", this.ids.get(key))
			.param("at", Timestamp.from(at))
			.update();
	}

	private static Map<String, List<ReasonKind>> byName(List<Candidate> candidates) {
		return candidates.stream()
			.collect(Collectors.toMap(Candidate::name, c -> c.reasons().stream().map(Candidate.Reason::kind).toList(),
					(a, b) -> a));
	}

	@Test
	void everyReasonComesFromTheRecordThatHoldsIt() {
		this.work.addManual(this.worker, this.caseId,
				new TracingWork.ManualPerson("陈师傅", "13700001111", null, null, "上门修水管，4月10日", null));
		List<Candidate> candidates = this.work.candidates(this.worker, this.caseId).candidates();
		Map<String, List<ReasonKind>> reasons = byName(candidates);
		assertThat(reasons.get("周*队")).containsExactly(ReasonKind.SAMPLING_WINDOW);
		assertThat(reasons.get("吴*机")).containsExactly(ReasonKind.ROAD_CHECK);
		assertThat(candidates).filteredOn(c -> c.name().equals("吴*机"))
			.singleElement()
			.satisfies(c -> assertThat(c.reasons().get(0).detail()).contains(this.plate, "道路卡点 北门"));
		assertThat(reasons.get("刘*递")).as("the courier at the gate").containsExactly(ReasonKind.GATE_WINDOW);
		assertThat(candidates).filteredOn(c -> c.reasons().get(0).kind() == ReasonKind.DOOR_VISIT)
			.singleElement()
			.satisfies(c -> assertThat(c.residentId()).isNull());
		assertThat(reasons.get("陈*傅")).containsExactly(ReasonKind.MANUAL);
		assertThat(reasons).doesNotContainKey("郑*兰").doesNotContainKey("王*国");
	}

	@Test
	void contactsOfACloseContactBecomeSecondaryContactsAndTheListExports() throws IOException {
		long driver = this.work.decide(this.worker, this.caseId,
				new TracingWork.Decision(this.ids.get("driver"), null, "CLOSE", "同车往返", null, null));
		List<Candidate> ofDriver = this.work.candidatesOfContact(this.worker, this.caseId, driver).candidates();
		assertThat(byName(ofDriver).get("郑*兰")).contains(ReasonKind.HOUSEHOLD);
		assertThat(byName(ofDriver)).as("the case is not his own secondary contact").doesNotContainKey("王*国");
		assertThatThrownBy(() -> this.work.decide(this.worker, this.caseId,
				new TracingWork.Decision(this.ids.get("driverWife"), null, "CLOSE", "同住", driver, null)))
			.isInstanceOfSatisfying(InvalidInput.class,
					ex -> assertThat(ex.messageKey()).isEqualTo("tracing.contact.viaNotClose"));
		this.work.decide(this.worker, this.caseId,
				new TracingWork.Decision(this.ids.get("driverWife"), null, "SECONDARY", "与密接同住", driver, null));

		byte[] xlsx = this.work.export(this.worker, this.caseId, false, key -> key);
		try (ReadableWorkbook book = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
			List<Row> rows = book.getFirstSheet().read();
			assertThat(rows).hasSize(3);
			assertThat(rows.subList(1, 3))
				.extracting(r -> r.getCellText(2) + " " + r.getCellText(6) + " " + r.getCellText(8))
				.containsExactly("吴*机 tracing.category.CLOSE ", "郑*兰 tracing.category.SECONDARY 吴*机");
			assertThat(rows.get(1).getCellText(3)).as("masked unless revealed").contains("*");
		}
		assertThat(this.jdbc.sql("""
				select count(*) from audit_event where action = 'CASE_CONTACTS_EXPORTED' and target_id = :c""")
			.param("c", String.valueOf(this.caseId))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aCaseIsSeenByTheCommunityAndTracersAboveItNotByNeighboursOrVolunteers() {
		CurrentUser streetTracer = this.data.user(Role.TRACER, this.tree.streetA());
		assertThat(this.cases.list(streetTracer, true)).extracting(v -> v.record().id()).contains(this.caseId);
		assertThat(this.work.candidates(streetTracer, this.caseId).candidates()).isNotEmpty();
		CurrentUser otherTracer = this.data.user(Role.TRACER, this.tree.streetB());
		assertThat(this.cases.list(otherTracer, true)).extracting(v -> v.record().id()).doesNotContain(this.caseId);
		assertThatThrownBy(() -> this.work.candidates(otherTracer, this.caseId))
			.isInstanceOf(AccessDeniedException.class);
		CurrentUser neighbour = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		assertThatThrownBy(() -> this.cases.view(neighbour, this.caseId)).isInstanceOf(AccessDeniedException.class);
		CurrentUser volunteer = this.data.user(Role.VOLUNTEER, this.tree.communityA1());
		assertThatThrownBy(() -> this.cases.view(volunteer, this.caseId)).isInstanceOf(AccessDeniedException.class);
	}

}
