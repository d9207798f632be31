package org.fangxian.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.fangxian.IntegrationTest;
import org.fangxian.checkpoint.internal.GateScans;
import org.fangxian.registry.Node;
import org.fangxian.registry.ResidentService;
import org.fangxian.registry.internal.ResidentRecords;
import org.fangxian.reporting.internal.Dashboards;
import org.fangxian.reporting.internal.PersonalDataPurges;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.testing.internal.Coverage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Benchmark, not a test (excluded from surefire): issue 17's city on one PostgreSQL.
 * Builds {@code bench.districts} districts (10) of {@code bench.residentsPerDistrict}
 * residents (1,000,000) each with {@link BenchDistrict} (set-based SQL: the roster import
 * would take ~40 minutes a district), each with {@code bench.scansPerDistrict} gate scans
 * (1,000,000) over today and yesterday; the first district also gets a testing round of
 * all its residents. After the first district and again at each size in
 * {@code bench.measureAt} (1,3,10 districts) it measures the first district's hot paths
 * the same way: the registry's searches, its dashboard today and yesterday, the round's
 * coverage, a burst of gate scans through the service, the personal-data purge, VACUUM
 * ANALYZE, table and index sizes and the buffer hit ratio of each path. The district is
 * the unit of work (docs/scaling.md: the district is Citus' distribution column), so a
 * district's path at 10 districts against the same path at 1 is what one PostgreSQL pays
 * for holding the whole city; anything above 1.0 is a path that does not stay inside its
 * district.
 *
 * <pre>
 * nice -n 15 mvn -o test -Dtest=CitySimulation -Dsurefire.failIfNoSpecifiedTests=false -Dbench.stopAt=19:50
 * </pre>
 *
 * {@code bench.stopAt} (UTC, HH:mm): no district is started that would not be done and
 * measured by then; the last size built is measured instead. Building stops too when the
 * database folder passes {@code bench.diskGb} (35). The database lives in
 * {@code target/city-db}; delete it after the run.
 */
@Tag("benchmark")
@TestPropertySource(
		properties = { "fangxian.embedded-db.data-dir=target/city-db", "fangxian.data-dir=target/city-data" })
class CitySimulation extends IntegrationTest {

	private static final int DISTRICTS = Integer.getInteger("bench.districts", 10);

	private static final int PER_DISTRICT = Integer.getInteger("bench.residentsPerDistrict", 1_000_000);

	private static final long SCANS = Long.getLong("bench.scansPerDistrict", 1_000_000);

	private static final Set<Integer> MEASURE_AT = Arrays
		.stream(System.getProperty("bench.measureAt", "1,3,10").split(","))
		.map(String::trim)
		.map(Integer::valueOf)
		.collect(Collectors.toSet());

	private static final int RUNS = Integer.getInteger("bench.runs", 100);

	private static final int BURST = Integer.getInteger("bench.burst", 1000);

	private static final double DISK_GB = Double.parseDouble(System.getProperty("bench.diskGb", "35"));

	private static final String STOP_AT = System.getProperty("bench.stopAt");

	private static final Path DB = Path.of("target", "city-db");

	@Autowired
	ResidentService residents;

	@Autowired
	Dashboards dashboards;

	@Autowired
	Coverage coverage;

	@Autowired
	GateScans gateScans;

	@Autowired
	PersonalDataPurges purges;

	@Autowired
	PersonalDataProtection protection;

	@Autowired
	ResidentRecords records;

	/** Path → size (districts) → figures. */
	private final Map<String, Map<Integer, String>> table = new LinkedHashMap<>();

	/** Path → size → p99 ms (or seconds for the one-off jobs), for the ratios. */
	private final Map<String, Map<Integer, Double>> p99 = new LinkedHashMap<>();

	private final StringBuilder log = new StringBuilder();

	private static void say(String format, Object... args) {
		System.out.printf(Locale.ROOT, "[city] " + format + "%n", args);
	}

	@Test
	@Timeout(value = 150, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void tenMillionResidents() throws Exception {
		Instant stop = STOP_AT == null ? Instant.MAX
				: LocalDate.now(ZoneOffset.UTC).atTime(LocalTime.parse(STOP_AT)).toInstant(ZoneOffset.UTC);
		Instant now = Instant.now();
		note("start %s UTC, load %s, shared_buffers %s, work_mem %s, effective_cache_size %s", now, load(),
				setting("shared_buffers"), setting("work_mem"), setting("effective_cache_size"));

		long t = System.nanoTime();
		BenchDistrict.Built first = BenchDistrict.build(this.jdbc, this.data, "一区", PER_DISTRICT, true, this.protection,
				200);
		note("district 1: %,d residents, households, 200 gates in %.0f s", first.residents(), seconds(t));
		t = System.nanoTime();
		BenchDistrict.scans(this.jdbc, first.path(), SCANS, now, 2 * 86_400);
		note("district 1: %,d gate scans over two days and their counters in %.0f s", SCANS, seconds(t));
		t = System.nanoTime();
		long round = round(first, now);
		note("district 1: a round of its residents through the counting trigger in %.0f s", seconds(t));

		CurrentUser hq = this.data.user(Role.HQ_ADMIN, first.node());
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, first.node());
		Node node = this.dashboards.node(hq, first.node().code());
		List<Long> gates = this.jdbc.sql("select id from checkpoint where path like :p order by id")
			.param("p", first.pattern())
			.query(Long.class)
			.list();
		List<String> twoChars = this.jdbc.sql("""
				select distinct substr(name, 1, 2) from resident where id in (:ids)""")
			.param("ids", first.probes().stream().map(BenchDistrict.Probe::residentId).toList())
			.query(String.class)
			.list();
		List<String> addresses = this.jdbc.sql("""
				select distinct substr(address, 1, strpos(address, '栋')) from resident where id in (:ids)""")
			.param("ids", first.probes().stream().map(BenchDistrict.Probe::residentId).toList())
			.query(String.class)
			.list();
		List<Long> buildings = this.jdbc.sql("""
				select distinct u.parent_id from division_node u where u.id in (:ids)""")
			.param("ids", first.probes().stream().map(BenchDistrict.Probe::unitId).toList())
			.query(Long.class)
			.list();
		Paths paths = new Paths(hq, guard, node, first, round, gates, twoChars, addresses, buildings);

		double lastDistrict = 0;
		double lastMeasure = 0;
		int built = 1;
		while (true) {
			if (MEASURE_AT.contains(built) || built == DISTRICTS) {
				long m = System.nanoTime();
				measure(built, paths);
				lastMeasure = seconds(m);
				write();
			}
			if (built == DISTRICTS) {
				break;
			}
			double gb = gigabytes(DB);
			Instant done = Instant.now().plusSeconds((long) (lastDistrict + lastMeasure + 60));
			if (lastDistrict > 0 && done.isAfter(stop) || gb > DISK_GB) {
				note("stopped at %d districts: %.1f GB on disk, a next district and measurement would end at %s", built,
						gb, done);
				if (!MEASURE_AT.contains(built)) {
					measure(built, paths);
				}
				break;
			}
			t = System.nanoTime();
			BenchDistrict.Built next = BenchDistrict.build(this.jdbc, this.data, "区" + (built + 1), PER_DISTRICT, true,
					this.protection, 0);
			BenchDistrict.scans(this.jdbc, next.path(), SCANS, now, 2 * 86_400);
			built++;
			lastDistrict = seconds(t);
			note("district %d: %,d residents and %,d scans in %.0f s; database folder %.1f GB, load %s", built,
					next.residents(), SCANS, lastDistrict, gigabytes(DB), load());
			if (lastDistrict > 0 && Instant.now().plusSeconds((long) lastMeasure).isAfter(stop)
					&& !MEASURE_AT.contains(built)) {
				measure(built, paths);
				write();
				break;
			}
		}
		write();
		System.out.println(Files.readString(Path.of("target", "bench", "city-simulation.md")));
	}

	/** The round as the dashboard benchmark writes it: every resident, a third tested. */
	private long round(BenchDistrict.Built district, Instant now) {
		long round = this.jdbc.sql("""
				insert into testing_round (node_id, path, name, pool_size, starts_at, ends_at, created_by)
				values (:d, :p, '全员第1轮', 10, :from, :to, 0) returning id""")
			.param("d", district.node().id())
			.param("p", district.path())
			.param("from", Timestamp.from(now.minusSeconds(6 * 3600)))
			.param("to", Timestamp.from(now.plusSeconds(2 * 86400)))
			.query(Long.class)
			.single();
		this.jdbc
			.sql("""
					insert into round_member (round_id, resident_id, node_id, path, exempt)
					select :r, id, node_id, path, case when status = 'AWAY' then 'AWAY' end from resident where path like :p""")
			.param("r", round)
			.param("p", district.pattern())
			.update();
		this.jdbc
			.sql("update round_member set state = case when resident_id % 1000 = 0 then 'POSITIVE' else 'NEGATIVE' end "
					+ "where round_id = :r and resident_id % 3 = 0")
			.param("r", round)
			.update();
		return round;
	}

	private record Paths(CurrentUser hq, CurrentUser guard, Node node, BenchDistrict.Built first, long round,
			List<Long> gates, List<String> twoChars, List<String> addresses, List<Long> buildings) {
	}

	private int burstSerial;

	private void measure(int districts, Paths p) {
		note("measuring at %d districts (%,d residents), load %s", districts, (long) districts * PER_DISTRICT, load());
		long t = System.nanoTime();
		this.jdbc.sql("vacuum analyze resident").update();
		once("VACUUM ANALYZE resident", districts, seconds(t));
		t = System.nanoTime();
		this.jdbc.sql("vacuum analyze household").update();
		once("VACUUM ANALYZE household", districts, seconds(t));
		t = System.nanoTime();
		this.jdbc.sql("vacuum analyze gate_scan").update();
		once("VACUUM ANALYZE gate_scan (all partitions)", districts, seconds(t));
		t = System.nanoTime();
		this.jdbc.sql("analyze").update();
		once("ANALYZE, whole database", districts, seconds(t));

		List<BenchDistrict.Probe> probes = p.first().probes();
		LocalDate today = ChinaStandardTime.today(java.time.Clock.systemUTC());
		timed("search: ID number, exact", districts, RUNS,
				i -> this.residents.search(p.hq(), p.node().id(), probes.get(i % probes.size()).idNumber(), null, 20)
					.residents()
					.size());
		timed("search: phone, exact", districts, RUNS,
				i -> this.residents.search(p.hq(), p.node().id(), probes.get(i % probes.size()).phone(), null, 20)
					.residents()
					.size());
		timed("search: phone, last four digits", districts, RUNS, i -> {
			String phone = probes.get(i % probes.size()).phone();
			return this.residents.search(p.hq(), p.node().id(), "尾号" + phone.substring(phone.length() - 4), null, 20)
				.residents()
				.size();
		});
		timed("search: name, 2 characters", districts, RUNS,
				i -> this.residents.search(p.hq(), p.node().id(), p.twoChars().get(i % p.twoChars().size()), null, 20)
					.residents()
					.size());
		timed("search: address (community + building)", districts, RUNS,
				i -> this.residents.search(p.hq(), p.node().id(), p.addresses().get(i % p.addresses().size()), null, 20)
					.residents()
					.size());
		// The address search's plan: the statement ResidentRecords.page sends (its own
		// text, not a copy that drifts), the first and every one that took more than 20
		// ms.
		List<Long> firstDistrict = this.records.districtsUnder(p.first().pattern());
		for (String address : p.addresses()) {
			ResidentRecords.Statement search = this.records
				.pageStatement(new ResidentRecords.Criteria(p.first().pattern(), firstDistrict, true, false, address,
						null, null, null, false, null, null), null, 21);
			List<String> plan = this.jdbc.sql("explain (analyze, buffers) " + search.sql())
				.params(search.args())
				.query(String.class)
				.list();
			double ms = Double.parseDouble(plan.get(plan.size() - 1).replaceAll("[^0-9.]", ""));
			if (address.equals(p.addresses().get(0)) || ms > 20) {
				say("%d districts | plan of the address search for %s:%n%s", districts, address,
						String.join("\n", plan));
			}
		}
		timed("search: a building's first page", districts, RUNS,
				i -> this.residents.search(p.hq(), p.buildings().get(i % p.buildings().size()), "", null, 20)
					.residents()
					.size());
		// The page's statement alone (what ResidentRecords.page sends): a slow page
		// told apart from the rest of the search (scope, audit). The plans of the
		// first and of any over 20 ms are printed.
		List<ResidentRecords.Statement> buildingPages = new ArrayList<>();
		for (long building : p.buildings()) {
			String scope = this.jdbc.sql("select path from division_node where id = :id")
				.param("id", building)
				.query(String.class)
				.single() + "%";
			buildingPages
				.add(this.records.pageStatement(new ResidentRecords.Criteria(scope, this.records.districtsUnder(scope),
						false, true, null, null, null, null, false, null, null), null, 21));
		}
		timed("search: a building's first page, its statement alone", districts, RUNS, i -> {
			ResidentRecords.Statement s = buildingPages.get(i % buildingPages.size());
			return this.jdbc.sql(s.sql()).params(s.args()).query().listOfRows().size();
		});
		for (int i = 0; i < buildingPages.size(); i++) {
			ResidentRecords.Statement s = buildingPages.get(i);
			List<String> plan = this.jdbc.sql("explain (analyze, buffers) " + s.sql())
				.params(s.args())
				.query(String.class)
				.list();
			double ms = Double.parseDouble(plan.get(plan.size() - 1).replaceAll("[^0-9.]", ""));
			if (i == 0 || ms > 20) {
				say("%d districts | plan of a building's first page (%s):%n%s", districts, s.args().get(1),
						String.join("\n", plan));
			}
		}
		timed("dashboard: district, today", districts, RUNS,
				i -> this.dashboards.of(p.hq(), p.node(), today).children().size());
		timed("dashboard: district, yesterday", districts, RUNS,
				i -> this.dashboards.of(p.hq(), p.node(), today.minusDays(1)).children().size());
		timed("testing round: coverage of the district", districts, Math.max(10, RUNS / 5),
				i -> (int) this.coverage.report(p.hq(), p.round(), String.valueOf(p.node().id()), false).expected());
		int serial = ++this.burstSerial;
		long burst = System.nanoTime();
		timed("gate scan burst: one guard, sequential, through GateScans.scan", districts, BURST, i -> {
			BenchDistrict.Probe probe = probes.get(i % probes.size());
			var result = this.gateScans.scan(p.guard(), p.gates().get(i % p.gates().size()), new GateScans.ScanRequest(
					null, probe.idNumber(), i % 2 == 0 ? "IN" : "OUT", null, null, "city-" + serial + "-" + i, null));
			return result.replayed() ? 0 : 1;
		});
		double rate = BURST / seconds(burst);
		row("gate scan burst: scans/s (20 warm-ups included)", districts, String.format(Locale.ROOT, "%.0f /s", rate),
				1000.0 / rate);
		t = System.nanoTime();
		PersonalDataPurges.Result purged = this.purges.purge(p.hq(), p.node(), null);
		once("personal-data purge of the district (nothing due)", districts, seconds(t));
		note("purge: %s", purged.deleted());

		sizes(districts);
		write();
	}

	private void sizes(int districts) {
		String sql = """
				select c.relname, pg_relation_size(c.oid) from pg_class c join pg_namespace n on n.oid = c.relnamespace
				where n.nspname = current_schema() and c.relkind in ('r', 'i')
				  and (c.relname in ('resident', 'household', 'round_member', 'gate_day_count')
				       or c.relname like 'resident\\_%' or c.relname like 'household\\_%')
				order by 2 desc""";
		for (Map.Entry<String, Long> e : this.jdbc.sql(sql)
			.query((rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()) {
			size("size: " + e.getKey(), districts, e.getValue());
		}
		Long scans = this.jdbc
			.sql("""
					select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'gate_scan'::regclass""")
			.query(Long.class)
			.single();
		size("size: gate_scan, all partitions with indexes", districts, scans == null ? 0 : scans);
		size("size: whole database", districts,
				this.jdbc.sql("select pg_database_size(current_database())").query(Long.class).single());
		size("size: database folder on disk (with WAL)", districts, (long) (gigabytes(DB) * (1L << 30)));
	}

	// ---------------------------------------------------------------------------------------------

	private void timed(String what, int districts, int runs, IntFunction<Integer> call) {
		int warm = Math.min(20, runs);
		for (int i = 0; i < warm; i++) {
			call.apply(i + runs);
		}
		long[] before = blocks();
		double[] ms = new double[runs];
		long found = 0;
		for (int i = 0; i < runs; i++) {
			long s = System.nanoTime();
			found += call.apply(i);
			ms[i] = (System.nanoTime() - s) / 1e6;
		}
		long[] after = blocks();
		Arrays.sort(ms);
		long hit = after[0] - before[0];
		long read = after[1] - before[1];
		double p50 = ms[runs / 2];
		double p = ms[(int) Math.ceil(runs * 0.99) - 1];
		row(what, districts,
				String.format(Locale.ROOT, "%.1f / %.1f ms, %s blocks read of %s (%.1f %% hit), %.1f rows", p50, p,
						human(read), human(hit + read), hit + read == 0 ? 100.0 : 100.0 * hit / (hit + read),
						(double) found / runs),
				p);
		if (found == 0) {
			note("WARNING: %s found nothing", what);
		}
	}

	private long[] blocks() {
		return this.jdbc.sql("""
				select blks_hit, blks_read from pg_stat_database where datname = current_database()""")
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
	}

	private void once(String what, int districts, double seconds) {
		row(what, districts, String.format(Locale.ROOT, "%.1f s", seconds), seconds * 1000);
	}

	private void size(String what, int districts, long bytes) {
		row(what, districts, String.format(Locale.ROOT, "%.0f MB", bytes / 1e6), bytes / 1e6);
	}

	private void row(String what, int districts, String figure, double value) {
		this.table.computeIfAbsent(what, k -> new LinkedHashMap<>()).put(districts, figure);
		this.p99.computeIfAbsent(what, k -> new LinkedHashMap<>()).put(districts, value);
		say("%d districts | %s | %s", districts, what, figure);
	}

	private void note(String format, Object... args) {
		String line = String.format(Locale.ROOT, format, args);
		this.log.append("- ").append(line).append('\n');
		say("%s", line);
	}

	private void write() {
		List<Integer> sizes = this.table.values()
			.stream()
			.flatMap(m -> m.keySet().stream())
			.distinct()
			.sorted()
			.toList();
		StringBuilder md = new StringBuilder("# City simulation\n\n");
		md.append("Residents per district: ")
			.append(String.format(Locale.ROOT, "%,d", PER_DISTRICT))
			.append("; gate scans per district: ")
			.append(String.format(Locale.ROOT, "%,d", SCANS))
			.append("; timed paths: p50 / p99 over ")
			.append(RUNS)
			.append(" runs after 20 unmeasured (the burst: ")
			.append(BURST)
			.append(").\n\n| path |");
		sizes.forEach(s -> md.append(' ').append(s).append(" district(s) |"));
		md.append(" ratio last / first (p99, s or MB) |\n|---|");
		sizes.forEach(s -> md.append("---|"));
		md.append("--:|\n");
		this.table.forEach((what, bySize) -> {
			md.append("| ").append(what).append(" |");
			sizes.forEach(s -> md.append(' ').append(bySize.getOrDefault(s, "")).append(" |"));
			Map<Integer, Double> values = this.p99.get(what);
			Double a = values.get(sizes.get(0));
			Double b = values.get(sizes.get(sizes.size() - 1));
			md.append(a == null || b == null || a == 0 || sizes.size() < 2 ? " |"
					: String.format(Locale.ROOT, " %.2f |", b / a));
			md.append('\n');
		});
		md.append("\n## Log\n\n").append(this.log);
		try {
			Path out = Path.of("target", "bench");
			Files.createDirectories(out);
			Files.writeString(out.resolve("city-simulation.md"), md.toString(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String setting(String name) {
		return this.jdbc.sql("select current_setting(:n)").param("n", name).query(String.class).single();
	}

	private static double gigabytes(Path dir) {
		if (!Files.isDirectory(dir)) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(Files::isRegularFile).mapToLong(f -> {
				try {
					return Files.size(f);
				}
				catch (IOException ex) {
					return 0;
				}
			}).sum() / (double) (1L << 30);
		}
		catch (IOException | java.io.UncheckedIOException ex) {
			return -1;
		}
	}

	private static String load() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String human(long blocks) {
		return blocks < 10_000 ? Long.toString(blocks) : String.format(Locale.ROOT, "%,dk", blocks / 1000);
	}

	private static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

}
