package org.fangxian.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.checkpoint.GateFigures;
import org.fangxian.quarantine.ContainmentFigures;
import org.fangxian.registry.Node;
import org.fangxian.reporting.FigureSource;
import org.fangxian.reporting.internal.Dashboard;
import org.fangxian.reporting.internal.Dashboards;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.testing.TestingFigures;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, not a test (excluded from surefire): the dashboard of a district with
 * {@code bench.residents} residents (default 1,000,000) in 20 streets, 200 communities
 * and 1,000 buildings, ten gate scans per resident spread over 14 days, a testing round
 * of 98 % of them and a seal on every building, next to the naive count over the scans
 * themselves measured in the same run (what a dashboard without read models would do for
 * its gate figures alone).
 *
 * <p>
 * The scans are bulk-loaded with the counting trigger off and the counters rebuilt by one
 * aggregate (as migration V40 does); the round's members go in through the real statement
 * trigger. Run:
 * {@code mvn -o test -Dtest=DashboardBenchmark -Dbench.residents=100000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DashboardBenchmark extends IntegrationTest {

	private static final int RESIDENTS = Integer.getInteger("bench.residents", 1_000_000);

	private static final int SCANS_PER_RESIDENT = Integer.getInteger("bench.scansPerResident", 10);

	private static final int RUNS = Integer.getInteger("bench.runs", 200);

	/**
	 * The naive count reads a whole day of the district's scans (700,000 at full scale),
	 * seconds a run: fewer runs are enough to know its order of magnitude.
	 */
	private static final int BASELINE_RUNS = Integer.getInteger("bench.baselineRuns", 20);

	@Autowired
	Dashboards dashboards;

	@Autowired
	GateFigures gates;

	@Autowired
	TestingFigures testing;

	@Autowired
	ContainmentFigures containment;

	@Autowired
	List<FigureSource> sources;

	private static void log(String format, Object... args) {
		System.out.printf("[dashboard-bench] " + format + "%n", args);
	}

	@Test
	void dashboardOfALargeDistrict() throws Exception {
		long started = System.nanoTime();
		String tag = Long.toString(System.nanoTime(), 36);
		BenchDistrict.Built built = BenchDistrict.build(this.jdbc, this.data, "基准区" + tag, RESIDENTS, false, null, 0);
		TestData.NodeRef district = built.node();
		String path = built.path();
		int perUnit = RESIDENTS / 1000;
		log("tree and %,d residents in %.1f s", perUnit * 1000, (System.nanoTime() - started) / 1e9);

		long scans = (long) perUnit * 1000 * SCANS_PER_RESIDENT;
		Instant now = Instant.now();
		long t = System.nanoTime();
		BenchDistrict.scans(this.jdbc, path, scans, now, 1_209_600);
		log("%,d scans over 14 days and their counters in %.1f s", scans, (System.nanoTime() - t) / 1e9);

		t = System.nanoTime();
		long round = this.jdbc.sql("""
				insert into testing_round (node_id, path, name, pool_size, starts_at, ends_at, created_by)
				values (:d, :p, '全员第1轮', 10, :from, :to, 0) returning id""")
			.param("d", district.id())
			.param("p", path)
			.param("from", Timestamp.from(now.minusSeconds(6 * 3600)))
			.param("to", Timestamp.from(now.plusSeconds(2 * 86400)))
			.query(Long.class)
			.single();
		this.jdbc
			.sql("""
					insert into round_member (round_id, resident_id, node_id, path, exempt)
					select :r, id, node_id, path, case when status = 'AWAY' then 'AWAY' end from resident where path like :p""")
			.param("r", round)
			.param("p", path + "%")
			.update();
		this.jdbc
			.sql("update round_member set state = case when resident_id % 1000 = 0 then 'POSITIVE' else 'NEGATIVE' end "
					+ "where round_id = :r and resident_id % 3 = 0")
			.param("r", round)
			.update();
		log("round of its members, with states, through the counting trigger in %.1f s", (System.nanoTime() - t) / 1e9);

		this.jdbc.sql("""
				insert into sealed_area (node_id, path, level, reason, order_ref, starts_at, planned_end_at, created_by)
				select b.id, '', 'SEALED', '阳性病例', '令1号', :from, :to, 0 from division_node b
				where b.kind = 'BUILDING' and b.path like :p""")
			.param("from", Timestamp.from(now.minusSeconds(3600)))
			.param("to", Timestamp.from(now.plusSeconds(2 * 86400)))
			.param("p", path + "%")
			.update();
		this.jdbc.sql("""
				insert into quarantine (resident_id, path, kind, reason, place, starts_on, ends_on, created_by)
				select id, path, 'HOME', '密接', '住所', current_date - 3, current_date + 11, 0 from resident
				where path like :p and id % 500 = 0""").param("p", path + "%").update();
		t = System.nanoTime();
		workload(district, round, now);
		log("road checks, returnee reports, door-to-door and follow-ups in %.1f s", (System.nanoTime() - t) / 1e9);
		this.jdbc.sql("analyze").update();
		log("setup done in %.1f s", (System.nanoTime() - started) / 1e9);

		CurrentUser hq = this.data.user(Role.HQ_ADMIN, district);
		Node node = this.dashboards.node(hq, district.code());
		LocalDate today = ChinaStandardTime.today(java.time.Clock.systemUTC());
		Dashboard first = this.dashboards.of(hq, node, today);
		assertThat(first.children()).hasSize(20);
		assertThat(first.containment().sealedAreas()).isEqualTo(1000);
		log("district today: %s", first.gate());

		String street = first.children().get(0).code();
		Node streetNode = this.dashboards.node(hq, street);
		String token = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, district));
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(baseUrl() + "/api/v1/dashboard?code=" + district.code()))
			.header("Authorization", "Bearer " + token)
			.build();
		// Today may have begun minutes ago (the run's hour in China Standard Time):
		// yesterday is a whole day of scans, for the naive count and the dashboard alike.
		LocalDate yesterday = today.minusDays(1);
		log("district yesterday: %s", this.dashboards.of(hq, node, yesterday).gate());

		List<String> rows = new ArrayList<>();
		rows.add(measure("naive gate count over today's scans so far (baseline)", BASELINE_RUNS,
				() -> naiveGateCount(path, today)));
		rows.add(measure("naive gate count over yesterday's scans, a whole day (baseline)", BASELINE_RUNS,
				() -> naiveGateCount(path, yesterday)));
		rows.add(measure("dashboard, district (service)", () -> this.dashboards.of(hq, node, today)));
		rows.add(measure("dashboard, district, yesterday (service)", () -> this.dashboards.of(hq, node, yesterday)));
		// A whole day's cost, part by part: each module's figures for the district and
		// its
		// streets, as Dashboards.of asks for them, so the part that still reads records
		// shows.
		List<Node> parts = new ArrayList<>(List.of(node));
		first.children().forEach(child -> parts.add(this.dashboards.node(hq, child.code())));
		for (LocalDate day : List.of(today, yesterday)) {
			String when = day.equals(today) ? "today" : "yesterday";
			rows.add(measure(when + ", part: gate (with children)", () -> this.gates.day(hq, node, day)));
			rows.add(measure(when + ", part: testing (with children)", () -> this.testing.day(hq, node, day)));
			rows.add(measure(when + ", part: containment (with children)", () -> this.containment.day(hq, node, day)));
			for (FigureSource source : this.sources) {
				rows.add(measure(
						when + ", part: " + source.section() + " (district + " + (parts.size() - 1) + " streets)",
						() -> parts.stream().map(n -> source.figures(hq, n, day)).toList()));
			}
		}
		rows.add(measure("dashboard, one street (service)", () -> this.dashboards.of(hq, streetNode, today)));
		rows.add(measure("dashboard, district (HTTP API, JSON)", () -> {
			try {
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).isEqualTo(200);
				return response.body().length();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}));
		rows.add(measure("14-day trends, district (service)", () -> this.dashboards.trends(hq, node, today)));

		StringBuilder md = new StringBuilder();
		md.append("Dashboard benchmark: ")
			.append(String.format("%,d", perUnit * 1000L))
			.append(" residents, ")
			.append(String.format("%,d", scans))
			.append(" gate scans over 14 days, a round of ")
			.append(String.format("%,d",
					this.jdbc.sql("select count(*) from round_member where round_id = :r")
						.param("r", round)
						.query(Long.class)
						.single()))
			.append(", 1,000 seals; ")
			.append(RUNS)
			.append(" runs each after 20 unmeasured\n\n| what | p50 ms | p99 ms | max ms |\n|---|---|---|---|\n");
		rows.forEach(md::append);
		Path out = Path.of("target", "bench");
		Files.createDirectories(out);
		Files.writeString(out.resolve("dashboard-benchmark.md"), md.toString(), StandardCharsets.UTF_8);
		System.out.println(md);
	}

	/** What a dashboard without read models would do for its gate figures alone. */
	private long naiveGateCount(String path, LocalDate day) {
		return this.jdbc
			.sql("""
					select count(*) filter (where s.decision = 'ALLOW' and s.direction = 'IN'),
					       count(*) filter (where s.decision = 'ALLOW' and s.direction = 'OUT'), count(*) filter (where s.decision = 'DENY')
					from gate_scan s join checkpoint k on k.id = s.checkpoint_id
					where k.path like :p and s.scanned_at >= :from and s.scanned_at < :to""")
			.param("p", path + "%")
			.param("from", Timestamp.from(ChinaStandardTime.startOf(day)))
			.param("to", Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1))))
			.query((rs, i) -> rs.getLong(1))
			.single();
	}

	private static String measure(String what, Supplier<Object> call) {
		return measure(what, RUNS, call);
	}

	private static String measure(String what, int runs, Supplier<Object> call) {
		for (int i = 0; i < Math.min(20, runs); i++) {
			call.get();
		}
		double[] ms = new double[runs];
		for (int i = 0; i < runs; i++) {
			long t = System.nanoTime();
			call.get();
			ms[i] = (System.nanoTime() - t) / 1e6;
		}
		Arrays.sort(ms);
		String row = String.format("| %s (%d runs) | %.1f | %.1f | %.1f |%n", what, runs, ms[runs / 2],
				ms[(int) Math.ceil(runs * 0.99) - 1], ms[runs - 1]);
		log(row.trim());
		return row;
	}

	/**
	 * The records behind the dashboard's road-check and open-work figures, at a
	 * district's scale: a road post on each street checking 500 vehicles a day for 14
	 * days, 1 returnee report per 50 residents (half decided), a district-wide
	 * door-to-door campaign over one household per 2.5 residents (60 % visited), and a
	 * re-test follow-up per member of each positive pool.
	 */
	private void workload(TestData.NodeRef district, long round, Instant now) {
		String path = district.path();
		long by = this.data.user(Role.COMMUNITY_WORKER, district).accountId();
		Timestamp at = Timestamp.from(now);
		this.jdbc.sql("""
				insert into checkpoint (node_id, path, name, kind) select s.id, '', '道路卡口', 'ROAD' from division_node s
				where s.kind = 'STREET' and s.path like :p""").param("p", path + "%").update();
		this.jdbc
			.sql("""
					insert into road_check (checkpoint_id, idempotency_key, checked_at, plate, health_code, passengers, decision,
					                        rule, account_id)
					select k.ids[1 + (i % array_length(k.ids, 1))], 'r' || i, cast(:now as timestamptz) - (i % 1209600) * interval '1 second',
					       '黑A' || lpad((i % 100000)::text, 5, '0'), 'GREEN', 1 + i % 4,
					       (array['PASS', 'PASS', 'PASS', 'PASS', 'RETEST', 'DIVERT', 'DENY'])[1 + i % 7], 'bench', 0
					from (select array_agg(id order by id) as ids from checkpoint where kind = 'ROAD' and path like :p) k,
					     generate_series(1, 20 * 500 * 14) i""")
			.param("now", at)
			.param("p", path + "%")
			.update();
		this.jdbc
			.sql("""
					insert into returnee_report (community_id, path, name, id_type, id_cipher, id_hash, id_masked, phone_cipher,
					    phone_masked, address, origin_code, origin_name, arrival_date, transport, reported_at, decision, decided_at)
					select c.id, c.path, '返乡人员', 'ID_CARD', '\\x00', sha256(r.id::text::bytea), '1101**', '\\x00', '138****0000',
					       '1栋', '310101000000', '上海市', current_date - (r.id % 14)::int, 'TRAIN',
					       cast(:now as timestamptz) - (r.id % 1209600) * interval '1 second',
					       case when r.id % 2 = 0 then 'NO_ACTION' end,
					       case when r.id % 2 = 0 then cast(:now as timestamptz) - (r.id % 1209600) * interval '1 second' + interval '1 hour' end
					from resident r join division_node u on u.id = r.node_id join division_node b on b.id = u.parent_id
					join division_node c on c.id = b.parent_id
					where r.path like :p and r.id % 50 = 0""")
			.param("now", at)
			.param("p", path + "%")
			.update();
		this.jdbc
			.sql("""
					insert into household (node_id, path, room, address)
					select u.id, u.path, lpad(i::text, 4, '0'), '住址' from division_node u cross join generate_series(1, :n) i
					where u.kind = 'UNIT' and u.path like :p""")
			.param("n", Math.max(1, RESIDENTS * 2 / 5 / 1000))
			.param("p", path + "%")
			.update();
		long campaign = this.jdbc.sql("""
				insert into screening_campaign (node_id, path, name, starts_on, ends_on, created_by)
				select id, path, '全区敲门行动', current_date - 3, current_date + 3, :by from division_node where path = :p
				returning id""").param("p", path).param("by", by).query(Long.class).single();
		this.jdbc
			.sql("""
					insert into screening_visit (campaign_id, household_id, path, group_id, outcome, attempts, last_visited_at)
					select :c, h.id, h.path, u.parent_id, case when h.id % 5 < 3 then 'AT_HOME' when h.id % 5 = 3 then 'NOBODY_HOME' end,
					       case when h.id % 5 < 4 then 1 else 0 end, case when h.id % 5 < 4 then cast(:now as timestamptz) - (h.id % 200000) * interval '1 second' end
					from household h join division_node u on u.id = h.node_id where h.path like :p""")
			.param("c", campaign)
			.param("now", at)
			.param("p", path + "%")
			.update();
		this.jdbc
			.sql("""
					insert into screening_attempt (visit_id, idempotency_key, outcome, visited_at, account_id)
					select id, 'a' || id, outcome, last_visited_at, :by from screening_visit where campaign_id = :c and outcome is not null""")
			.param("c", campaign)
			.param("by", by)
			.update();
		this.jdbc.sql("""
				insert into tube (round_id, barcode, capacity, status, opened_by, result)
				select :r, 'B' || :r || '-' || m.resident_id, 10, 'CLOSED', 0, 'POSITIVE' from round_member m
				where m.round_id = :r and m.state = 'POSITIVE'""").param("r", round).update();
		this.jdbc.sql("""
				insert into testing_followup (round_id, tube_id, resident_id, path, kind)
				select :r, t.id, m.resident_id, m.path, 'RETEST' from tube t
				join round_member p on p.round_id = :r and t.barcode = 'B' || :r || '-' || p.resident_id
				join round_member m on m.round_id = :r and m.resident_id between p.resident_id and p.resident_id + 9
				where t.round_id = :r""").param("r", round).update();
	}

}
