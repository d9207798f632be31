package org.fangxian.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.ResidentDirectory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Benchmark, not a test (excluded from surefire): people inside 1,000 sealed buildings of
 * a district of {@code bench.residents} residents (default 1,000,000), as the dashboard
 * asks for them ({@link ResidentDirectory#countLivingWithin(java.util.Collection)}), from
 * the read model of living residents per node (V107) against the direct count over the
 * residents that it replaced, measured in the same run, interleaved.
 *
 * <p>
 * Then what the read model costs the roster import: {@code bench.importRows} rows
 * (default 50,000) written as {@code ResidentRecords.insertAll} writes them (batches of
 * 1,000 through the application's pool, reWriteBatchedInserts), with the insert trigger
 * on and off (disabled inside the block's transaction), A/B/A/B, each block rolled back.
 * Run:
 * {@code mvn -o test -Dtest=SealedPeopleBenchmark -Dbench.residents=1000000 -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SealedPeopleBenchmark extends IntegrationTest {

	private static final int RESIDENTS = Integer.getInteger("bench.residents", 1_000_000);

	private static final int RUNS = Integer.getInteger("bench.runs", 50);

	private static final int IMPORT_ROWS = Integer.getInteger("bench.importRows", 50_000);

	private static final int IMPORT_BLOCKS = Integer.getInteger("bench.importBlocks", 3);

	/** The count countLivingWithin made before V107, kept here as the baseline. */
	private static final String DIRECT = """
			select p.path, (select count(*) from resident r where r.path ~>=~ p.path
			                  and r.path ~<~ (left(p.path, -1) || '0') and r.status in ('RESIDENT', 'RENTING')) as living
			from unnest(string_to_array(:paths, ',')) as p(path)""";

	@Autowired
	ResidentDirectory directory;

	@Autowired
	JdbcTemplate template;

	@Autowired
	TransactionTemplate transactions;

	private static void log(String format, Object... args) {
		System.out.printf("[sealed-people-bench] " + format + "%n", args);
	}

	@Test
	void peopleInsideAThousandSealedBuildings() {
		long started = System.nanoTime();
		String tag = Long.toString(System.nanoTime(), 36);
		TestData.NodeRef district = this.data.node(null, "DISTRICT", uniqueCode(), "封控基准区" + tag);
		this.jdbc
			.sql("""
					insert into division_node (parent_id, kind, name) select :d, 'STREET', '街道' || s from generate_series(1, 20) s""")
			.param("d", district.id())
			.update();
		String path = district.path();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select s.id, 'COMMUNITY', '社区' || c from division_node s cross join generate_series(1, 10) c
				where s.parent_id = :d""").param("d", district.id()).update();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select c.id, 'BUILDING', b || '栋' from division_node c cross join generate_series(1, 5) b
				where c.kind = 'COMMUNITY' and c.path like :p""").param("p", path + "%").update();
		this.jdbc.sql("""
				insert into division_node (parent_id, kind, name)
				select b.id, 'UNIT', u || '单元' from division_node b cross join generate_series(1, 2) u
				where b.kind = 'BUILDING' and b.path like :p""").param("p", path + "%").update();
		int perUnit = RESIDENTS / 2000;
		long t = System.nanoTime();
		this.jdbc.sql("""
				insert into resident (node_id, path, name, id_type, status)
				select u.id, '', '居民', 'RESIDENT_ID_CARD',
				       case when i % 50 = 0 then 'AWAY' when i % 97 = 0 then 'MOVED_OUT' else 'RESIDENT' end
				from division_node u cross join generate_series(1, :n) i where u.kind = 'UNIT' and u.path like :p""")
			.param("n", perUnit)
			.param("p", path + "%")
			.update();
		log("tree and %,d residents in %.1f s (the insert, with its one statement trigger, %.1f s)", perUnit * 2000,
				(System.nanoTime() - started) / 1e9, (System.nanoTime() - t) / 1e9);
		this.jdbc.sql("analyze resident").update();
		this.jdbc.sql("analyze resident_living_count").update();

		List<String> buildings = this.jdbc
			.sql("select path from division_node where kind = 'BUILDING' and path like :p")
			.param("p", path + "%")
			.query(String.class)
			.list();
		assertThat(buildings).hasSize(1000);
		String joined = String.join(",", buildings);
		Map<String, Long> fromModel = this.directory.countLivingWithin(buildings);
		Map<String, Long> direct = new java.util.HashMap<>();
		this.jdbc.sql(DIRECT).param("paths", joined).query((java.sql.ResultSet rs) -> {
			direct.put(rs.getString("path"), rs.getLong("living"));
		});
		assertThat(fromModel).isEqualTo(direct);
		long living = fromModel.values().stream().mapToLong(Long::longValue).sum();
		log("%,d living in the 1,000 buildings", living);

		StringBuilder report = new StringBuilder("| what | runs | p50 ms | p99 ms | max ms |\n|---|--:|--:|--:|--:|\n");
		double[][] times = interleaved(() -> this.jdbc.sql(DIRECT).param("paths", joined).query().listOfRows(),
				() -> this.directory.countLivingWithin(buildings));
		report.append(row("direct count over the residents (baseline, before V107)", times[0]));
		report.append(row("countLivingWithin(1,000 paths), read model", times[1]));
		report.append(String.format("ratio of p50: %.4f%n", median(times[1]) / median(times[0])));
		report.append(explain(joined));

		report.append(importCost(path));
		log("results%n%s", report);
	}

	/** Runs a and b in turn, after unmeasured warm-up runs of each. */
	private static double[][] interleaved(Supplier<Object> a, Supplier<Object> b) {
		for (int i = 0; i < 5; i++) {
			a.get();
			b.get();
		}
		double[][] ms = new double[2][RUNS];
		for (int i = 0; i < RUNS; i++) {
			long t = System.nanoTime();
			a.get();
			ms[0][i] = (System.nanoTime() - t) / 1e6;
			t = System.nanoTime();
			b.get();
			ms[1][i] = (System.nanoTime() - t) / 1e6;
		}
		return ms;
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static String row(String what, double[] values) {
		double[] ms = values.clone();
		Arrays.sort(ms);
		int n = ms.length;
		return String.format("| %s | %d | %.2f | %.2f | %.2f |%n", what, n, ms[n / 2],
				ms[(int) Math.ceil(n * 0.99) - 1], ms[n - 1]);
	}

	private String explain(String joined) {
		List<String> plan = this.jdbc.sql("explain (analyze, buffers) " + DIRECT.replace(":paths", "'" + joined + "'"))
			.query(String.class)
			.list();
		List<String> model = this.jdbc
			.sql("explain (analyze, buffers) select p.path, "
					+ "(select coalesce(sum(c.living), 0) from resident_living_count c where c.path ~>=~ p.path "
					+ "and c.path ~<~ (left(p.path, -1) || '0')) from unnest(string_to_array('" + joined
					+ "', ',')) as p(path)")
			.query(String.class)
			.list();
		return "\ndirect:\n" + String.join("\n", plan) + "\n\nread model:\n" + String.join("\n", model) + "\n";
	}

	/**
	 * The import's insert with the read model's trigger on (B) and off (A), each block in
	 * a transaction rolled back at its end, so the table and the read model stay as they
	 * were.
	 */
	private String importCost(String districtPath) {
		List<Long> units = this.jdbc
			.sql("select id from division_node where kind = 'UNIT' and path like :p order by id limit 50")
			.param("p", districtPath + "%")
			.query(Long.class)
			.list();
		StringBuilder out = new StringBuilder(
				"\n| import insert, " + IMPORT_ROWS + " rows | trigger | s | rows/s |\n|---|---|--:|--:|\n");
		List<Double> off = new ArrayList<>();
		List<Double> on = new ArrayList<>();
		for (int block = 0; block < IMPORT_BLOCKS * 2; block++) {
			boolean trigger = block % 2 == 1;
			double seconds = this.transactions.execute(status -> {
				if (!trigger) {
					this.jdbc.sql("alter table resident disable trigger resident_living_counted_insert").update();
				}
				long t = System.nanoTime();
				List<Object[]> rows = new ArrayList<>(1000);
				for (int i = 0; i < IMPORT_ROWS; i++) {
					rows.add(new Object[] { units.get((int) ((long) i * units.size() / IMPORT_ROWS)), "导入" + i,
							i % 50 == 0 ? "AWAY" : "RESIDENT" });
					if (rows.size() == 1000 || i == IMPORT_ROWS - 1) {
						this.template.batchUpdate(
								"insert into resident (node_id, name, id_type, status) values (?, ?, 'RESIDENT_ID_CARD', ?)",
								rows);
						rows.clear();
					}
				}
				double s = (System.nanoTime() - t) / 1e9;
				status.setRollbackOnly();
				return s;
			});
			(trigger ? on : off).add(seconds);
			out.append(String.format("| block %d | %s | %.2f | %,.0f |%n", block + 1, trigger ? "on" : "off", seconds,
					IMPORT_ROWS / seconds));
		}
		double offSum = off.stream().mapToDouble(Double::doubleValue).sum();
		double onSum = on.stream().mapToDouble(Double::doubleValue).sum();
		out.append(String.format("on/off, summed over the blocks: %.3f%n", onSum / offSum));
		return out.toString();
	}

}
