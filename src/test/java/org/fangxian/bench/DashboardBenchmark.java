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
import org.fangxian.registry.Node;
import org.fangxian.reporting.Dashboard;
import org.fangxian.reporting.Dashboards;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
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

	@Autowired
	Dashboards dashboards;

	private static void log(String format, Object... args) {
		System.out.printf("[dashboard-bench] " + format + "%n", args);
	}

	@Test
	void dashboardOfALargeDistrict() throws Exception {
		long started = System.nanoTime();
		String tag = Long.toString(System.nanoTime(), 36);
		TestData.NodeRef district = this.data.node(null, "DISTRICT", uniqueCode(), "基准区" + tag);
		this.jdbc
			.sql("""
					insert into division_node (parent_id, kind, code, name)
					select :d, 'STREET', '98' || lpad((:base + s)::text, 10, '0'), '街道' || s from generate_series(1, 20) s""")
			.param("d", district.id())
			.param("base", (System.nanoTime() / 1000) % 9_000_000_000L)
			.update();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, code, name)
				select s.id, 'COMMUNITY', '97' || lpad((:base + row_number() over ())::text, 10, '0'), '社区' || c
				from division_node s cross join generate_series(1, 10) c where s.parent_id = :d""")
			.param("d", district.id())
			.param("base", (System.nanoTime() / 1000) % 9_000_000_000L)
			.update();
		String path = district.path();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select c.id, 'BUILDING', b || '栋' from division_node c cross join generate_series(1, 5) b
				where c.kind = 'COMMUNITY' and c.path like :p""").param("p", path + "%").update();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select b.id, 'UNIT', '1单元' from division_node b where b.kind = 'BUILDING' and b.path like :p""")
			.param("p", path + "%")
			.update();
		int perUnit = RESIDENTS / 1000;
		this.jdbc.sql("""
				insert into resident (node_id, path, name, id_type, status)
				select u.id, '', '居民', 'RESIDENT_ID_CARD', case when i % 50 = 0 then 'AWAY' else 'RESIDENT' end
				from division_node u cross join generate_series(1, :n) i where u.kind = 'UNIT' and u.path like :p""")
			.param("n", perUnit)
			.param("p", path + "%")
			.update();
		log("tree and %,d residents in %.1f s", perUnit * 1000, (System.nanoTime() - started) / 1e9);

		this.jdbc.sql("""
				insert into checkpoint (node_id, path, name) select c.id, '', '东门' from division_node c
				where c.kind = 'COMMUNITY' and c.path like :p""").param("p", path + "%").update();
		long scans = (long) perUnit * 1000 * SCANS_PER_RESIDENT;
		Instant now = Instant.now();
		long t = System.nanoTime();
		this.jdbc.sql("alter table gate_scan disable trigger gate_scan_counted").update();
		try {
			this.jdbc
				.sql("""
						insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, direction, method, decision, reason, account_id)
						select k.ids[1 + (i % array_length(k.ids, 1))], 'b' || i, cast(:now as timestamptz) - (i % 1209600) * interval '1 second',
						       case when i % 2 = 0 then 'IN' else 'OUT' end, 'QR',
						       case when i % 97 = 0 then 'DENY' else 'ALLOW' end,
						       case when i % 97 = 0 then (case when i % 3 = 0 then 'gate.deny.fever' else 'gate.deny.sealed' end) else 'gate.allow' end, 0
						from (select array_agg(id order by id) as ids from checkpoint where path like :p) k, generate_series(1, :n) i""")
				.param("now", Timestamp.from(now))
				.param("p", path + "%")
				.param("n", scans)
				.update();
		}
		finally {
			this.jdbc.sql("alter table gate_scan enable trigger gate_scan_counted").update();
		}
		this.jdbc.sql("""
				insert into gate_day_count (checkpoint_id, day, path, allowed_in, allowed_out, denied, fever)
				select s.checkpoint_id, (s.scanned_at at time zone 'Asia/Shanghai')::date, min(k.path),
				       count(*) filter (where decision = 'ALLOW' and direction = 'IN'),
				       count(*) filter (where decision = 'ALLOW' and direction = 'OUT'),
				       count(*) filter (where decision = 'DENY'), count(*) filter (where reason = 'gate.deny.fever')
				from gate_scan s join checkpoint k on k.id = s.checkpoint_id where k.path like :p group by 1, 2""")
			.param("p", path + "%")
			.update();
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
		Timestamp dayStart = Timestamp.from(ChinaStandardTime.startOf(today));
		Timestamp dayEnd = Timestamp.from(ChinaStandardTime.startOf(today.plusDays(1)));

		List<String> rows = new ArrayList<>();
		rows.add(measure("naive gate count over the day's scans (baseline)",
				() -> this.jdbc
					.sql("""
							select count(*) filter (where s.decision = 'ALLOW' and s.direction = 'IN'),
							       count(*) filter (where s.decision = 'ALLOW' and s.direction = 'OUT'), count(*) filter (where s.decision = 'DENY')
							from gate_scan s join checkpoint k on k.id = s.checkpoint_id
							where k.path like :p and s.scanned_at >= :from and s.scanned_at < :to""")
					.param("p", path + "%")
					.param("from", dayStart)
					.param("to", dayEnd)
					.query((rs, i) -> rs.getLong(1))
					.single()));
		rows.add(measure("dashboard, district (service)", () -> this.dashboards.of(hq, node, today)));
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

	private static String measure(String what, Supplier<Object> call) {
		for (int i = 0; i < 20; i++) {
			call.get();
		}
		double[] ms = new double[RUNS];
		for (int i = 0; i < RUNS; i++) {
			long t = System.nanoTime();
			call.get();
			ms[i] = (System.nanoTime() - t) / 1e6;
		}
		Arrays.sort(ms);
		String row = String.format("| %s | %.1f | %.1f | %.1f |%n", what, ms[RUNS / 2],
				ms[(int) Math.ceil(RUNS * 0.99) - 1], ms[RUNS - 1]);
		log(row.trim());
		return row;
	}

}
