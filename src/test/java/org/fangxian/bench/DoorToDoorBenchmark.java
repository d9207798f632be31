package org.fangxian.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.screening.ScreeningFigures;
import org.fangxian.screening.ScreeningFigures.DoorToDoor;
import org.fangxian.screening.internal.ScreeningCampaigns;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, not a test (excluded from surefire): door-to-door progress of a district
 * with {@code bench.doors} doors (default 1,000,000) in 20 streets, 200 communities,
 * 1,000 buildings and 2,000 units, one district-wide campaign (created through the
 * service, so through the read model's trigger) with 60 % of the doors knocked
 * conclusively over the last four days and 10 % nobody home. Measures, in the same run:
 * the figure from the read model (district and one street) against the former count over
 * the doors and their knocks (the baseline); the plan of the read model's query; and what
 * a knock's two writes (those of {@code ScreeningVisits.record}) pay for it, A/B/A/B with
 * the read model's triggers off and on. Run:
 * {@code mvn -o test -Dtest=DoorToDoorBenchmark -Dbench.doors=1000000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DoorToDoorBenchmark extends IntegrationTest {

	private static final int DOORS = Integer.getInteger("bench.doors", 1_000_000);

	private static final int RUNS = Integer.getInteger("bench.runs", 200);

	private static final int BASELINE_RUNS = Integer.getInteger("bench.baselineRuns", 10);

	private static final int KNOCKS_PER_BLOCK = Integer.getInteger("bench.knocks", 200);

	@Autowired
	ScreeningCampaigns campaigns;

	@Autowired
	ScreeningFigures figures;

	@Autowired
	DivisionTree divisions;

	@Autowired
	PlatformTransactionManager transactions;

	private static void log(String format, Object... args) {
		System.out.printf("[d2d-bench] " + format + "%n", args);
	}

	@Test
	void doorToDoorOfALargeDistrict() throws Exception {
		long started = System.nanoTime();
		log("load at start: %s", Files.readString(Path.of("/proc/loadavg")).trim());
		String tag = Long.toString(System.nanoTime(), 36);
		TestData.NodeRef district = this.data.node(null, "DISTRICT", uniqueCode(), "敲门基准区" + tag);
		String path = district.path();
		this.jdbc
			.sql("""
					insert into division_node (parent_id, kind, code, name)
					select :d, 'STREET', '96' || lpad((:base + s)::text, 10, '0'), '街道' || s from generate_series(1, 20) s""")
			.param("d", district.id())
			.param("base", (System.nanoTime() / 1000) % 9_000_000_000L)
			.update();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, code, name)
				select s.id, 'COMMUNITY', '95' || lpad((:base + row_number() over ())::text, 10, '0'), '社区' || c
				from division_node s cross join generate_series(1, 10) c where s.parent_id = :d""")
			.param("d", district.id())
			.param("base", (System.nanoTime() / 1000) % 9_000_000_000L)
			.update();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select c.id, 'BUILDING', b || '栋' from division_node c cross join generate_series(1, 5) b
				where c.kind = 'COMMUNITY' and c.path like :p""").param("p", path + "%").update();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select b.id, 'UNIT', u || '单元' from division_node b cross join generate_series(1, 2) u
				where b.kind = 'BUILDING' and b.path like :p""").param("p", path + "%").update();
		int perUnit = Math.max(1, DOORS / 2000);
		this.jdbc
			.sql("""
					insert into household (node_id, path, room, address)
					select u.id, u.path, lpad(i::text, 4, '0'), '住址' from division_node u cross join generate_series(1, :n) i
					where u.kind = 'UNIT' and u.path like :p""")
			.param("n", perUnit)
			.param("p", path + "%")
			.update();
		long doors = perUnit * 2000L;
		log("tree and %,d households in %.1f s", doors, (System.nanoTime() - started) / 1e9);

		CurrentUser hq = this.data.user(Role.HQ_ADMIN, district);
		LocalDate today = ChinaStandardTime.today(java.time.Clock.systemUTC());
		long t = System.nanoTime();
		long campaign = this.campaigns
			.create(hq,
					new ScreeningCampaigns.NewCampaign("全区敲门行动", district.id(), today.minusDays(3), today.plusDays(3)))
			.id();
		log("campaign over %,d doors created through the service (and the read model's trigger) in %.1f s", doors,
				(System.nanoTime() - t) / 1e9);
		t = System.nanoTime();
		// Knocks of the last four days: 60 % at home or refused, 10 % nobody home.
		int knocks = this.jdbc
			.sql("""
					insert into screening_attempt (visit_id, idempotency_key, outcome, visited_at, account_id)
					select id, 'k' || id, case when id % 10 < 5 then 'AT_HOME' when id % 10 < 6 then 'REFUSED' else 'NOBODY_HOME' end,
					       now() - (id % 345600) * interval '1 second', :by
					from screening_visit where campaign_id = :c and id % 10 < 7""")
			.param("c", campaign)
			.param("by", hq.accountId())
			.update();
		log("%,d knocks in one statement (and the first-visit and read-model triggers) in %.1f s", knocks,
				(System.nanoTime() - t) / 1e9);
		this.jdbc.sql("analyze screening_visit").update();
		this.jdbc.sql("analyze screening_attempt").update();
		// The bulk knocks above moved the read model's rows one knock at a time (row
		// triggers), as a day of knocking would; autovacuum would tidy up after them.
		this.jdbc.sql("vacuum analyze screening_progress").update();
		long rows = this.jdbc.sql("select count(*) from screening_progress where campaign_id = :c")
			.param("c", campaign)
			.query(Long.class)
			.single();
		log("read model: %,d rows for the campaign; setup done in %.1f s", rows, (System.nanoTime() - started) / 1e9);

		Node districtNode = this.divisions.node(hq, district.id());
		Node street = this.divisions.node(hq,
				this.jdbc.sql("select min(id) from division_node where parent_id = :d")
					.param("d", district.id())
					.query(Long.class)
					.single());
		DoorToDoor fromModel = this.figures.doorToDoor(hq, districtNode, today);
		DoorToDoor direct = direct(districtNode, today);
		log("district today: read model %s, direct count %s", fromModel, direct);
		assertThat(fromModel).isEqualTo(direct);
		assertThat(this.figures.doorToDoor(hq, street, today.minusDays(2)))
			.isEqualTo(direct(street, today.minusDays(2)));

		List<String> table = new ArrayList<>();
		table.add(measure("former count over doors and knocks, district (baseline)", BASELINE_RUNS,
				() -> direct(districtNode, today)));
		table.add(measure("read model, district", RUNS, () -> this.figures.doorToDoor(hq, districtNode, today)));
		table.add(measure("former count, one street", BASELINE_RUNS, () -> direct(street, today)));
		table.add(measure("read model, one street", RUNS, () -> this.figures.doorToDoor(hq, street, today)));

		String plan = String.join("\n",
				this.jdbc.sql("""
						explain (analyze, buffers)
						select coalesce(sum(p.doors), 0) as doors, coalesce(sum(p.visited), 0) as visited
						from screening_campaign c join screening_progress p on p.campaign_id = c.id
						where c.starts_on <= :day and c.ends_on >= :day
						  and p.area_path ~>=~ :path and p.area_path ~<~ :end and p.day <= :day""")
					.param("day", today)
					.param("path", districtNode.path())
					.param("end", districtNode.subtreeEnd())
					.query(String.class)
					.list());
		log("plan of the read model's query, district:%n%s", plan);

		// What a knock pays: the two writes of ScreeningVisits.record (the attempt and
		// the
		// door's summary) in one transaction each, on doors not knocked yet (a first
		// conclusive knock, the dearer case), with the read model's triggers off (A) and
		// on (B). The service's own reads around them are the same either way.
		List<Long> fresh = this.jdbc.sql("""
				select id from screening_visit where campaign_id = :c and attempts = 0 and id % 10 >= 7
				order by id limit :n""")
			.param("c", campaign)
			.param("n", KNOCKS_PER_BLOCK * 4 + 21)
			.query(Long.class)
			.list();
		List<String> knockRows = new ArrayList<>();
		int next = 0;
		for (int i = 0; i < 20; i++) {
			knock(hq, fresh.get(next++));
		}
		for (String phase : List.of("off", "on", "off", "on")) {
			triggers(phase.equals("on"));
			double[] ms = new double[KNOCKS_PER_BLOCK];
			for (int i = 0; i < KNOCKS_PER_BLOCK; i++) {
				long k = System.nanoTime();
				knock(hq, fresh.get(next++));
				ms[i] = (System.nanoTime() - k) / 1e6;
			}
			knockRows.add(row("a knock's two writes and commit, read-model triggers " + phase, ms));
		}
		triggers(true);
		String anatomy = anatomy(hq, fresh.get(next++));
		log("a knock's writes under explain analyze:%n%s", anatomy);

		StringBuilder md = new StringBuilder();
		md.append(String.format("Door-to-door benchmark: %,d doors, %,d knocks, %,d read-model rows; load %s%n%n",
				doors, knocks, rows, Files.readString(Path.of("/proc/loadavg")).trim()));
		md.append("| what | p50 ms | p99 ms | max ms |\n|---|--:|--:|--:|\n");
		table.forEach(md::append);
		knockRows.forEach(md::append);
		md.append("\nA knock's two writes under EXPLAIN ANALYZE (the triggers' times):\n\n```\n")
			.append(anatomy)
			.append("\n```\n");
		md.append("\n```\n").append(plan).append("\n```\n");
		Path out = Path.of("target", "bench");
		Files.createDirectories(out);
		Files.writeString(out.resolve("door-to-door-benchmark.md"), md.toString(), StandardCharsets.UTF_8);
		System.out.println(md);
	}

	private void knock(CurrentUser user, long visit) {
		new TransactionTemplate(this.transactions).executeWithoutResult(status -> knockIn(user, visit));
	}

	private void knockIn(CurrentUser user, long visit) {
		this.jdbc
			.sql("""
					insert into screening_attempt (visit_id, idempotency_key, outcome, visited_at, account_id, letter_signed)
					values (:visit, :key, 'AT_HOME', now(), :account, true)""")
			.param("visit", visit)
			.param("key", UUID.randomUUID().toString())
			.param("account", user.accountId())
			.update();
		// ScreeningVisits.summarise, as it is.
		this.jdbc
			.sql("""
					update screening_visit v set
					    attempts = s.attempts,
					    outcome = coalesce(c.outcome, case when s.attempts > 0 then 'NOBODY_HOME' end),
					    symptoms = c.symptoms,
					    concluded_by = c.account_id,
					    returnees = s.returnees,
					    letter_signed = s.letter_signed,
					    last_visited_at = s.last_visited_at
					from (select count(*) as attempts, coalesce(max(returnees), 0) as returnees,
					             coalesce(bool_or(letter_signed), false) as letter_signed, max(visited_at) as last_visited_at
					      from screening_attempt where visit_id = :visit) s
					left join lateral (select outcome, symptoms, account_id from screening_attempt
					                   where visit_id = :visit and outcome in ('AT_HOME', 'REFUSED')
					                   order by visited_at desc, id desc limit 1) c on true
					where v.id = :visit""")
			.param("visit", visit)
			.update();
	}

	/**
	 * One knock's two writes under EXPLAIN ANALYZE (which runs them): the statement's own
	 * time and each trigger's, for a door's first conclusive knock and for a second knock
	 * at the same door.
	 */
	private String anatomy(CurrentUser user, long visit) {
		StringBuilder out = new StringBuilder();
		for (String which : List.of("first knock", "second knock, same door")) {
			new TransactionTemplate(this.transactions).executeWithoutResult(status -> {
				out.append(which).append(":\n");
				explain(out,
						"insert into screening_attempt (visit_id, idempotency_key, outcome, visited_at, account_id) "
								+ "values (" + visit + ", '" + UUID.randomUUID() + "', 'AT_HOME', now(), "
								+ user.accountId() + ")");
				explain(out, "update screening_visit set attempts = attempts + 1, last_visited_at = now() where id = "
						+ visit);
			});
		}
		return out.toString().trim();
	}

	private void explain(StringBuilder out, String sql) {
		out.append("  ").append(sql.substring(0, sql.indexOf(' ', 8))).append(": ");
		this.jdbc.sql("explain (analyze, costs off, timing on) " + sql)
			.query(String.class)
			.list()
			.stream()
			.filter(line -> line.startsWith("Trigger") || line.startsWith("Execution Time"))
			.forEach(line -> out.append(line.trim()).append("; "));
		out.append('\n');
	}

	private void triggers(boolean on) {
		String verb = on ? "enable" : "disable";
		this.jdbc.sql("alter table screening_attempt " + verb + " trigger screening_attempt_first_insert").update();
		this.jdbc.sql("alter table screening_visit " + verb + " trigger screening_visit_counted_update").update();
	}

	/** The former figure: every door of the running campaigns, probing its knocks. */
	private DoorToDoor direct(Node node, LocalDate day) {
		return this.jdbc.sql("""
				select count(*) as doors,
				       count(*) filter (where exists (select 1 from screening_attempt a where a.visit_id = v.id
				           and a.outcome in ('AT_HOME', 'REFUSED') and a.visited_at < :dayEnd)) as visited
				from screening_visit v join screening_campaign c on c.id = v.campaign_id
				where v.path ~>=~ :path and v.path ~<~ :end and c.starts_on <= :day and c.ends_on >= :day""")
			.param("path", node.path())
			.param("end", node.subtreeEnd())
			.param("day", java.sql.Date.valueOf(day))
			.param("dayEnd", Timestamp.from(ChinaStandardTime.startOf(day.plusDays(1))))
			.query((rs, i) -> new DoorToDoor(rs.getLong("doors"), rs.getLong("visited")))
			.single();
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
		return row(what + " (" + runs + " runs)", ms);
	}

	private static String row(String what, double[] ms) {
		Arrays.sort(ms);
		int n = ms.length;
		String row = String.format("| %s | %.2f | %.2f | %.2f |%n", what, ms[n / 2], ms[(int) Math.ceil(n * 0.99) - 1],
				ms[n - 1]);
		log(row.trim());
		return row;
	}

}
