package org.fangxian.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.internal.ImportReport;
import org.fangxian.registry.Node;
import org.fangxian.registry.ResidentService;
import org.fangxian.registry.internal.PhoneTails;
import org.fangxian.registry.internal.ResidentRecords;
import org.fangxian.registry.internal.RosterImport;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Benchmark, not a test (surefire's default run excludes it): imports a generated roster
 * of {@code bench.rows} residents (default 1,000,000) through {@link RosterImport},
 * imports it again (all unchanged), then measures {@link ResidentService#search} latency
 * on that table. Every figure comes with a baseline measured in the same run on the same
 * database: plain batched JDBC INSERTs of rows as wide as a resident's, and a plain
 * audited primary-key read. Results go to stdout and
 * {@code target/bench/registry-benchmark.md}; query plans to
 * {@code target/bench/registry-benchmark-plans.txt}. See {@code docs/benchmarks.md}.
 *
 * <pre>
 * mvn -o test -Dtest=RegistryBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.rows=1000000
 * </pre>
 *
 * Options (system properties): {@code bench.rows} (1000000), {@code bench.seed},
 * {@code bench.queries} per kind (500), {@code bench.warmup} per kind (100),
 * {@code bench.durable} (true: fsync, synchronous_commit and full_page_writes on, as in
 * production), {@code bench.indexedBaseline} (true: also time raw INSERTs into a copy
 * with resident's indexes), {@code bench.shuffle} (false: the roster in building order,
 * as communities keep it; true: its rows in a seeded random order, as a file sorted by
 * name or ID number), {@code fangxian.registry.bulk-load-into-empty} (true: the first
 * import into the empty table builds its costly indexes after the rows; false, row by
 * row, for an A/B). Bounded: each query kind stops after {@value #QUERY_SECONDS} s, the
 * whole run after 45 minutes.
 */
@Tag("benchmark")
@TestPropertySource(properties = "fangxian.embedded-db.durable=${bench.durable:true}")
class RegistryBenchmark extends IntegrationTest {

	static final Path OUT = Path.of("target", "bench");

	/**
	 * The importer's batch size ({@code ResidentRecords.insertAll}), used for the
	 * baseline too.
	 */
	static final int BATCH = 1000;

	static final int PAGE_SIZE = 20;

	static final int DEEP_PAGE = 50;

	static final long QUERY_SECONDS = 90;

	static final long WARMUP_SECONDS = 20;

	/**
	 * Searches still to run are skipped after this many minutes (the test itself times
	 * out at 45).
	 */
	static final long SOFT_LIMIT_MINUTES = 38;

	private long deadline;

	@Autowired
	RosterImport rosterImport;

	@Autowired
	PhoneTails phoneTails;

	@Autowired
	ResidentRecords records;

	@Autowired
	ResidentService residents;

	@Autowired
	PersonalDataProtection protection;

	@Autowired
	DataSource dataSource;

	private final int rows = Integer.getInteger("bench.rows", 1_000_000);

	private final long seed = Long.getLong("bench.seed", RosterCsvGenerator.DEFAULT_SEED);

	private final boolean shuffle = Boolean.getBoolean("bench.shuffle");

	private final int queries = Integer.getInteger("bench.queries", 500);

	private final int warmup = Integer.getInteger("bench.warmup", 100);

	private final boolean indexedBaseline = Boolean.parseBoolean(System.getProperty("bench.indexedBaseline", "true"));

	private final Report report = new Report();

	private final StringBuilder plans = new StringBuilder();

	@Test
	@Timeout(value = 45, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void registry() throws Exception {
		Files.createDirectories(OUT);
		this.deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(SOFT_LIMIT_MINUTES);
		machine();

		long start = System.nanoTime();
		Path csv = OUT.resolve("roster-" + this.rows + ".csv");
		RosterCsvGenerator.Result generated = RosterCsvGenerator.generate(csv, this.rows, this.seed);
		if (this.shuffle) {
			shuffleRows(csv, this.seed);
		}
		double seconds = seconds(start);
		this.report.setup("Roster CSV generated", String.format(Locale.ROOT,
				"%,d rows (%,d deliberately invalid, %,d without ID number), %,d households in %d compounds, %.0f MB, %.1f s",
				generated.rows(), generated.invalidRows(), generated.rowsWithoutId(), generated.households(),
				generated.compounds(), Files.size(csv) / 1e6, seconds)
				+ (this.shuffle ? ", rows in a seeded random order" : ", rows in building order"));

		// a. Baselines: the same database, the same row width, the same batch size, one
		// transaction.
		double raw = rawInserts("bench_raw", false);
		this.report.insert("Baseline: raw batched INSERT, no indexes, no triggers", this.rows, raw, null);
		Double indexed = null;
		if (this.indexedBaseline) {
			indexed = rawInserts("bench_indexed", true);
			this.report.insert("Baseline: raw batched INSERT, resident's indexes (and generated bigrams)", this.rows,
					indexed, raw);
		}

		// b. The real import, then the same file again.
		TestData.Tree tree = this.data.tree();
		CurrentUser user = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		Node community = this.rosterImport.community(user, tree.communityA1().id());
		checkpoint();
		long textIndex = textIndexRelation();
		ImportReport first;
		try (ActivitySampler sampler = new ActivitySampler(this.dataSource)) {
			first = timedImport(user, community, csv);
			this.report.profile("first import", sampler.summary());
		}
		double importSeconds = this.lastSeconds;
		this.report.setup("First import's way", textIndexRelation() != textIndex
				? "bulk load: the resident table was empty, its ID, phone-tail and text indexes were built after the rows"
				: "row by row: every index kept up as the rows went in");
		this.report.insert("RosterImport.run, first import (" + counts(first) + ")", this.rows, importSeconds, raw);
		checkpoint();
		ImportReport again;
		try (ActivitySampler sampler = new ActivitySampler(this.dataSource)) {
			again = timedImport(user, community, csv);
			this.report.profile("re-import", sampler.summary());
		}
		this.report.insert("RosterImport.run, same file again (" + counts(again) + ")", this.rows, this.lastSeconds,
				raw);
		if (first.accepted() + first.rejectedCount() + first.duplicates().size() != this.rows || again.accepted() != 0
				|| again.updated() != 0) {
			this.report.note("WARNING: unexpected import counts: " + counts(first) + " / " + counts(again));
		}

		start = System.nanoTime();
		try (Connection c = this.dataSource.getConnection(); Statement s = c.createStatement()) {
			s.execute("vacuum analyze resident");
			s.execute("vacuum analyze household");
			s.execute("analyze division_node");
		}
		this.report.setup("VACUUM ANALYZE after import", String.format(Locale.ROOT, "%.1f s", seconds(start)));
		this.report.setup("Table size after import", size());

		// c. Search latency on the table, against an audited primary-key read.
		searches(user, community, generated);

		this.report.setup("Load average at the end (1/5/15 min)", loadAverage());
		String markdown = this.report.markdown(this.rows);
		System.out.println();
		System.out.println(markdown);
		Files.writeString(OUT.resolve("registry-benchmark.md"), markdown);
		Files.writeString(OUT.resolve("registry-benchmark-plans.txt"), this.plans);
	}

	/**
	 * The data rows in a random order (the seed's), the title and header first: a roster
	 * sorted by something other than its buildings. Every record of the generator is one
	 * line.
	 */
	private static void shuffleRows(Path csv, long seed) throws IOException {
		List<String> lines = Files.readAllLines(csv, java.nio.charset.StandardCharsets.UTF_8);
		List<String> rows = new java.util.ArrayList<>(lines.subList(2, lines.size()));
		for (String row : rows) {
			if (row.chars().filter(c -> c == '"').count() % 2 != 0) {
				throw new IllegalStateException("a record over several lines cannot be shuffled by line: " + row);
			}
		}
		java.util.Collections.shuffle(rows, new java.util.Random(seed));
		rows.addAll(0, lines.subList(0, 2));
		Files.write(csv, rows, java.nio.charset.StandardCharsets.UTF_8);
	}

	// ---------------------------------------------------------------------------------------------
	// Import

	private double lastSeconds;

	private ImportReport timedImport(CurrentUser user, Node community, Path csv) throws IOException {
		long start = System.nanoTime();
		try (InputStream in = new BufferedInputStream(Files.newInputStream(csv), 1 << 16)) {
			ImportReport result = this.rosterImport.run(user, community, in, csv.getFileName().toString(), Map.of(),
					false);
			this.lastSeconds = seconds(start);
			System.out.printf(Locale.ROOT, "import: %s in %.1f s%n", counts(result), this.lastSeconds);
			return result;
		}
	}

	/** Changes when ResidentRecords.bulkLoadIfEmpty rebuilds the index. */
	private long textIndexRelation() {
		return this.jdbc.sql("select 'resident_search_keys'::regclass::oid::bigint").query(Long.class).single();
	}

	private static String counts(ImportReport r) {
		return String.format(Locale.ROOT, "%,d new, %,d updated, %,d unchanged, %,d rejected, %,d duplicates",
				r.accepted(), r.updated(), r.unchanged(), r.rejectedCount(), r.duplicates().size());
	}

	/**
	 * Plain JDBC: the importer's INSERT (same 18 columns plus the path and district its
	 * trigger would fill) in batches of {@value #BATCH}, with reWriteBatchedInserts like
	 * the application's pool, one transaction. Values are as wide as real ones:
	 * AES-GCM-sized ciphers, 32-byte hashes, masked texts, Chinese names and addresses.
	 */
	private double rawInserts(String table, boolean withIndexes) throws SQLException {
		try (Connection c = this.dataSource.getConnection()) {
			try (Statement s = c.createStatement()) {
				s.execute("drop table if exists " + table);
				s.execute("create table " + table + " (like resident including defaults including constraints"
						+ (withIndexes ? " including indexes including generated" : "") + ")");
			}
			checkpoint();
			SplittableRandom random = new SplittableRandom(this.seed);
			byte[] idCipher = bytes(random, 1 + 12 + 18 + 16);
			byte[] phoneCipher = bytes(random, 1 + 12 + 11 + 16);
			// Keyed hashes are random: each lands on a random leaf of its b-tree, as
			// the import's do (numbered ones would all go to the right-most leaf, a
			// cost the real rows never get). 10,000 phone tails.
			byte[][] tails = new byte[10_000][];
			for (int t = 0; t < tails.length; t++) {
				tails[t] = bytes(random, 32);
			}
			String[] statuses = { "RESIDENT", "RESIDENT", "RESIDENT", "RENTING", "AWAY" };
			String[] relations = { "HEAD", "SPOUSE", "CHILD", "CHILD", "PARENT" };
			long start = System.nanoTime();
			c.setAutoCommit(false);
			try (PreparedStatement ps = c.prepareStatement("insert into " + table + """
					 (id, node_id, household_id, name, id_type, id_cipher, id_hash, id_masked, phone_cipher,
					  phone_hash, phone_masked, birth_date, sex, relation, tags, status, note, address, path,
					  phone_tail_hash, district_id)
					values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 3)""")) {
				for (int i = 1; i <= this.rows; i++) {
					int building = 1 + random.nextInt(30);
					int unit = 1 + random.nextInt(4);
					int room = (1 + random.nextInt(18)) * 100 + 1 + random.nextInt(3);
					String compound = RosterCsvGenerator.COMPOUND_PREFIXES[random
						.nextInt(RosterCsvGenerator.COMPOUND_PREFIXES.length)]
							+ RosterCsvGenerator.COMPOUND_SUFFIXES[random
								.nextInt(RosterCsvGenerator.COMPOUND_SUFFIXES.length)];
					// Distinct ciphers per row, like real ones (the hashes are drawn
					// at random above and below).
					ByteBuffer.wrap(idCipher).putInt(1, i);
					ByteBuffer.wrap(phoneCipher).putInt(1, i);
					ps.setLong(1, i);
					ps.setLong(2, 100_000 + building * 10 + unit);
					ps.setLong(3, i / 2 + 1);
					ps.setString(4, name(random));
					ps.setString(5, "RESIDENT_ID");
					ps.setBytes(6, idCipher);
					ps.setBytes(7, bytes(random, 32));
					ps.setString(8, "2301**********" + (1000 + random.nextInt(9000)));
					ps.setBytes(9, phoneCipher);
					ps.setBytes(10, bytes(random, 32));
					ps.setString(11, "138****" + (1000 + random.nextInt(9000)));
					ps.setObject(12, LocalDate.ofEpochDay(-20_000 + random.nextInt(40_000)), Types.DATE);
					ps.setString(13, random.nextBoolean() ? "MALE" : "FEMALE");
					ps.setString(14, relations[random.nextInt(relations.length)]);
					ps.setArray(15, c.createArrayOf("text",
							random.nextInt(20) == 0 ? new String[] { "PARTY_MEMBER" } : new String[0]));
					ps.setString(16, statuses[random.nextInt(statuses.length)]);
					ps.setString(17, null);
					ps.setString(18, compound + building + "栋" + unit + "单元" + room + "室");
					ps.setString(19, "/1/2/3/" + (100_000 + building * 10 + unit) + "/");
					ps.setBytes(20, tails[random.nextInt(tails.length)]);
					ps.addBatch();
					if (i % BATCH == 0) {
						ps.executeBatch();
					}
				}
				ps.executeBatch();
			}
			c.commit();
			double seconds = seconds(start);
			c.setAutoCommit(true);
			try (Statement s = c.createStatement()) {
				s.execute("drop table " + table);
			}
			System.out.printf(Locale.ROOT, "baseline %s: %.1f s%n", table, seconds);
			return seconds;
		}
	}

	private static String name(SplittableRandom random) {
		String given = random.nextBoolean() ? RosterCsvGenerator.GIVEN_MALE : RosterCsvGenerator.GIVEN_FEMALE;
		String name = RosterCsvGenerator.SURNAMES[random.nextInt(RosterCsvGenerator.SURNAMES.length)]
				+ given.charAt(random.nextInt(given.length()));
		return random.nextInt(100) < 72 ? name + given.charAt(random.nextInt(given.length())) : name;
	}

	private static byte[] bytes(SplittableRandom random, int count) {
		byte[] bytes = new byte[count];
		for (int i = 0; i < count; i++) {
			bytes[i] = (byte) random.nextInt(256);
		}
		return bytes;
	}

	// ---------------------------------------------------------------------------------------------
	// Search

	private void searches(CurrentUser user, Node community, RosterCsvGenerator.Result generated) throws SQLException {
		long communityId = community.id();
		List<Long> buildings = this.jdbc
			.sql("select id from division_node where path like :p and kind = 'BUILDING' order by id")
			.param("p", community.path() + "%")
			.query(Long.class)
			.list();
		List<Long> compounds = this.jdbc
			.sql("select id from division_node where parent_id = :c and kind = 'COMPOUND' order by id")
			.param("c", communityId)
			.query(Long.class)
			.list();
		long maxId = this.jdbc.sql("select max(id) from resident where path like :p")
			.param("p", community.path() + "%")
			.query(Long.class)
			.single();
		long minId = this.jdbc.sql("select min(id) from resident where path like :p")
			.param("p", community.path() + "%")
			.query(Long.class)
			.single();

		// Baseline: the least an audited read costs here, by plain JDBC: a primary-key
		// read plus one
		// audit row, committed (search does the same around its query).
		SplittableRandom random = new SplittableRandom(this.seed);
		Latencies pk = measure("Baseline: plain JDBC primary-key read + audit row, committed", i -> {
			long id = minId + random.nextLong(maxId - minId + 1);
			auditedRead(id);
			return 1;
		});
		this.report.baselineLatency(pk);

		List<String> ids = generated.sampleIdNumbers();
		List<String> phones = generated.samplePhones();
		List<String> names = generated.sampleNames().stream().map(n -> n.substring(0, 2)).toList();
		List<String> units = generated.sampleUnits();
		SplittableRandom pick = new SplittableRandom(this.seed + 1);

		search("ID number, exact", i -> ids.get(i % ids.size()), i -> communityId, i -> null, user);
		search("Phone, exact", i -> phones.get(i % phones.size()), i -> communityId, i -> null, user);
		search("Name fragment (surname + 1st given char)", i -> names.get(i % names.size()), i -> communityId,
				i -> null, user);
		List<String> fullNames = generated.sampleNames().stream().filter(n -> n.length() == 3).toList();
		search("Full name, 3 characters", i -> fullNames.get(i % fullNames.size()), i -> communityId, i -> null, user);
		search("Address fragment (compound + building + unit)", i -> units.get(i % units.size()), i -> communityId,
				i -> null, user);
		search("First page of the community", i -> "", i -> communityId, i -> null, user);
		search("First page of a building", i -> "", i -> buildings.get(pick.nextInt(buildings.size())), i -> null,
				user);
		search("Phone, last four digits (\"尾号 1234\")", i -> {
			String digits = phones.get(i % phones.size()).replaceAll("\\D", "");
			return "尾号" + digits.substring(digits.length() - 4);
		}, i -> communityId, i -> null, user);

		// A/B in this run, plain JDBC planned per call (no audit): the two-character
		// query and a building's first page as they were before V81, and as they are.
		String columns = "select id, name, address from resident";
		String scope2 = community.path() + "%";
		plain("A: 2-character name, LIKE only (before V81)",
				columns + " where path like ? and (name like ? or address like ?) order by id desc limit "
						+ (PAGE_SIZE + 1),
				i -> new Object[] { scope2, "%" + names.get(i % names.size()) + "%",
						"%" + names.get(i % names.size()) + "%" });
		long district = this.jdbc.sql("select district_id from division_node where id = :id")
			.param("id", community.id())
			.query(Long.class)
			.single();
		plain("B: 2-character name, text keys + LIKE (V81, V125)", columns
				+ " where path like ? and registry_search_keys(district_id, name, address) @> registry_search_keys(?, ?, null) and (name like ? or address like ?)"
				+ " order by id desc limit " + (PAGE_SIZE + 1),
				i -> new Object[] { scope2, district, names.get(i % names.size()),
						"%" + names.get(i % names.size()) + "%", "%" + names.get(i % names.size()) + "%" });
		List<String> buildingScopes = this.jdbc
			.sql("select path || '%' from division_node where path like :p and kind = 'BUILDING' order by id")
			.param("p", community.path() + "%")
			.query(String.class)
			.list();
		SplittableRandom pickA = new SplittableRandom(this.seed + 2);
		SplittableRandom pickB = new SplittableRandom(this.seed + 2);
		// The whole row, as the service's page reads it.
		String row = """
				select id, node_id, household_id, path, name, id_type, id_cipher, id_masked, phone_cipher,
				       phone_masked, birth_date, sex, relation, tags, status, note, address from resident""";
		plain("A: first page of a building, all its rows read, the newest kept (before)",
				"with scoped as materialized (" + row
						+ " where district_id = ? and path like ?) select * from scoped order by id desc limit "
						+ (PAGE_SIZE + 1),
				i -> new Object[] { district, buildingScopes.get(pickA.nextInt(buildingScopes.size())) });
		plain("B: first page of a building, the newest ids from the path index, then those rows", row
				+ " where id in (select id from resident where district_id = ? and path like ? order by id + 0 desc limit "
				+ (PAGE_SIZE + 1) + ") order by id desc",
				i -> new Object[] { district, buildingScopes.get(pickB.nextInt(buildingScopes.size())) });

		// Deep keyset paging: the cursor for page 50 is found by paging 49 times first
		// (not timed).
		Long communityCursor = cursor(user, communityId, "");
		search("Page " + DEEP_PAGE + " of the community (keyset)", i -> "", i -> communityId, i -> communityCursor,
				user);
		List<long[]> compoundCursors = new ArrayList<>();
		for (long compound : compounds.subList(0, Math.min(20, compounds.size()))) {
			Long after = cursor(user, compound, "");
			if (after != null) {
				compoundCursors.add(new long[] { compound, after });
			}
		}
		if (!compoundCursors.isEmpty()) {
			search("Page " + DEEP_PAGE + " of a compound (keyset)", i -> "",
					i -> compoundCursors.get(i % compoundCursors.size())[0],
					i -> compoundCursors.get(i % compoundCursors.size())[1], user);
		}
		String commonSurname = "王";
		Long surnameCursor = cursor(user, communityId, commonSurname);
		if (surnameCursor != null) {
			search("Page " + DEEP_PAGE + " of name search \"" + commonSurname + "\" (keyset)", i -> commonSurname,
					i -> communityId, i -> surnameCursor, user);
		}

		List<String> buildingPaths = this.jdbc
			.sql("select path from division_node where path like :p and kind = 'BUILDING' order by id")
			.param("p", community.path() + "%")
			.query(String.class)
			.list();
		explain(community.path() + "%", ids.get(0), phones.get(0), names.get(0), units.get(0), communityCursor,
				buildingPaths.get(0));
		String scope = community.path() + "%";
		survey("Name fragment",
				names.stream().limit(SURVEY).map(q -> page(scope, false, q, null, null, null, null)).toList());
		survey("Full name, 3 characters",
				fullNames.stream().limit(SURVEY).map(q -> page(scope, false, q, null, null, null, null)).toList());
		survey("Address fragment",
				units.stream().limit(SURVEY).map(q -> page(scope, false, q, null, null, null, null)).toList());
		List<ResidentRecords.Statement> someBuildings = new ArrayList<>();
		for (int i = 0; i < SURVEY && !buildingPaths.isEmpty(); i++) {
			someBuildings.add(page(buildingPaths.get(i * buildingPaths.size() / SURVEY) + "%", true, null, null, null,
					null, null));
		}
		survey("First page of a building", someBuildings);
	}

	/** The statement of the service's page for these criteria (status and tag unset). */
	private ResidentRecords.Statement page(String scope, boolean small, String text, List<byte[]> idHashes,
			byte[] phoneHash, byte[] phoneTailHash, Long after) {
		return this.records.pageStatement(new ResidentRecords.Criteria(scope, this.records.districtsUnder(scope), false,
				small, text, idHashes, phoneHash, phoneTailHash, false, null, null), after, PAGE_SIZE + 1);
	}

	/** One statement by plain JDBC, planned for each call (as the service's page). */
	private void plain(String label, String sql, IntFunction<Object[]> args) {
		if (System.nanoTime() > this.deadline) {
			this.report.note("Skipped \"" + label + "\": the run's time budget was used up.");
			return;
		}
		IntFunction<Integer> call = i -> {
			try (Connection c = this.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
				ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
				Object[] values = args.apply(i);
				for (int k = 0; k < values.length; k++) {
					ps.setObject(k + 1, values[k]);
				}
				int found = 0;
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						found++;
					}
				}
				return found;
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		};
		for (int i = 0; i < Math.min(this.warmup, 50); i++) {
			call.apply(this.queries + i);
		}
		this.report.search(measure(label, call));
	}

	private Long cursor(CurrentUser user, long nodeId, String q) {
		Long after = null;
		for (int page = 1; page < DEEP_PAGE; page++) {
			after = this.residents.search(user, nodeId, q, after, PAGE_SIZE).nextAfter();
			if (after == null) {
				return null;
			}
		}
		return after;
	}

	private void search(String label, IntFunction<String> query, IntFunction<Long> node, IntFunction<Long> after,
			CurrentUser user) {
		// Warm-up values come after the measured ones in the sample, so they are
		// different people.
		if (System.nanoTime() > this.deadline) {
			this.report.note("Skipped \"" + label + "\": the run's time budget was used up.");
			return;
		}
		long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARMUP_SECONDS);
		for (int i = 0; i < this.warmup && System.nanoTime() < warmupEnd; i++) {
			int n = this.queries + i;
			this.residents.search(user, node.apply(n), query.apply(n), after.apply(n), PAGE_SIZE);
		}
		Latencies latencies = measure(label,
				i -> this.residents.search(user, node.apply(i), query.apply(i), after.apply(i), PAGE_SIZE)
					.residents()
					.size());
		this.report.search(latencies);
	}

	private Latencies measure(String label, IntFunction<Integer> call) {
		long[] nanos = new long[this.queries];
		long found = 0;
		int n = 0;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(QUERY_SECONDS);
		while (n < this.queries && System.nanoTime() < deadline) {
			long start = System.nanoTime();
			found += call.apply(n);
			nanos[n++] = System.nanoTime() - start;
		}
		Latencies latencies = new Latencies(label, Arrays.copyOf(nanos, n), (double) found / Math.max(1, n));
		System.out.println("search: " + latencies);
		return latencies;
	}

	private void auditedRead(long id) {
		try (Connection c = this.dataSource.getConnection()) {
			c.setAutoCommit(false);
			try (PreparedStatement ps = c.prepareStatement(
					"""
							select id, node_id, household_id, path, name, id_type, id_cipher, id_masked, phone_cipher, phone_masked,
							       birth_date, sex, relation, tags, status, note, address from resident where id = ?""")) {
				ps.setLong(1, id);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						rs.getString("name");
					}
				}
			}
			try (PreparedStatement ps = c.prepareStatement("""
					insert into audit_event (actor, actor_id, action, target_type, target_id, detail)
					values ('benchmark', null, 'BENCHMARK_READ', 'resident', ?, null)""")) {
				ps.setString(1, Long.toString(id));
				ps.executeUpdate();
			}
			c.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * EXPLAIN ANALYZE of the statements {@code ResidentRecords.page} sends for each kind
	 * of search (the SQL is repeated here; keep it in step). Written to the plans file,
	 * summarised in the report.
	 */
	private void explain(String scope, String idNumber, String phone, String name, String unit, Long cursor,
			String oldestBuilding) throws SQLException {
		String select = """
				select id, node_id, household_id, path, name, id_type, id_cipher, id_masked, phone_cipher, phone_masked,
				       birth_date, sex, relation, tags, status, note, address from resident where path like ?""";
		byte[] idHash = this.protection.lookupHash("RESIDENT_ID:" + idNumber);
		byte[] phoneHash = this.protection.lookupHash(phone);
		byte[] phoneTailHash = this.phoneTails.hash(phone);
		// What ResidentRecords.page sends, asked of it rather than copied.
		explain("ID number, exact", page(scope, false, null, List.of(idHash), null, null, null));
		explain("Phone, exact", page(scope, false, null, null, phoneHash, phoneTailHash, null));
		explain("Name fragment " + name, page(scope, false, name, null, null, null, null));
		explain("Address fragment " + unit, page(scope, false, unit, null, null, null, null));
		explain("First page of the community", page(scope, false, null, null, null, null, null));
		if (cursor != null) {
			explain("Page " + DEEP_PAGE + " of the community", page(scope, false, null, null, null, null, cursor));
		}
		explain("First page of the oldest building", page(oldestBuilding + "%", true, null, null, null, null, null));
		// The driver switches to a server-side prepared statement after 5 executions, and
		// PostgreSQL
		// may then settle on a generic plan, made without knowing the LIKE pattern or the
		// hash.
		// The page's statement before V122 and per-call planning, kept to show the trap.
		String text = " and (name like ? or address like ?)";
		String limit = " order by id desc limit ?";
		int rows = PAGE_SIZE + 1;
		genericExplain("ID number, exact", select + " and id_hash = ?" + limit, scope, idHash, rows);
		genericExplain("Name fragment " + name, select + text + limit, scope, "%" + name + "%", "%" + name + "%", rows);
		genericExplain("Address fragment " + unit, select + text + limit, scope, "%" + unit + "%", "%" + unit + "%",
				rows);
		genericExplain("First page of the oldest building", select + limit, oldestBuilding + "%", rows);
	}

	private int generics;

	static final int SURVEY = 40;

	/**
	 * Which plan PostgreSQL picks, value by value, for one kind of search: EXPLAIN
	 * ANALYZE of up to {@value #SURVEY} of the measured values, tallied by the scan that
	 * feeds the LIMIT.
	 */
	private void survey(String label, List<ResidentRecords.Statement> statements) throws SQLException {
		Map<String, List<Double>> byShape = new java.util.TreeMap<>();
		try (Connection c = this.dataSource.getConnection()) {
			for (ResidentRecords.Statement statement : statements) {
				try (PreparedStatement ps = c.prepareStatement("explain (analyze) " + statement.sql())) {
					List<Object> args = statement.args();
					for (int i = 0; i < args.size(); i++) {
						ps.setObject(i + 1, args.get(i));
					}
					String shape = "?";
					double ms = Double.NaN;
					try (ResultSet rs = ps.executeQuery()) {
						while (rs.next()) {
							String line = rs.getString(1);
							java.util.regex.Matcher scan = java.util.regex.Pattern.compile(
									"((?:Parallel )?(?:Seq Scan|Bitmap Heap Scan|Index Only Scan(?: Backward)? using \\w+|Index Scan(?: Backward)? using \\w+))")
								.matcher(line);
							if (shape.equals("?") && scan.find()) {
								shape = scan.group(1);
							}
							if (line.startsWith("Execution Time:")) {
								ms = Double.parseDouble(line.replaceAll("[^0-9.]", ""));
							}
						}
					}
					byShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(ms);
				}
			}
		}
		StringBuilder summary = new StringBuilder(
				"Plans chosen for \"" + label + "\" (" + statements.size() + " values, EXPLAIN ANALYZE): ");
		byShape.forEach((shape, times) -> {
			double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
			summary.append(String.format(Locale.ROOT, "%s ×%d (median %.1f ms, max %.1f ms); ", shape, sorted.length,
					sorted[sorted.length / 2], sorted[sorted.length - 1]));
		});
		this.plans.append("== SURVEY ").append(summary).append("\n\n");
		this.report.note(summary.toString().strip());
	}

	private void genericExplain(String label, String sql, Object... args) throws SQLException {
		StringBuilder types = new StringBuilder();
		StringBuilder values = new StringBuilder();
		for (Object arg : args) {
			types.append(types.isEmpty() ? "" : ", ")
				.append(arg instanceof byte[] ? "bytea" : arg instanceof Integer ? "integer" : "text");
			String literal = arg instanceof byte[] bytes ? "\\x" + java.util.HexFormat.of().formatHex(bytes)
					: arg.toString().replace("'", "''");
			values.append(values.isEmpty() ? "" : ", ").append('\'').append(literal).append('\'');
		}
		int n = 0;
		StringBuilder numbered = new StringBuilder();
		for (char ch : sql.toCharArray()) {
			numbered.append(ch == '?' ? "$" + (++n) : String.valueOf(ch));
		}
		try (Connection c = this.dataSource.getConnection(); Statement s = c.createStatement()) {
			String statement = "bench_generic_" + (++this.generics);
			s.execute("prepare " + statement + " (" + types + ") as " + numbered);
			s.execute("set plan_cache_mode = force_generic_plan");
			this.plans.append("== GENERIC PLAN (as after 5 executions of a prepared statement): ")
				.append(label)
				.append('\n');
			try (ResultSet rs = s
				.executeQuery("explain (analyze, buffers) execute " + statement + " (" + values + ")")) {
				while (rs.next()) {
					this.plans.append(rs.getString(1)).append('\n');
				}
			}
			this.plans.append('\n');
			s.execute("reset plan_cache_mode");
			s.execute("deallocate " + statement);
		}
	}

	private void explain(String label, ResidentRecords.Statement statement) throws SQLException {
		explain(label, statement.sql(), statement.args().toArray());
	}

	private void explain(String label, String sql, Object... args) throws SQLException {
		try (Connection c = this.dataSource.getConnection();
				PreparedStatement ps = c.prepareStatement("explain (analyze, buffers) " + sql)) {
			for (int i = 0; i < args.length; i++) {
				ps.setObject(i + 1, args[i]);
			}
			this.plans.append("== ").append(label).append('\n');
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					this.plans.append(rs.getString(1)).append('\n');
				}
			}
			this.plans.append('\n');
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Environment

	private void machine() throws IOException {
		String cpu = "unknown";
		Path cpuinfo = Path.of("/proc/cpuinfo");
		if (Files.isReadable(cpuinfo)) {
			cpu = Files.readAllLines(cpuinfo)
				.stream()
				.filter(l -> l.startsWith("model name"))
				.findFirst()
				.map(l -> l.substring(l.indexOf(':') + 1).strip())
				.orElse(cpu);
		}
		String memory = "unknown";
		Path meminfo = Path.of("/proc/meminfo");
		if (Files.isReadable(meminfo)) {
			memory = Files.readAllLines(meminfo)
				.stream()
				.filter(l -> l.startsWith("MemTotal"))
				.findFirst()
				.map(l -> String.format(Locale.ROOT, "%.1f GiB",
						Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
				.orElse(memory);
		}
		this.report.setup("Date", OffsetDateTime.now(ZoneOffset.UTC).withNano(0).toString());
		this.report.setup("Load average at the start (1/5/15 min)",
				loadAverage() + " (anything above 0 is other work sharing the cores)");
		this.report.setup("CPU",
				cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores available to the JVM");
		this.report.setup("Memory",
				memory + " (JVM max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB)");
		this.report.setup("Java",
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
						+ ManagementFactory.getRuntimeMXBean()
							.getInputArguments()
							.stream()
							.filter(a -> a.startsWith("-Xm"))
							.toList());
		String pg = this.jdbc.sql("select version()").query(String.class).single();
		String settings = this.jdbc.sql("""
				select string_agg(name || '=' || current_setting(name), ', ' order by name) from pg_settings
				where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers', 'wal_buffers',
				               'max_wal_size', 'work_mem', 'lc_ctype', 'checkpoint_timeout')""")
			.query(String.class)
			.single();
		this.report.setup("PostgreSQL", pg.replaceAll(" on .*", "") + ", embedded (zonky), " + settings);
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " / " + parts[1] + " / " + parts[2];
		}
		catch (IOException | RuntimeException ex) {
			return "unknown";
		}
	}

	private String size() {
		return this.jdbc
			.sql("""
					select pg_size_pretty(pg_relation_size('resident')) || ' heap + ' || pg_size_pretty(pg_indexes_size('resident'))
					       || ' indexes (' || (select string_agg(c.relname || ' ' || pg_size_pretty(pg_relation_size(c.oid)), ', '
					                                             order by pg_relation_size(c.oid) desc)
					                           from pg_index i join pg_class c on c.oid = i.indexrelid
					                           where i.indrelid = 'resident'::regclass) || ')'""")
			.query(String.class)
			.single();
	}

	private boolean checkpointRefused;

	/**
	 * Evens out the measurements with a checkpoint where the role may run one: the
	 * secured embedded database's application role may not (pg_checkpoint), and then the
	 * run goes on without, saying so once.
	 */
	private void checkpoint() {
		if (this.checkpointRefused) {
			return;
		}
		try (Connection c = this.dataSource.getConnection(); Statement s = c.createStatement()) {
			s.execute("checkpoint");
		}
		catch (SQLException ex) {
			this.checkpointRefused = true;
			this.report.note("No CHECKPOINT between steps: the application's database role may not run one ("
					+ ex.getMessage() + ").");
		}
	}

	private static double seconds(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	// ---------------------------------------------------------------------------------------------
	// Results

	/**
	 * Latencies of one kind of query, in nanoseconds, and the mean number of residents
	 * returned.
	 */
	record Latencies(String label, long[] nanos, double meanFound) {

		Latencies {
			nanos = nanos.clone();
			Arrays.sort(nanos);
		}

		double percentileMs(double p) {
			if (this.nanos.length == 0) {
				return Double.NaN;
			}
			int index = (int) Math.ceil(p / 100.0 * this.nanos.length) - 1;
			return this.nanos[Math.max(0, Math.min(index, this.nanos.length - 1))] / 1e6;
		}

		double maxMs() {
			return this.nanos.length == 0 ? Double.NaN : this.nanos[this.nanos.length - 1] / 1e6;
		}

		double meanMs() {
			return Arrays.stream(this.nanos).average().orElse(Double.NaN) / 1e6;
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%s: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms, %.1f found", this.label,
					this.nanos.length, percentileMs(50), percentileMs(99), maxMs(), this.meanFound);
		}

	}

	private static final class Report {

		private final List<String[]> setup = new ArrayList<>();

		private final List<String[]> inserts = new ArrayList<>();

		private final List<Latencies> searches = new ArrayList<>();

		private final List<String> notes = new ArrayList<>();

		private Latencies baseline;

		private final List<String[]> profiles = new ArrayList<>();

		void profile(String what, List<String[]> rows) {
			for (String[] row : rows) {
				this.profiles.add(new String[] { what, row[0], row[1], row[2] });
				System.out.println("profile " + what + ": " + String.join(" | ", row));
			}
		}

		void setup(String what, String value) {
			this.setup.add(new String[] { what, value });
			System.out.println(what + ": " + value);
		}

		void note(String note) {
			this.notes.add(note);
			System.out.println(note);
		}

		void insert(String what, int rows, double seconds, Double baselineSeconds) {
			String ratio = baselineSeconds == null ? "1 (baseline)"
					: String.format(Locale.ROOT, "%.3f", baselineSeconds / seconds);
			this.inserts.add(new String[] { what, String.format(Locale.ROOT, "%,d", rows),
					String.format(Locale.ROOT, "%.1f", seconds), String.format(Locale.ROOT, "%,.0f", rows / seconds),
					ratio });
		}

		void baselineLatency(Latencies latencies) {
			this.baseline = latencies;
		}

		void search(Latencies latencies) {
			this.searches.add(latencies);
		}

		String markdown(int rows) {
			StringBuilder md = new StringBuilder();
			md.append("## Registry benchmark, ")
				.append(String.format(Locale.ROOT, "%,d", rows))
				.append(" residents\n\n");
			md.append("| setting | value |\n|---|---|\n");
			for (String[] row : this.setup) {
				md.append("| ").append(row[0]).append(" | ").append(row[1].replace("|", "\\|")).append(" |\n");
			}
			md.append("\n### Import (one transaction, batches of ").append(BATCH).append(")\n\n");
			md.append("| what | rows | seconds | rows/s | × raw-INSERT baseline |\n|---|--:|--:|--:|--:|\n");
			for (String[] row : this.inserts) {
				md.append("| ").append(String.join(" | ", row)).append(" |\n");
			}
			if (!this.profiles.isEmpty()) {
				md.append("\nWhere the import's time goes: the import's connection, sampled every ")
					.append(ActivitySampler.PERIOD_MS)
					.append(" ms from pg_stat_activity (\"idle in transaction\" = the database waits for the application):\n\n");
				md.append("| import | state | statement | share |\n|---|---|---|--:|\n");
				for (String[] row : this.profiles) {
					md.append("| ").append(String.join(" | ", row).replace("`", "'")).append(" |\n");
				}
			}
			md.append("\n### Search latency (ResidentService.search, page size ")
				.append(PAGE_SIZE)
				.append(", warmed up, one query at a time)\n\n");
			md.append(
					"| query | n | p50 ms | p99 ms | max ms | mean ms | found/query | p50 × baseline | p99 × baseline |\n");
			md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
			if (this.baseline != null) {
				row(md, this.baseline, "1 (baseline)", "1 (baseline)");
			}
			for (Latencies l : this.searches) {
				row(md, l,
						ratio(l.percentileMs(50), this.baseline == null ? Double.NaN : this.baseline.percentileMs(50)),
						ratio(l.percentileMs(99), this.baseline == null ? Double.NaN : this.baseline.percentileMs(99)));
			}
			for (String note : this.notes) {
				md.append("\n").append(note).append("\n");
			}
			return md.toString();
		}

		private static String ratio(double value, double baseline) {
			return String.format(Locale.ROOT, "%.1f", value / baseline);
		}

		private static void row(StringBuilder md, Latencies l, String p50, String p99) {
			md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.1f | %s | %s |\n",
					l.label(), l.nanos().length, l.percentileMs(50), l.percentileMs(99), l.maxMs(), l.meanMs(),
					l.meanFound(), p50, p99));
		}

	}

	/**
	 * A poor man's profiler for the database side: samples what the import's connection
	 * is doing (running which statement, or idle in its transaction while the application
	 * works).
	 */
	static final class ActivitySampler implements AutoCloseable {

		static final int PERIOD_MS = 20;

		private final Map<String, Integer> counts = new java.util.concurrent.ConcurrentHashMap<>();

		private final Thread thread;

		private volatile boolean running = true;

		private int samples;

		ActivitySampler(DataSource dataSource) {
			this.thread = new Thread(() -> run(dataSource), "bench-activity-sampler");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void run(DataSource dataSource) {
			try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
					select state, regexp_replace(left(query, 400), '\\s+', ' ', 'g') from pg_stat_activity
					where backend_type = 'client backend' and pid <> pg_backend_pid() and datname = current_database()
					  and xact_start is not null and now() - xact_start > interval '1 second'
					  and state in ('active', 'idle in transaction')""")) {
				while (this.running) {
					try (ResultSet rs = ps.executeQuery()) {
						while (rs.next()) {
							String state = rs.getString(1);
							String statement = state.equals("active") ? shorten(rs.getString(2))
									: "(application work, or the network)";
							this.counts.merge(state + "\u0000" + statement, 1, Integer::sum);
						}
					}
					this.samples++;
					Thread.sleep(PERIOD_MS);
				}
			}
			catch (SQLException | InterruptedException ex) {
				this.counts.merge("sampler failed\u0000" + ex, 1, Integer::sum);
			}
		}

		/** The statement's first words, enough to tell the import's statements apart. */
		private static String shorten(String sql) {
			String s = sql.strip();
			String lower = s.toLowerCase(Locale.ROOT);
			int cut = lower.startsWith("insert")
					? Math.min(s.length(), lower.indexOf(" values") < 0 ? 60 : lower.indexOf(" values"))
					: Math.min(s.length(), 90);
			if (lower.startsWith("insert into resident")) {
				cut = "insert into resident".length();
			}
			return "`" + s.substring(0, cut) + (cut < s.length() ? " ..." : "") + "`";
		}

		List<String[]> summary() {
			stop();
			int total = this.counts.values().stream().mapToInt(Integer::intValue).sum();
			return this.counts.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
				.limit(8)
				.map(e -> {
					String[] key = e.getKey().split("\u0000", 2);
					return new String[] { key[0], key[1],
							String.format(Locale.ROOT, "%.0f %%", 100.0 * e.getValue() / Math.max(1, total)) };
				})
				.toList();
		}

		private void stop() {
			this.running = false;
			try {
				this.thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void close() {
			stop();
		}

	}

}
