package org.fangxian.testing.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.shared.IdNumber;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * Benchmark, not a test (surefire's default run excludes it): a district of
 * {@code bench.rows} residents (default 1,000,000: 10 streets × 7 communities × 15
 * buildings × 4 units), a round over the whole district, then
 * <ol>
 * <li>opening the round (population snapshot);</li>
 * <li>swabs recorded per second through the HTTP API, one sampler, 10 per tube, tube
 * closed when full;</li>
 * <li>a lab file with one row per closed tube (≈ rows / 10) imported, then imported again
 * (all unchanged);</li>
 * <li>coverage of the whole district and of one community (p50 / p99), with and without
 * breakdown, the missing list of a community, and the gate's overdue check.</li>
 * </ol>
 * Residents are written with SQL (the registry's import is benchmarked in
 * RegistryBenchmark); 95 % of the expected are put into closed tubes with SQL too, so the
 * coverage queries run on a round in full swing.
 *
 * <pre>
 * mvn -o test -Dtest=TestingBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.rows=1000000
 * </pre> Results to stdout and {@code target/bench/testing-benchmark.md}; see
 * {@code docs/benchmarks.md}.
 */
@Tag("benchmark")
class TestingBenchmark extends IntegrationTest {

	@Autowired
	Rounds rounds;

	@Autowired
	Coverage coverage;

	@Autowired
	LabResults results;

	@Autowired
	TestOverdue overdue;

	@Autowired
	PersonalDataProtection protection;

	@Autowired
	NamedParameterJdbcTemplate named;

	final StringBuilder report = new StringBuilder();

	void line(String text) {
		System.out.println("[testing-bench] " + text);
		this.report.append(text).append('\n');
	}

	static double seconds(long nanos) {
		return nanos / 1e9;
	}

	@Test
	void benchmark() throws IOException {
		int rows = Integer.getInteger("bench.rows", 1_000_000);
		int apiSamples = Integer.getInteger("bench.apiSamples", 3000);
		TestData.Tree tree = this.data.tree();
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, tree.district());
		line("# Testing benchmark, " + rows + " residents, " + Instant.now());

		// --- the district
		long t0 = System.nanoTime();
		List<Long> communities = new ArrayList<>();
		List<Long> units = new ArrayList<>();
		for (int s = 1; s <= 10; s++) {
			long street = this.data.node(tree.district().id(), "STREET", uniqueCode(), "街道" + s).id();
			for (int c = 1; c <= 7; c++) {
				long community = this.data.node(street, "COMMUNITY", uniqueCode(), "社区" + s + "-" + c).id();
				communities.add(community);
				long compound = this.data.node(community, "COMPOUND", null, "小区").id();
				for (int b = 1; b <= 15; b++) {
					long building = this.data.node(compound, "BUILDING", null, b + "栋").id();
					for (int u = 1; u <= 4; u++) {
						units.add(this.data.node(building, "UNIT", null, u + "单元").id());
					}
				}
			}
		}
		// 90 % 常住, 5 % 租住, 3 % 外出, 1 % 迁出, 1 % 已故; 2 % under three; 1 % bedridden;
		// residents without ID hash.
		this.jdbc
			.sql("""
					insert into resident (node_id, name, id_type, status, birth_date, tags, phone_masked, address)
					select u.ids[1 + (g % array_length(u.ids, 1))], '居民' || g, 'RESIDENT_ID',
					       case when g % 100 < 90 then 'RESIDENT' when g % 100 < 95 then 'RENTING' when g % 100 < 98 then 'AWAY'
					            when g % 100 < 99 then 'MOVED_OUT' else 'DECEASED' end,
					       case when g % 50 = 7 then current_date - 400 else date '1960-01-01' + (g % 15000) end,
					       case when g % 100 = 3 then array['BEDRIDDEN'] else '{}'::text[] end,
					       '139****' || lpad((g % 10000)::text, 4, '0'), (g % 900 + 101) || '室'
					from generate_series(1, :rows) g, (select cast(string_to_array(:units, ',') as bigint[]) as ids) u""")
			.param("rows", rows)
			.param("units", String.join(",", units.stream().map(String::valueOf).toList()))
			.update();
		this.jdbc.sql("analyze resident").update();
		line("- district built: 70 communities, " + units.size() + " units, " + rows + " residents in "
				+ String.format(Locale.ROOT, "%.1f s", seconds(System.nanoTime() - t0)));

		// --- open the round
		long t1 = System.nanoTime();
		Round round = this.rounds.open(hq, new Rounds.NewRound(tree.district().id(), null, "全区第1轮", 10,
				Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(1, ChronoUnit.DAYS), false, false));
		line(String.format(Locale.ROOT, "- round opened: %d members in %.2f s", round.memberCount(),
				seconds(System.nanoTime() - t1)));
		this.jdbc.sql("analyze round_member").update();

		// --- 95 % of the expected of all communities but the first into closed tubes, by
		// SQL
		String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 4).toUpperCase();
		String apiCommunityPath = this.jdbc.sql("select path from division_node where id = :id")
			.param("id", communities.get(0))
			.query(String.class)
			.single();
		long t2 = System.nanoTime();
		// A plain table (the pool may hand each statement another connection, so no
		// temporary one).
		this.jdbc
			.sql("create table bench_chosen as select resident_id, row_number() over (order by path, resident_id) as n "
					+ "from round_member where round_id = :r and exempt is null and abs(hashtext(resident_id::text)) % 100 >= 5 "
					+ "and path not like :keep")
			.param("r", round.id())
			.param("keep", apiCommunityPath + "%")
			.update();
		long chosen = this.jdbc.sql("select count(*) from bench_chosen").query(Long.class).single();
		// bench.tubes closed tubes (the issue's 100,000), the chosen spread evenly over
		// them: 8 to 10 people
		// each, as a site's last tubes of a shift are not full either.
		long tubes = Math.min(chosen, Long.getLong("bench.tubes", 100_000));
		if ((chosen + tubes - 1) / tubes > 10) {
			tubes = (chosen + 9) / 10;
		}
		this.jdbc.sql("""
				insert into tube (round_id, barcode, capacity, sample_count, status, opened_by, closed_by, closed_at)
				select :r, :tag || lpad(g::text, 8, '0'), 10, 0, 'CLOSED', 0, 0, now() from generate_series(1, :n) g""")
			.param("r", round.id())
			.param("tag", "B" + tag)
			.param("n", tubes)
			.update();
		this.jdbc.sql("""
				insert into sample (round_id, tube_id, resident_id, tube_open, taken_by)
				select :r, t.id, c.resident_id, false, 0 from bench_chosen c
				join tube t on t.barcode = :tag || lpad(((c.n - 1) * :tubes / :chosen + 1)::text, 8, '0')""")
			.param("r", round.id())
			.param("tag", "B" + tag)
			.param("tubes", tubes)
			.param("chosen", chosen)
			.update();
		this.jdbc.sql(
				"update tube t set sample_count = s.n from (select tube_id, count(*) n from sample where round_id = :r group by 1) s where s.tube_id = t.id")
			.param("r", round.id())
			.update();
		this.jdbc.sql(
				"update round_member m set state = 'PENDING' from bench_chosen c where m.round_id = :r and m.resident_id = c.resident_id")
			.param("r", round.id())
			.update();
		this.jdbc.sql("drop table bench_chosen").update();
		this.jdbc.sql("vacuum analyze round_member").update();
		this.jdbc.sql("vacuum analyze sample").update();
		this.jdbc.sql("vacuum analyze tube").update();
		line(String.format(Locale.ROOT, "- fixture: %d swabs in %d closed tubes written by SQL in %.1f s", chosen,
				tubes, seconds(System.nanoTime() - t2)));

		// --- swabs through the HTTP API
		List<Long> targets = this.jdbc
			.sql("""
					select resident_id from round_member where round_id = :r and path like :p and exempt is null order by resident_id limit :n""")
			.param("r", round.id())
			.param("p", apiCommunityPath + "%")
			.param("n", apiSamples)
			.query(Long.class)
			.list();
		List<String> idNumbers = new ArrayList<>();
		List<MapSqlParameterSource> hashes = new ArrayList<>();
		for (long id : targets) {
			// Distinct by construction: day from the index, sequence number from the
			// index.
			String first17 = "110105"
					+ java.time.LocalDate.of(1960, 1, 1).plusDays(idNumbers.size() / 1000).toString().replace("-", "")
					+ String.format("%03d", idNumbers.size() % 1000);
			String number = first17 + IdNumber.checkChar(first17);
			idNumbers.add(number);
			hashes.add(new MapSqlParameterSource("id", id).addValue("hash",
					this.protection.lookupHash("RESIDENT_ID:" + number)));
		}
		this.named.batchUpdate("update resident set id_hash = :hash where id = :id",
				hashes.toArray(MapSqlParameterSource[]::new));
		String sampler = this.data.account(Role.SAMPLER,
				new TestData.NodeRef(communities.get(0), null, apiCommunityPath, ""));
		RestClient http = RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + this.data.token(baseUrl(), sampler))
			.build();
		// Baseline in the same run: one client's single-row INSERTs (autocommit) through
		// the same pool.
		this.jdbc.sql(
				"create table bench_raw_swab (id bigserial primary key, tube varchar(32), resident_id bigint, taken_at timestamptz default now())")
			.update();
		long tRaw = System.nanoTime();
		for (int i = 0; i < idNumbers.size(); i++) {
			this.jdbc.sql("insert into bench_raw_swab (tube, resident_id) values (:t, :r)")
				.param("t", "R" + i / 10)
				.param("r", targets.get(i))
				.update();
		}
		double rawSwabRate = idNumbers.size() / seconds(System.nanoTime() - tRaw);
		this.jdbc.sql("drop table bench_raw_swab").update();
		long[] latencies = new long[idNumbers.size()];
		long t3 = System.nanoTime();
		for (int i = 0; i < idNumbers.size(); i++) {
			String barcode = "A" + tag + String.format("%08d", i / 10);
			long s = System.nanoTime();
			http.post()
				.uri("/api/v1/testing/rounds/{r}/tubes/{b}/samples", round.id(), barcode)
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("idNumber", idNumbers.get(i)))
				.retrieve()
				.toBodilessEntity();
			latencies[i] = System.nanoTime() - s;
			if (i % 10 == 9 || i == idNumbers.size() - 1) {
				http.post()
					.uri("/api/v1/testing/rounds/{r}/tubes/{b}/close", round.id(), barcode)
					.retrieve()
					.toBodilessEntity();
			}
		}
		double apiSeconds = seconds(System.nanoTime() - t3);
		line(String.format(Locale.ROOT,
				"- API: %d swabs (+%d tube closes) in %.1f s = %.0f swabs/s, one client; per swab p50 %.1f ms, p99 %.1f ms",
				idNumbers.size(), (idNumbers.size() + 9) / 10, apiSeconds, idNumbers.size() / apiSeconds,
				percentile(latencies, 50), percentile(latencies, 99)));
		line(String.format(Locale.ROOT,
				"  baseline: raw single-row INSERT, one client: %.0f rows/s; API swabs ÷ raw = %.3f", rawSwabRate,
				idNumbers.size() / apiSeconds / rawSwabRate));

		// --- lab import: every closed tube of the SQL fixture
		StringBuilder csv = new StringBuilder("试管条码,结果,时间\n");
		for (long g = 1; g <= tubes; g++) {
			String result = g % 1000 == 1 ? "阳性" : g % 200 == 2 ? "无效" : "阴性";
			csv.append("B")
				.append(tag)
				.append(String.format("%08d", g))
				.append(',')
				.append(result)
				.append(",2022-04-12 10:00\n");
		}
		byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
		// Baseline in the same run: the bare write of the results, a batched UPDATE by
		// barcode (1,000 a
		// batch) of a copy of the tubes, without parsing, checks, tracing or the people's
		// states.
		this.jdbc
			.sql("create table bench_raw_tube as select id, barcode, result, result_at from tube where round_id = :r")
			.param("r", round.id())
			.update();
		this.jdbc.sql("create unique index on bench_raw_tube (barcode)").update();
		List<MapSqlParameterSource> rawResults = new ArrayList<>();
		for (long g = 1; g <= tubes; g++) {
			rawResults.add(new MapSqlParameterSource("b", "B" + tag + String.format("%08d", g)).addValue("res",
					g % 1000 == 1 ? "POSITIVE" : g % 200 == 2 ? "INVALID" : "NEGATIVE"));
		}
		long tRawImport = System.nanoTime();
		for (int from = 0; from < rawResults.size(); from += 1000) {
			this.named.batchUpdate("update bench_raw_tube set result = :res, result_at = now() where barcode = :b",
					rawResults.subList(from, Math.min(rawResults.size(), from + 1000))
						.toArray(MapSqlParameterSource[]::new));
		}
		double rawImportSeconds = seconds(System.nanoTime() - tRawImport);
		this.jdbc.sql("drop table bench_raw_tube").update();
		long t4 = System.nanoTime();
		LabResults.Report first = this.results.importFile(hq, "lab.csv", file);
		double firstSeconds = seconds(System.nanoTime() - t4);
		long t5 = System.nanoTime();
		LabResults.Report again = this.results.importFile(hq, "lab.csv", file);
		double againSeconds = seconds(System.nanoTime() - t5);
		line(String.format(Locale.ROOT,
				"- lab import of %d tube results: %.1f s (%d accepted, %d positive tubes traced); "
						+ "again: %.1f s (%d unchanged, %d accepted)",
				tubes, firstSeconds, first.accepted(), first.positiveTubes().size(), againSeconds, again.unchanged(),
				again.accepted()));
		line(String.format(Locale.ROOT,
				"  baseline: raw batched UPDATE of %d tubes by barcode: %.1f s; import ÷ raw (speed) = %.2f", tubes,
				rawImportSeconds, rawImportSeconds / firstSeconds));
		this.jdbc.sql("vacuum analyze round_member").update();

		// --- coverage
		String district = String.valueOf(tree.district().id());
		String community = String.valueOf(communities.get(33));
		measure("coverage, whole district (counts)", 30, () -> this.coverage.report(hq, round.id(), district, false));
		measure("coverage, whole district (counts + by street)", 30,
				() -> this.coverage.report(hq, round.id(), district, true));
		String communityPath = this.jdbc.sql("select path from division_node where id = :id")
			.param("id", communities.get(33))
			.query(String.class)
			.single();
		// The same range the application uses (a generic plan can index it; see
		// Node.subtreeEnd).
		String districtPath = tree.district().path();
		String districtEnd = districtPath.substring(0, districtPath.length() - 1) + '0';
		String communityEnd = communityPath.substring(0, communityPath.length() - 1) + '0';
		measure("baseline: bare count(*) of the district's members (SQL)", 30,
				() -> this.jdbc
					.sql("select count(*) from round_member where round_id = :r and path ~>=~ :from and path ~<~ :to")
					.param("r", round.id())
					.param("from", districtPath)
					.param("to", districtEnd)
					.query(Long.class)
					.single());
		measure("baseline: bare count(*) of one community's members (SQL)", 300,
				() -> this.jdbc
					.sql("select count(*) from round_member where round_id = :r and path ~>=~ :from and path ~<~ :to")
					.param("r", round.id())
					.param("from", communityPath)
					.param("to", communityEnd)
					.query(Long.class)
					.single());
		measure("coverage, one community (counts)", 300, () -> this.coverage.report(hq, round.id(), community, false));
		measure("coverage, one community (counts + by unit)", 300,
				() -> this.coverage.report(hq, round.id(), community, true));
		measure("missing list, one community", 100, () -> this.coverage.missing(hq, round.id(), community, false));
		measure("progress by hour, one community", 100, () -> this.coverage.timeline(hq, round.id(), community));
		measure("progress by hour, whole district", 10, () -> this.coverage.timeline(hq, round.id(), district));
		Coverage.Report whole = this.coverage.report(hq, round.id(), district, false);
		line("  district: expected " + whole.expected() + ", sampled " + whole.sampled() + ", pending "
				+ whole.pending() + ", negative " + whole.negative() + ", positive " + whole.positive() + ", exempt "
				+ whole.exempt() + ", missing " + whole.missing());
		List<Long> probe = this.jdbc
			.sql("select resident_id from round_member where round_id = :r order by resident_id limit 1000")
			.param("r", round.id())
			.query(Long.class)
			.list();
		int[] i = { 0 };
		measure("gate overdue check (EntryRestriction)", 1000, () -> this.overdue
			.check(probe.get(i[0]++ % probe.size()), org.fangxian.checkpoint.Direction.IN, Instant.now()));
		this.jdbc.sql(
				"explain (analyze, buffers) select count(*) from round_member m where m.round_id = :r and m.path like :p")
			.param("r", round.id())
			.param("p", tree.district().path() + "%")
			.query(String.class)
			.list()
			.forEach(plan -> line("    " + plan));

		Files.createDirectories(Path.of("target", "bench"));
		Files.writeString(Path.of("target", "bench", "testing-benchmark.md"), this.report.toString());
	}

	private void measure(String what, int times, Supplier<?> call) {
		for (int w = 0; w < Math.min(10, times / 5 + 1); w++) {
			call.get();
		}
		long[] nanos = new long[times];
		for (int k = 0; k < times; k++) {
			long s = System.nanoTime();
			call.get();
			nanos[k] = System.nanoTime() - s;
		}
		line(String.format(Locale.ROOT, "- %s: p50 %.2f ms, p99 %.2f ms (%d runs)", what, percentile(nanos, 50),
				percentile(nanos, 99), times));
	}

	static double percentile(long[] nanos, int p) {
		long[] sorted = Arrays.copyOf(nanos, nanos.length);
		Arrays.sort(sorted);
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

}
