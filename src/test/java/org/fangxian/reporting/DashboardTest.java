package org.fangxian.reporting;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Passes;
import org.fangxian.checkpoint.internal.GateScans;
import org.fangxian.checkpoint.internal.GateVisits;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.registry.ResidentService;
import org.fangxian.reporting.internal.Dashboard;
import org.fangxian.reporting.internal.Dashboards;
import org.fangxian.seal.Seals;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dashboard figure against a count made independently, with plain SQL over the
 * records (or, for missed check-ins, the fixture's own rule), at community, street and
 * district level, on both sides of midnight in China Standard Time, with the
 * application's clock in Los Angeles.
 */
@Import(DashboardTest.PacificClock.class)
class DashboardTest extends IntegrationTest {

	@TestConfiguration
	static class PacificClock {

		@Bean
		@Primary
		Clock pacificClock() {
			return Clock.system(ZoneId.of("America/Los_Angeles"));
		}

	}

	@Autowired
	Dashboards dashboards;

	@Autowired
	ResidentService residents;

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	Passes passes;

	@Autowired
	GateScans scans;

	@Autowired
	GateVisits visits;

	@Autowired
	Seals seals;

	@Autowired
	Quarantines quarantines;

	DashboardFixture f;

	@BeforeEach
	void setUp() {
		this.f = new DashboardFixture(this.data, this.jdbc, this.residents, this.checkpoints, this.passes, this.scans,
				this.visits, this.seals, this.quarantines, baseUrl());
	}

	@Test
	void everyFigureMatchesAnIndependentCountAtEveryLevelOnBothSidesOfMidnight() {
		List<TestData.NodeRef> nodes = List.of(this.f.tree.district(), this.f.tree.streetA(), this.f.tree.streetB(),
				this.f.tree.communityA1(), this.f.tree.communityA2(), this.f.tree.communityB1());
		for (LocalDate day : List.of(this.f.day, this.f.next)) {
			for (TestData.NodeRef ref : nodes) {
				Dashboard dashboard = this.dashboards.of(this.f.hq, this.dashboards.node(this.f.hq, ref.code()), day);
				String where = ref.name() + " " + day;
				assertThat(dashboard.gate()).as("gate, " + where).isEqualTo(gate(ref.path(), day));
				assertThat(dashboard.testing()).as("testing, " + where).isEqualTo(testing(ref.path()));
				assertThat(dashboard.containment()).as("containment, " + where).isEqualTo(containment(ref.path(), day));
				for (Dashboard.Child child : dashboard.children()) {
					String path = this.jdbc.sql("select path from division_node where id = :id")
						.param("id", child.id())
						.query(String.class)
						.single();
					assertThat(child.gate()).as("gate of child " + child.name() + ", " + where)
						.isEqualTo(gate(path, day));
					assertThat(child.testing()).as("testing of child " + child.name()).isEqualTo(testing(path));
					assertThat(child.containment()).as("containment of child " + child.name())
						.isEqualTo(containment(path, day));
				}
			}
		}
	}

	@Test
	void aScanAt2359ChinaTimeBelongsToThatDayAndOneAt0001ToTheNext() {
		Dashboard a1Day = this.dashboards.of(this.f.hq,
				this.dashboards.node(this.f.hq, this.f.tree.communityA1().code()), this.f.day);
		Dashboard a1Next = this.dashboards.of(this.f.hq,
				this.dashboards.node(this.f.hq, this.f.tree.communityA1().code()), this.f.next);
		// in at 23:59 (sent twice, one passage), a fever at 23:58 (the one denial: a scan
		// with no identity at noon is an error the guard retries, not a denial), a
		// turn-back at 23:59
		assertThat(a1Day.gate()).isEqualTo(new Dashboard.Gate(1, 0, 1, 1, 1));
		assertThat(a1Next.gate()).isEqualTo(new Dashboard.Gate(0, 1, 0, 0, 0));
		Dashboard district = this.dashboards.of(this.f.hq,
				this.dashboards.node(this.f.hq, this.f.tree.district().code()), this.f.next);
		// next day: A1 out at 00:01, B1 in at 00:01 and a fever going out at 00:02, B1's
		// turn-back
		assertThat(district.gate()).isEqualTo(new Dashboard.Gate(1, 1, 1, 1, 1));
		assertThat(district.testing()).isEqualTo(new Dashboard.Testing(3, 2, 1));
		assertThat(district.containment()).isEqualTo(new Dashboard.Containment(1, 2, 1, 1));
		assertThat(district.children()).extracting(Dashboard.Child::code)
			.containsExactlyInAnyOrder(this.f.tree.streetA().code(), this.f.tree.streetB().code());
		assertThat(district.more().get("visits")).containsEntry("visitors", 0L);
	}

	@Test
	void theDefaultDayIsTodayInChinaWhateverTheClocksZone() {
		assertThat(this.dashboards.day(null)).isEqualTo(LocalDate.now(ChinaStandardTime.ZONE));
	}

	@Test
	void theApiAnswersTheContractAndRefusesBadInputAndOtherJurisdictions() {
		RestClient hq = client(this.data.account(Role.HQ_ADMIN, this.f.tree.district()));
		Map<?, ?> body = hq.get()
			.uri("/api/v1/dashboard?code={c}&date={d}", this.f.tree.streetA().code(), this.f.day.toString())
			.retrieve()
			.body(Map.class);
		assertThat(body.get("code")).isEqualTo(this.f.tree.streetA().code());
		assertThat(body.get("date")).isEqualTo(this.f.day.toString());
		assertThat(map(body.get("gate"))).containsKeys("in", "out", "denied", "turnBacks", "feverAlerts");
		assertThat(((Map<?, ?>) body.get("gate")).get("in")).isEqualTo(2);
		assertThat(map(body.get("testing"))).containsKeys("expected", "sampled", "positive");
		assertThat(map(body.get("containment"))).containsKeys("sealedAreas", "peopleSealed", "quarantined",
				"overdueCheckIns");
		List<?> children = (List<?>) body.get("children");
		assertThat(children).hasSize(2);
		assertThat(map(children.get(0))).containsKeys("code", "name", "gate", "testing", "containment");

		assertThat(status(hq, "/api/v1/dashboard?code=12345")).isEqualTo(400);
		assertThat(status(hq, "/api/v1/dashboard?code=" + this.f.tree.streetA().code() + "&date=2026-13-01"))
			.isEqualTo(400);
		assertThat(status(hq, "/api/v1/dashboard?code=" + uniqueCode())).isEqualTo(404);
		RestClient streetB = client(this.data.account(Role.STREET_ADMIN, this.f.tree.streetB()));
		assertThat(status(streetB, "/api/v1/dashboard?code=" + this.f.tree.streetA().code())).isEqualTo(403);
		assertThat(status(streetB, "/api/v1/dashboard?code=" + this.f.tree.streetB().code())).isEqualTo(200);
		RestClient guard = client(this.data.account(Role.CHECKPOINT_GUARD, this.f.tree.communityB1()));
		assertThat(status(guard, "/api/v1/dashboard?code=" + this.f.tree.communityB1().code())).isEqualTo(403);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object json) {
		return (Map<String, Object>) json;
	}

	private RestClient client(String username) {
		return RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + this.data.token(baseUrl(), username))
			.build();
	}

	private static int status(RestClient client, String uri) {
		return client.get().uri(uri).exchange((request, response) -> response.getStatusCode().value());
	}

	// Independent counts: straight from the records, not from the counters the dashboard
	// reads.

	private Dashboard.Gate gate(String path, LocalDate day) {
		long[] scans = this.jdbc.sql("""
				select count(*) filter (where s.decision = 'ALLOW' and s.direction = 'IN'),
				       count(*) filter (where s.decision = 'ALLOW' and s.direction = 'OUT'),
				       count(*) filter (where s.decision = 'DENY')
				from gate_scan s join checkpoint k on k.id = s.checkpoint_id
				where k.path like :p and (s.scanned_at at time zone 'Asia/Shanghai')::date = :day""")
			.param("p", path + "%")
			.param("day", day)
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3) })
			.single();
		long turnBacks = this.jdbc.sql("""
				select count(*) from gate_visit v join checkpoint k on k.id = v.checkpoint_id
				where k.path like :p and v.kind = 'TURN_BACK' and (v.at at time zone 'Asia/Shanghai')::date = :day""")
			.param("p", path + "%")
			.param("day", day)
			.query(Long.class)
			.single();
		long fevers = this.jdbc
			.sql("""
					select count(*) from checkpoint_alert a join gate_scan s on s.id = a.scan_id
					where a.path like :p and a.kind = 'FEVER' and (s.scanned_at at time zone 'Asia/Shanghai')::date = :day""")
			.param("p", path + "%")
			.param("day", day)
			.query(Long.class)
			.single();
		return new Dashboard.Gate(scans[0], scans[1], scans[2], turnBacks, fevers);
	}

	private Dashboard.Testing testing(String path) {
		return this.jdbc
			.sql("""
					select count(*) filter (where exempt is null or state <> 'NONE'), count(*) filter (where state <> 'NONE'),
					       count(*) filter (where state = 'POSITIVE')
					from round_member where round_id = :r and path like :p""")
			.param("r", this.f.roundId)
			.param("p", path + "%")
			.query((rs, i) -> new Dashboard.Testing(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
			.single();
	}

	private Dashboard.Containment containment(String path, LocalDate day) {
		java.sql.Timestamp start = java.sql.Timestamp.from(ChinaStandardTime.startOf(day));
		java.sql.Timestamp end = java.sql.Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1)));
		long sealed = this.jdbc
			.sql("""
					select count(*) from sealed_area where path like :p and starts_at < :end and (ended_at is null or ended_at > :start)""")
			.param("p", path + "%")
			.param("start", start)
			.param("end", end)
			.query(Long.class)
			.single();
		long people = this.jdbc.sql("""
				select count(*) from resident r where r.status in ('RESIDENT', 'RENTING') and exists (
				    select 1 from sealed_area s where s.path like :p and r.path like s.path || '%'
				      and s.starts_at < :end and (s.ended_at is null or s.ended_at > :start))""")
			.param("p", path + "%")
			.param("start", start)
			.param("end", end)
			.query(Long.class)
			.single();
		long quarantined = this.jdbc.sql("""
				select count(*) from quarantine where path like :p and starts_on <= :day and released_at is null""")
			.param("p", path + "%")
			.param("day", day)
			.query(Long.class)
			.single();
		// The fixture's quarantine started two days before the first day and nobody ever
		// checked in.
		long overdue = this.jdbc.sql("""
				select count(*) from quarantine q where q.path like :p and q.starts_on < :day and q.released_at is null
				  and not exists (select 1 from quarantine_check_in c where c.quarantine_id = q.id)""")
			.param("p", path + "%")
			.param("day", day)
			.query(Long.class)
			.single();
		return new Dashboard.Containment(sealed, people, quarantined, overdue);
	}

}
