package org.fangxian.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.tracing.internal.CaseBook;
import org.fangxian.tracing.internal.TracingWork;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * Benchmark, not a test (surefire's default run excludes it): contact candidates of one
 * case in a district of {@code bench.rows} residents (default 1,000,000: 10 streets × 7
 * communities × 15 buildings × 4 units, three to a household) and {@code bench.scans}
 * gate scans (default 10,000,000 over 30 days at 2 gates per community), against a bare
 * indexed look-up of the same rows in the same run: the case's passages, everyone at
 * those gates ±10 minutes, the household and the building, as plain SQL with no names,
 * scoping, merging or audit.
 *
 * <pre>
 * mvn -o test -Dtest=TracingBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.rows=1000000 -Dbench.scans=10000000
 * </pre> Results to stdout and {@code target/bench/tracing-benchmark.md}; see
 * {@code docs/benchmarks.md}.
 */
@Tag("benchmark")
class TracingBenchmark extends IntegrationTest {

	@Autowired
	CaseBook cases;

	@Autowired
	TracingWork work;

	final StringBuilder report = new StringBuilder();

	void line(String text) {
		System.out.println("[tracing-bench] " + text);
		this.report.append(text).append('\n');
	}

	static double seconds(long nanos) {
		return nanos / 1e9;
	}

	static double ms(long nanos) {
		return nanos / 1e6;
	}

	static double percentile(long[] sorted, double p) {
		return ms(sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)]);
	}

	@Test
	void benchmark() throws IOException {
		int rows = Integer.getInteger("bench.rows", 1_000_000);
		long scans = Long.getLong("bench.scans", 10_000_000L);
		int runs = Integer.getInteger("bench.runs", 50);
		TestData.Tree tree = this.data.tree();
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, tree.district());
		line("# Tracing benchmark, " + rows + " residents, " + scans + " gate scans, " + Instant.now());

		// --- the district: households of three, two gates per community
		long t0 = System.nanoTime();
		List<Long> units = new ArrayList<>();
		List<Long> gates = new ArrayList<>();
		for (int s = 1; s <= 10; s++) {
			long street = this.data.node(tree.district().id(), "STREET", uniqueCode(), "街道" + s).id();
			for (int c = 1; c <= 7; c++) {
				long community = this.data.node(street, "COMMUNITY", uniqueCode(), "社区" + s + "-" + c).id();
				long compound = this.data.node(community, "COMPOUND", null, "小区").id();
				for (int b = 1; b <= 15; b++) {
					long building = this.data.node(compound, "BUILDING", null, b + "栋").id();
					for (int u = 1; u <= 4; u++) {
						units.add(this.data.node(building, "UNIT", null, u + "单元").id());
					}
				}
				for (String name : List.of("东门", "西门")) {
					gates.add(this.jdbc
						.sql("insert into checkpoint (node_id, path, name) values (:n, '', :name) returning id")
						.param("n", community)
						.param("name", name)
						.query(Long.class)
						.single());
				}
			}
		}
		String unitIds = String.join(",", units.stream().map(String::valueOf).toList());
		int households = (rows + 2) / 3;
		long firstHousehold = this.jdbc.sql("""
				insert into household (node_id, room, address)
				select u.ids[1 + (h % array_length(u.ids, 1))], 'R' || h, h || '室'
				from generate_series(1, :n) h, (select cast(string_to_array(:units, ',') as bigint[]) as ids) u
				returning id""")
			.param("n", households)
			.param("units", unitIds)
			.query(Long.class)
			.list()
			.stream()
			.min(Long::compare)
			.orElseThrow();
		// resident g lives in household (g+2)/3, in that household's unit
		this.jdbc
			.sql("""
					insert into resident (node_id, household_id, name, id_type, status, phone_masked)
					select u.ids[1 + (((g + 2) / 3) % array_length(u.ids, 1))], :first + (g + 2) / 3 - 1, '居民' || g, 'RESIDENT_ID',
					       case when g % 100 < 95 then 'RESIDENT' else 'RENTING' end, '139****' || lpad((g % 10000)::text, 4, '0')
					from generate_series(1, :rows) g, (select cast(string_to_array(:units, ',') as bigint[]) as ids) u""")
			.param("rows", rows)
			.param("first", firstHousehold)
			.param("units", unitIds)
			.update();
		long firstResident = this.jdbc.sql("select min(id) from resident where household_id >= :first")
			.param("first", firstHousehold)
			.query(Long.class)
			.single();
		this.jdbc.sql("analyze resident").update();
		this.jdbc.sql("analyze household").update();
		line(String.format(Locale.ROOT,
				"- district: 70 communities, %d units, %d households, %d residents, %d gates in %.1f s", units.size(),
				households, rows, gates.size(), seconds(System.nanoTime() - t0)));

		// --- gate scans: each at a gate of the resident's own community (60 units a
		// community), over 30 days
		long t1 = System.nanoTime();
		String gateIds = String.join(",", gates.stream().map(String::valueOf).toList());
		long step = 2_000_000;
		for (long from = 1; from <= scans; from += step) {
			this.jdbc
				.sql("""
						insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, recorded_at, direction, method, resident_id,
						                       decision, reason, account_id)
						select gt.ids[cast(1 + 2 * ((((r + 2) / 3) % :units) / 60) + g % 2 as int)], 'b' || g,
						       now() - make_interval(secs => (g * 7919) % 2592000), now(), case when g % 2 = 0 then 'IN' else 'OUT' end,
						       'QR', :firstResident + r - 1, 'ALLOW', 'gate.allow', 0
						from (select g, 1 + (g * 104729) % :rows as r from generate_series(cast(:from as bigint), cast(:to as bigint)) g) x,
						     (select cast(string_to_array(:gates, ',') as bigint[]) as ids) gt""")
				.param("units", units.size())
				.param("firstResident", firstResident)
				.param("rows", rows)
				.param("from", from)
				.param("to", Math.min(scans, from + step - 1))
				.param("gates", gateIds)
				.update();
		}
		this.jdbc.sql("vacuum analyze gate_scan").update();
		line(String.format(Locale.ROOT, "- %d gate scans written by SQL (with their indexes) in %.1f s", scans,
				seconds(System.nanoTime() - t1)));

		// --- the case: a resident of household 1000, at its gates four times in the last
		// four days, swabbed in a tube of ten
		long subject = firstResident + 2997;
		long household = this.jdbc.sql("select household_id from resident where id = :r")
			.param("r", subject)
			.query(Long.class)
			.single();
		long gate = this.jdbc.sql("""
				select checkpoint_id from gate_scan where resident_id = :r order by scanned_at desc limit 1""")
			.param("r", subject)
			.query(Long.class)
			.single();
		for (int d = 0; d < 4; d++) {
			this.jdbc
				.sql("""
						insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, direction, method, resident_id, decision, reason, account_id)
						values (:g, :k, now() - make_interval(hours => :h), 'OUT', 'QR', :r, 'ALLOW', 'gate.allow', 0)""")
				.param("g", gate)
				.param("k", "case-" + d)
				.param("h", 6 + 24 * d)
				.param("r", subject)
				.update();
		}
		long round = this.jdbc
			.sql("""
					insert into testing_round (node_id, path, name, pool_size, starts_at, ends_at, created_by)
					select node_id, path, 'bench', 10, now() - interval '1 day', now() + interval '1 day', 0 from resident where id = :r
					returning id""")
			.param("r", subject)
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into round_member (round_id, resident_id, node_id, household_id, path)
				select :round, id, node_id, household_id, path from resident where id between :r - 200 and :r + 200""")
			.param("round", round)
			.param("r", subject)
			.update();
		long point = this.jdbc
			.sql("""
					with site as (insert into testing_site (node_id, path, name) select node_id, path, 'bench' from resident where id = :r returning id)
					insert into sampling_point (site_id, name) select id, '1号台' from site returning id""")
			.param("r", subject)
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into tube (round_id, barcode, capacity, sample_count, status, point_id, opened_by, opened_at)
				select :round, 'BT' || lpad(t::text, 6, '0') || :tag, 10, 10, 'CLOSED', :point, 0,
				       now() - interval '30 hours' + make_interval(mins => t * 3)
				from generate_series(0, 39) t""")
			.param("round", round)
			.param("point", point)
			.param("tag", String.valueOf(round))
			.update();
		this.jdbc.sql("""
				insert into sample (round_id, tube_id, resident_id, tube_open, taken_by, taken_at)
				select :round, t.id, :r - 200 + n, false, 0, t.opened_at + make_interval(secs => (n % 10) * 20)
				from generate_series(0, 399) n join tube t on t.round_id = :round
				 and t.barcode = 'BT' || lpad((n / 10)::text, 6, '0') || :tag""")
			.param("round", round)
			.param("r", subject)
			.param("tag", String.valueOf(round))
			.update();
		this.jdbc.sql("analyze sample").update();
		this.jdbc.sql("analyze tube").update();
		long caseId = this.cases.open(hq, new CaseBook.NewCase(subject, "CONFIRMED", "FEVER_CLINIC", Instant.now(),
				Instant.now().minusSeconds(3600), null));

		// --- warm up, then the service (what the API answers) and the bare look-up,
		// interleaved run by run
		int candidates = 0;
		for (int i = 0; i < 5; i++) {
			candidates = this.work.candidates(hq, caseId).candidates().size();
			bare(subject, household);
		}
		long[] service = new long[runs];
		long[] raw = new long[runs];
		int rawRows = 0;
		for (int i = 0; i < runs; i++) {
			long a = System.nanoTime();
			this.work.candidates(hq, caseId);
			service[i] = System.nanoTime() - a;
			long b = System.nanoTime();
			rawRows = bare(subject, household);
			raw[i] = System.nanoTime() - b;
		}
		Arrays.sort(service);
		Arrays.sort(raw);
		line(String.format(Locale.ROOT, "- candidates of one case: %d people (%d rows in the bare look-up)", candidates,
				rawRows));
		line(String.format(Locale.ROOT,
				"| | p50 ms | p99 ms |%n|---|---|---|%n| candidates (service: 7 sources, names, scoping, audit) | %.1f | %.1f |%n| bare indexed look-up of the same rows | %.1f | %.1f |%n| ratio | %.1f | %.1f |",
				percentile(service, 0.5), percentile(service, 0.99), percentile(raw, 0.5), percentile(raw, 0.99),
				percentile(service, 0.5) / percentile(raw, 0.5), percentile(service, 0.99) / percentile(raw, 0.99)));
		String load = new String(Files.readAllBytes(Path.of("/proc/loadavg")), StandardCharsets.UTF_8).trim();
		line("- load average at the end: " + load + " (" + Runtime.getRuntime().availableProcessors() + " cores)");
		Files.createDirectories(Path.of("target", "bench"));
		Files.writeString(Path.of("target", "bench", "tracing-benchmark.md"), this.report.toString());
	}

	/**
	 * The same rows as plain indexed SQL: the case's passages in the window, everyone at
	 * those gates within ±10 minutes, the household and the building (ids only).
	 */
	int bare(long subject, long household) {
		Instant to = Instant.now();
		Instant from = to.minus(Duration.ofDays(4)).minusSeconds(3600);
		record Passage(long checkpointId, Timestamp scannedAt) {
		}
		List<Passage> own = this.jdbc
			.sql("""
					select checkpoint_id, scanned_at from gate_scan where resident_id = :r and scanned_at between :f and :t""")
			.param("r", subject)
			.param("f", Timestamp.from(from))
			.param("t", Timestamp.from(to))
			.query(Passage.class)
			.list();
		int found = own.size();
		for (Passage p : own) {
			found += this.jdbc.sql("""
					select resident_id from gate_scan where checkpoint_id = :c and scanned_at between :f and :t""")
				.param("c", p.checkpointId())
				.param("f", Timestamp.from(p.scannedAt().toInstant().minusSeconds(600)))
				.param("t", Timestamp.from(p.scannedAt().toInstant().plusSeconds(600)))
				.query(Long.class)
				.list()
				.size();
		}
		found += this.jdbc.sql("select id from resident where household_id = :h")
			.param("h", household)
			.query(Long.class)
			.list()
			.size();
		String building = this.jdbc
			.sql("""
					select b.path from resident r join division_node u on u.id = r.node_id join division_node b on b.id = u.parent_id
					where r.id = :r""")
			.param("r", subject)
			.query(String.class)
			.single();
		found += this.jdbc.sql("select id from resident where resident.path ~>=~ :f and resident.path ~<~ :t")
			.param("f", building)
			.param("t", building.substring(0, building.length() - 1) + '0')
			.query(Long.class)
			.list()
			.size();
		found += this.jdbc.sql("""
				select o.resident_id from sample s join sample o on o.tube_id = s.tube_id where s.resident_id = :r""")
			.param("r", subject)
			.query(Long.class)
			.list()
			.size();
		return found;
	}

}
