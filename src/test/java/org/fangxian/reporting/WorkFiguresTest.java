package org.fangxian.reporting;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.reporting.internal.Dashboard;
import org.fangxian.reporting.internal.Dashboards;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's road checks by decision and its open work (returnee reports pending,
 * door-to-door progress, open lab follow-ups, quarantine releases due) against counts
 * made independently with plain SQL over the records, at community, street and district
 * level, for a day and the next, with records a minute either side of midnight in China
 * Standard Time.
 */
class WorkFiguresTest extends IntegrationTest {

	@Autowired
	Dashboards dashboards;

	@Autowired
	ResidentService residents;

	TestData.Tree tree;

	CurrentUser hq;

	LocalDate day;

	LocalDate next;

	private final Random random = new Random();

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.hq = this.data.user(Role.HQ_ADMIN, this.tree.district());
		this.next = LocalDate.now(ChinaStandardTime.ZONE);
		this.day = this.next.minusDays(1);
		Instant lastMinute = cst(this.day, 23, 59);
		Instant midnight = cst(this.next, 0, 0);
		Instant firstMinute = cst(this.next, 0, 1);
		CurrentUser a1 = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		CurrentUser a2 = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		CurrentUser b1 = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityB1());

		// Road checks: A1 passes one at 23:59 and diverts one at noon, denies one at
		// 00:01; B1's retest at 00:00 exactly is the next day's.
		long roadA1 = checkpoint(this.tree.communityA1(), "路口A1");
		long roadB1 = checkpoint(this.tree.communityB1(), "路口B1");
		roadCheck(roadA1, "PASS", lastMinute, a1);
		roadCheck(roadA1, "DIVERT", cst(this.day, 12, 0), a1);
		roadCheck(roadA1, "DENY", firstMinute, a1);
		roadCheck(roadB1, "RETEST", midnight, b1);

		long rA1 = resident(a1, this.tree.communityA1().id(), "王建国");
		long rA1b = resident(a1, this.tree.communityA1().id(), "王秀英");
		long rA2 = resident(a2, this.tree.communityA2().id(), "李明");
		long rB1 = resident(b1, this.tree.communityB1().id(), "赵丽");

		// Returnee reports: A1's undecided; A2's decided at 00:30 the next day (pending
		// at
		// the end of the day only); B1's reported at 00:01 (the next day's).
		returnee(this.tree.communityA1(), cst(this.day, 10, 0), null, a1);
		returnee(this.tree.communityA2(), cst(this.day, 9, 0), cst(this.next, 0, 30), a2);
		returnee(this.tree.communityB1(), firstMinute, null, b1);

		// Door-to-door over street A from the day before to the next day: A1's first door
		// at home at 23:59, its second nobody home at noon then refused at 00:01, A2's
		// not knocked. B1's campaign ended the day before.
		long campaignA = campaign(this.tree.streetA(), this.day.minusDays(1), this.next, a1);
		long campaignB = campaign(this.tree.communityB1(), this.day.minusDays(3), this.day.minusDays(1), b1);
		long v1 = visit(campaignA, rA1, this.tree.communityA1());
		long v2 = visit(campaignA, rA1b, this.tree.communityA1());
		visit(campaignA, rA2, this.tree.communityA2());
		long vB = visit(campaignB, rB1, this.tree.communityB1());
		attempt(v1, "AT_HOME", lastMinute, a1);
		attempt(v2, "NOBODY_HOME", cst(this.day, 12, 0), a1);
		attempt(v2, "REFUSED", firstMinute, a1);
		attempt(vB, "AT_HOME", cst(this.day.minusDays(2), 10, 0), b1);

		// Lab follow-ups: A1's open; A2's acknowledged at 00:05 the next day; B1's made
		// at 00:01.
		long round = round(this.tree.district(), a1);
		followUp(round, rA1, this.tree.communityA1(), cst(this.day, 10, 0), null);
		followUp(round, rA2, this.tree.communityA2(), cst(this.day, 11, 0), cst(this.next, 0, 5));
		followUp(round, rB1, this.tree.communityB1(), firstMinute, null);

		// Quarantines: A1's ends on the day, not released; A2's ends the next day; B1's
		// ended on the day and was released at 23:00; A1's second ends later.
		quarantine(rA1, this.tree.communityA1(), this.day.minusDays(14), this.day, null, a1);
		quarantine(rA2, this.tree.communityA2(), this.day.minusDays(13), this.next, null, a2);
		quarantine(rB1, this.tree.communityB1(), this.day.minusDays(14), this.day, cst(this.day, 23, 0), b1);
		quarantine(rA1b, this.tree.communityA1(), this.day.minusDays(1), this.next.plusDays(5), null, a1);
	}

	@Test
	void everyNewFigureMatchesAnIndependentCountAtEveryLevelOnBothSidesOfMidnight() {
		List<TestData.NodeRef> nodes = List.of(this.tree.district(), this.tree.streetA(), this.tree.streetB(),
				this.tree.communityA1(), this.tree.communityA2(), this.tree.communityB1());
		for (LocalDate d : List.of(this.day, this.next)) {
			for (TestData.NodeRef ref : nodes) {
				Dashboard dashboard = this.dashboards.of(this.hq, this.dashboards.node(this.hq, ref.code()), d);
				String where = ref.name() + " " + d;
				assertThat(dashboard.more().get("roadChecks")).as("road checks, " + where)
					.isEqualTo(roadChecks(ref.path(), d));
				assertThat(dashboard.more().get("work")).as("work, " + where).isEqualTo(work(ref.path(), d));
				for (Dashboard.Child child : dashboard.children()) {
					String path = this.jdbc.sql("select path from division_node where id = :id")
						.param("id", child.id())
						.query(String.class)
						.single();
					assertThat(child.more().get("roadChecks")).as("road checks of " + child.name() + ", " + where)
						.isEqualTo(roadChecks(path, d));
					assertThat(child.more().get("work")).as("work of " + child.name() + ", " + where)
						.isEqualTo(work(path, d));
				}
			}
		}
	}

	@Test
	void aRecordAMinuteBeforeMidnightInChinaCountsForThatDayAndOneAfterForTheNext() {
		Dashboard district = this.dashboards.of(this.hq, this.dashboards.node(this.hq, this.tree.district().code()),
				this.day);
		assertThat(district.more().get("roadChecks")).containsExactly(Map.entry("pass", 1L), Map.entry("retest", 0L),
				Map.entry("divert", 1L), Map.entry("deny", 0L));
		// pending: A1, A2 (decided after midnight); doors: 3 of street A, A1's first
		// visited at 23:59; follow-ups A1, A2; releases: A1 (B1 released at 23:00)
		assertThat(district.more().get("work")).containsExactly(Map.entry("returneesPending", 2L),
				Map.entry("doorsVisited", 1L), Map.entry("doors", 3L), Map.entry("followUpsOpen", 2L),
				Map.entry("releasesDue", 1L));
		Dashboard nextDay = this.dashboards.of(this.hq, this.dashboards.node(this.hq, this.tree.district().code()),
				this.next);
		assertThat(nextDay.more().get("roadChecks")).containsExactly(Map.entry("pass", 0L), Map.entry("retest", 1L),
				Map.entry("divert", 0L), Map.entry("deny", 1L));
		assertThat(nextDay.more().get("work")).containsExactly(Map.entry("returneesPending", 2L),
				Map.entry("doorsVisited", 2L), Map.entry("doors", 3L), Map.entry("followUpsOpen", 2L),
				Map.entry("releasesDue", 2L));
	}

	@Test
	void theApiCarriesTheNewSectionsAndEachFigureLinksToItsList() {
		String username = this.data.account(Role.HQ_ADMIN, this.tree.district());
		Map<?, ?> body = RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + this.data.token(baseUrl(), username))
			.build()
			.get()
			.uri("/api/v1/dashboard?code={c}&date={d}", this.tree.streetA().code(), this.day.toString())
			.retrieve()
			.body(Map.class);
		Map<?, ?> more = (Map<?, ?>) body.get("more");
		assertThat(DashboardTest.map(more.get("roadChecks"))).containsEntry("pass", 1).containsEntry("divert", 1);
		assertThat(DashboardTest.map(more.get("work"))).containsEntry("returneesPending", 2).containsEntry("doors", 3);

		Dashboard street = this.dashboards.of(this.hq, this.dashboards.node(this.hq, this.tree.streetA().code()),
				this.day);
		Map<String, Map<String, String>> links = this.dashboards.links(street);
		assertThat(links.get("work")).containsEntry("returneesPending", "/returnees")
			.containsEntry("doorsVisited", "/screening")
			.containsEntry("followUpsOpen", "/testing/followups")
			.containsEntry("releasesDue", "/containment");
		assertThat(links.get("roadChecks")).containsEntry("deny", "/checkpoints");
	}

	// Independent counts: straight from the records, by the local date in China.

	private Map<String, Long> roadChecks(String path, LocalDate d) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String decision : List.of("PASS", "RETEST", "DIVERT", "DENY")) {
			counts.put(decision.toLowerCase(),
					this.jdbc.sql("""
							select count(*) from road_check r join checkpoint k on k.id = r.checkpoint_id
							where k.path like :p and r.decision = :decision
							  and (r.checked_at at time zone 'Asia/Shanghai')::date = :day""")
						.param("p", path + "%")
						.param("decision", decision)
						.param("day", d)
						.query(Long.class)
						.single());
		}
		return counts;
	}

	private Map<String, Long> work(String path, LocalDate d) {
		Map<String, Long> counts = new LinkedHashMap<>();
		counts.put("returneesPending", count("""
				select count(*) from returnee_report where path like :p
				and (reported_at at time zone 'Asia/Shanghai')::date <= :day
				and (decided_at is null or (decided_at at time zone 'Asia/Shanghai')::date > :day)""", path, d));
		counts.put("doorsVisited", count("""
				select count(distinct v.id) from screening_visit v join screening_campaign c on c.id = v.campaign_id
				join screening_attempt a on a.visit_id = v.id
				where v.path like :p and :day between c.starts_on and c.ends_on
				and a.outcome <> 'NOBODY_HOME' and (a.visited_at at time zone 'Asia/Shanghai')::date <= :day""", path,
				d));
		counts.put("doors", count("""
				select count(*) from screening_visit v join screening_campaign c on c.id = v.campaign_id
				where v.path like :p and :day between c.starts_on and c.ends_on""", path, d));
		counts.put("followUpsOpen", count("""
				select count(*) from testing_followup where path like :p
				and (created_at at time zone 'Asia/Shanghai')::date <= :day
				and (acknowledged_at is null or (acknowledged_at at time zone 'Asia/Shanghai')::date > :day)""", path,
				d));
		counts.put("releasesDue", count("""
				select count(*) from quarantine where path like :p and ends_on <= :day
				and (released_at is null or (released_at at time zone 'Asia/Shanghai')::date > :day)""", path, d));
		return counts;
	}

	private long count(String sql, String path, LocalDate d) {
		return this.jdbc.sql(sql).param("p", path + "%").param("day", d).query(Long.class).single();
	}

	// The fixture's records, written as the modules store them.

	static Instant cst(LocalDate day, int hour, int minute) {
		return day.atTime(LocalTime.of(hour, minute)).atZone(ChinaStandardTime.ZONE).toInstant();
	}

	private long checkpoint(TestData.NodeRef node, String name) {
		return this.jdbc.sql("""
				insert into checkpoint (node_id, path, name, kind) values (:node, '', :name, 'ROAD') returning id""")
			.param("node", node.id())
			.param("name", name)
			.query(Long.class)
			.single();
	}

	private void roadCheck(long checkpoint, String decision, Instant at, CurrentUser by) {
		this.jdbc.sql("""
				insert into road_check (checkpoint_id, idempotency_key, checked_at, plate, health_code, passengers,
				                        decision, rule, account_id)
				values (:k, gen_random_uuid()::text, :at, '黑A12345', 'GREEN', 1, :decision, 'test', :by)""")
			.param("k", checkpoint)
			.param("at", Timestamp.from(at))
			.param("decision", decision)
			.param("by", by.accountId())
			.update();
	}

	private void returnee(TestData.NodeRef community, Instant reported, Instant decided, CurrentUser by) {
		this.jdbc
			.sql("""
					insert into returnee_report (community_id, path, name, id_type, id_cipher, id_hash, id_masked,
					    phone_cipher, phone_masked, address, origin_code, origin_name, arrival_date, transport,
					    reported_at, decision, decided_by, decided_at)
					values (:c, :path, '张三', 'ID_CARD', '\\x00', sha256(random()::text::bytea), '1101**', '\\x00', '138****0000',
					        '1栋101', '310101000000', '上海市', :arrival, 'TRAIN', :reported,
					        case when :decided::timestamptz is null then null else 'NO_ACTION' end,
					        case when :decided::timestamptz is null then null else :by end, :decided)""")
			.param("c", community.id())
			.param("path", community.path())
			.param("arrival", this.day.minusDays(1))
			.param("reported", Timestamp.from(reported))
			.param("decided", decided == null ? null : Timestamp.from(decided))
			.param("by", by.accountId())
			.update();
	}

	private long campaign(TestData.NodeRef node, LocalDate from, LocalDate to, CurrentUser by) {
		return this.jdbc.sql("""
				insert into screening_campaign (node_id, path, name, starts_on, ends_on, created_by)
				values (:n, :path, '敲门行动', :from, :to, :by) returning id""")
			.param("n", node.id())
			.param("path", node.path())
			.param("from", from)
			.param("to", to)
			.param("by", by.accountId())
			.query(Long.class)
			.single();
	}

	private long visit(long campaign, long resident, TestData.NodeRef community) {
		return this.jdbc.sql("""
				insert into screening_visit (campaign_id, household_id, path, group_id)
				select :c, household_id, :path, :g from resident where id = :r returning id""")
			.param("c", campaign)
			.param("r", resident)
			.param("path", community.path())
			.param("g", community.id())
			.query(Long.class)
			.single();
	}

	private void attempt(long visit, String outcome, Instant at, CurrentUser by) {
		this.jdbc.sql("""
				insert into screening_attempt (visit_id, idempotency_key, outcome, visited_at, account_id)
				values (:v, gen_random_uuid()::text, :o, :at, :by)""")
			.param("v", visit)
			.param("o", outcome)
			.param("at", Timestamp.from(at))
			.param("by", by.accountId())
			.update();
		this.jdbc
			.sql("update screening_visit set outcome = :o, attempts = attempts + 1, last_visited_at = :at"
					+ " where id = :v and (outcome is null or outcome = 'NOBODY_HOME')")
			.param("v", visit)
			.param("o", outcome)
			.param("at", Timestamp.from(at))
			.update();
	}

	private long round(TestData.NodeRef node, CurrentUser by) {
		long round = this.jdbc.sql("""
				insert into testing_round (node_id, path, name, pool_size, starts_at, ends_at, created_by)
				values (:n, :path, '全员', 10, :from, :to, :by) returning id""")
			.param("n", node.id())
			.param("path", node.path())
			.param("from", Timestamp.from(cst(this.day.minusDays(2), 8, 0)))
			.param("to", Timestamp.from(cst(this.next.plusDays(1), 8, 0)))
			.param("by", by.accountId())
			.query(Long.class)
			.single();
		return round;
	}

	private void followUp(long round, long resident, TestData.NodeRef community, Instant created,
			Instant acknowledged) {
		long tube = this.jdbc.sql("""
				insert into tube (round_id, barcode, capacity, status, opened_by, result)
				values (:r, :code, 10, 'CLOSED', 0, 'POSITIVE') returning id""")
			.param("r", round)
			.param("code", "T" + System.nanoTime())
			.query(Long.class)
			.single();
		this.jdbc
			.sql("""
					insert into testing_followup (round_id, tube_id, resident_id, path, kind, created_at, acknowledged_at,
					                              acknowledged_by)
					values (:r, :t, :p, :path, 'RETEST', :created, :ack, case when :ack::timestamptz is null then null else 0 end)""")
			.param("r", round)
			.param("t", tube)
			.param("p", resident)
			.param("path", community.path())
			.param("created", Timestamp.from(created))
			.param("ack", acknowledged == null ? null : Timestamp.from(acknowledged))
			.update();
	}

	private void quarantine(long resident, TestData.NodeRef community, LocalDate from, LocalDate to, Instant released,
			CurrentUser by) {
		this.jdbc
			.sql("""
					insert into quarantine (resident_id, path, kind, reason, place, starts_on, ends_on, released_at, created_by)
					values (:r, :path, 'HOME', '密接', '住所', :from, :to, :released, :by)""")
			.param("r", resident)
			.param("path", community.path())
			.param("from", from)
			.param("to", to)
			.param("released", released == null ? null : Timestamp.from(released))
			.param("by", by.accountId())
			.update();
	}

	// Each resident a door of their own: two in one household would share a door-to-door
	// visit (one per household and campaign).
	private int nextRoom = 101;

	private long resident(CurrentUser user, long node, String name) {
		return this.residents.create(user,
				new ResidentService.ResidentForm(name, null, TestIdNumbers.next(),
						"138" + String.format("%08d", this.random.nextInt(100_000_000)), node,
						String.valueOf(this.nextRoom++), "户主", null, "常住", null));
	}

}
