package org.fangxian.bench;

import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.HdrHistogram.Histogram;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData.NodeRef;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Passes;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.PhoneNumber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Benchmark, not a test (surefire's default run excludes it): gate scans through the HTTP
 * API against a registry of {@code bench.residents} residents (default 1,000,000), next
 * to the raw PostgreSQL single-row insert rate measured in the same run on the same
 * database.
 *
 * <p>
 * The application runs here with the test profile but
 * {@code fangxian.embedded-db.durable=true} (fsync, synchronous_commit and
 * full_page_writes on, as in production). Residents and households are written with COPY,
 * their ID numbers and phones sealed by the application's own
 * {@link PersonalDataProtection}; a GATE checkpoint is set up at the community, passes
 * are issued through {@link Passes#current} to a sample of residents, and a guard signs
 * in for a bearer token. The load comes from {@link ScanLoad} in a second JVM over
 * 127.0.0.1: per concurrency level, the raw baseline (autocommit single-row INSERTs, as
 * wide as a gate scan, one connection per thread) and then the HTTP scans, each with a
 * warm-up and a fixed measured window. Afterwards every 2xx answer must be exactly one
 * gate_scan row. Results: stdout and {@code target/bench/gate-scan-benchmark.md}; see
 * {@code docs/benchmarks.md}.
 *
 * <pre>
 * mvn -o test -Dtest=GateScanBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Options (system properties): {@code bench.residents} (1000000), {@code bench.passes}
 * (20000), {@code bench.idInputs} (5000, residents scanned by ID number instead of QR),
 * {@code bench.concurrency} (16,64), {@code bench.jitWarmup} seconds of unmeasured HTTP
 * load first (120), {@code bench.warmup} seconds per phase (15), {@code bench.duration}
 * seconds (60), {@code bench.seed} (20220401).
 */
@TestPropertySource(properties = { "fangxian.embedded-db.durable=true" })
class GateScanBenchmark extends IntegrationTest {

	private static final int RESIDENTS = Integer.getInteger("bench.residents", 1_000_000);

	private static final int PASSES = Integer.getInteger("bench.passes", 20_000);

	private static final int ID_INPUTS = Integer.getInteger("bench.idInputs", 5_000);

	private static final int WARMUP = Integer.getInteger("bench.warmup", 15);

	private static final int DURATION = Integer.getInteger("bench.duration", 60);

	/**
	 * Unmeasured HTTP load before the first phase: on 2 cores C2 is still compiling after
	 * 40 s.
	 */
	private static final int JIT_WARMUP = Integer.getInteger("bench.jitWarmup", 120);

	private static final long SEED = Long.getLong("bench.seed", 20220401L);

	private static final String CONCURRENCY = System.getProperty("bench.concurrency", "16,64");

	/**
	 * {@code -Dbench.counter=false} runs the HTTP phases with the dashboard's counter
	 * trigger off: an A/B of what the counter's row costs a busy gate, not a way to run.
	 */
	private static final boolean COUNTER = Boolean.parseBoolean(System.getProperty("bench.counter", "true"));

	/**
	 * {@code -Dbench.foreignKeys=false} drops {@code gate_scan}'s foreign keys before the
	 * HTTP phases (a throwaway database): an A/B of what their row locks on the
	 * checkpoint and the resident cost a busy gate, not a way to run.
	 */
	private static final boolean FOREIGN_KEYS = Boolean.parseBoolean(System.getProperty("bench.foreignKeys", "true"));

	private static final int PER_HOUSEHOLD = 4;

	private static final int COMPOUNDS = 20;

	private static final String[] REGIONS = { "230102", "230103", "230104", "110105", "310115" };

	private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

	private static final String GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉凤梅志文斌宇浩然子轩欣怡佳琪雨萱梓涵博文诗涵";

	private static final LocalDate FIRST_BIRTH = LocalDate.of(1950, 1, 1);

	private static final Path OUT = Path.of("target", "bench");

	@Autowired
	private DataSource dataSource;

	@Autowired
	private PersonalDataProtection protection;

	@Autowired
	private Checkpoints checkpoints;

	@Autowired
	private Passes passes;

	@Autowired
	private PlatformTransactionManager transactions;

	private final Map<String, String> setup = new LinkedHashMap<>();

	private final List<Properties> results = new ArrayList<>();

	/** The unmeasured phases, counted only in the checks. */
	private final List<Properties> unmeasured = new ArrayList<>();

	@Test
	@Timeout(value = 3, unit = TimeUnit.HOURS)
	void gateScansOverHttp() throws Exception {
		Files.createDirectories(OUT);
		// The embedded database asks for SCRAM passwords (issue 10): the application
		// role's
		// travel in the URL to the loader and the load generator (target/bench, not
		// committed; a throwaway database).
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		String jdbcUrl = pool.getJdbcUrl() + (pool.getJdbcUrl().contains("?") ? "&" : "?") + "user="
				+ java.net.URLEncoder.encode(pool.getUsername(), java.nio.charset.StandardCharsets.UTF_8) + "&password="
				+ java.net.URLEncoder.encode(pool.getPassword(), java.nio.charset.StandardCharsets.UTF_8);
		record Settings(String fsync, String synchronousCommit, String fullPageWrites, String version) {
		}
		Settings settings = this.jdbc
			.sql("select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit, "
					+ "current_setting('full_page_writes') as full_page_writes, current_setting('server_version') as version")
			.query(Settings.class)
			.single();
		log("PostgreSQL %s: fsync=%s synchronous_commit=%s full_page_writes=%s", settings.version(), settings.fsync(),
				settings.synchronousCommit(), settings.fullPageWrites());
		assertEquals("on", settings.fsync(), "the benchmark must run with fsync on");
		assertEquals("on", settings.synchronousCommit(), "the benchmark must run with synchronous_commit on");

		// The tree: one community of COMPOUNDS compounds holding every resident, as the
		// gate's jurisdiction.
		var tree = this.data.tree();
		NodeRef community = tree.communityA1();
		List<NodeRef> compounds = new ArrayList<>();
		for (int c = 0; c < COMPOUNDS; c++) {
			compounds.add(this.data.node(community.id(), "COMPOUND", null, compoundName(c)));
		}
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, community);

		long loadStart = System.nanoTime();
		long[] firstIds = load(jdbcUrl, compounds);
		long firstResident = firstIds[1];
		double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
		long residentCount = this.jdbc.sql("select count(*) from resident where path like :p")
			.param("p", community.path() + "%")
			.query(Long.class)
			.single();
		log("Loaded %,d residents in %,d households in %.0f s (%.0f rows/s)", residentCount, RESIDENTS / PER_HOUSEHOLD,
				loadSeconds, RESIDENTS / loadSeconds);

		Checkpoint gate = this.checkpoints.create(worker, new Checkpoints.NewCheckpoint(community.id(), "南门", "全天", 2));

		// Passes for a random sample, through the application's own service (audited), in
		// batches.
		SplittableRandom random = new SplittableRandom(SEED);
		BitSet chosen = new BitSet(RESIDENTS);
		List<String> inputs = new ArrayList<>(PASSES + ID_INPUTS);
		long passStart = System.nanoTime();
		TransactionTemplate batch = new TransactionTemplate(this.transactions);
		int issued = 0;
		while (issued < PASSES) {
			List<Integer> indexes = new ArrayList<>();
			while (indexes.size() < 500 && issued + indexes.size() < PASSES) {
				int i = random.nextInt(RESIDENTS);
				if (!chosen.get(i)) {
					chosen.set(i);
					indexes.add(i);
				}
			}
			batch.executeWithoutResult(status -> {
				// Setting up is not what is measured: one commit per batch, and no
				// waiting for it.
				this.jdbc.sql("set local synchronous_commit = off").update();
				for (int i : indexes) {
					inputs.add("Q\t" + this.passes.current(worker, firstResident + i).qr());
				}
			});
			issued += indexes.size();
		}
		double passSeconds = (System.nanoTime() - passStart) / 1e9;
		log("Issued %,d passes in %.0f s", PASSES, passSeconds);
		int ids = 0;
		while (ids < ID_INPUTS) {
			int i = random.nextInt(RESIDENTS);
			if (!chosen.get(i)) {
				chosen.set(i);
				inputs.add("I\t" + idNumber(i));
				ids++;
			}
		}
		Path inputFile = OUT.resolve("gate-scan-inputs.tsv");
		Files.write(inputFile, inputs, StandardCharsets.UTF_8);

		String guard = this.data.account(Role.CHECKPOINT_GUARD, community);
		long guardId = this.jdbc.sql("select id from account where username = :u")
			.param("u", guard)
			.query(Long.class)
			.single();
		String token = this.data.token(baseUrl(), guard);

		try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
			s.execute("vacuum analyze resident");
			s.execute("vacuum analyze household");
			s.execute("vacuum analyze resident_pass");
			s.execute("vacuum analyze account");
			s.execute("vacuum analyze api_token");
			// The raw baseline's table: gate_scan's columns, defaults, keys and indexes,
			// no foreign keys.
			s.execute("drop table if exists bench_raw_scan");
			s.execute("""
					create table bench_raw_scan (
					    id               bigserial primary key,
					    checkpoint_id    bigint       not null,
					    idempotency_key  varchar(100) not null,
					    scanned_at       timestamptz  not null default now(),
					    recorded_at      timestamptz  not null default now(),
					    direction        varchar(3)   check (direction in ('IN', 'OUT')),
					    method           varchar(8)   not null check (method in ('QR', 'ID', 'NONE')),
					    resident_id      bigint,
					    temperature      numeric(3, 1),
					    plate            varchar(16),
					    decision         varchar(5)   not null check (decision in ('ALLOW', 'DENY')),
					    reason           varchar(60)  not null,
					    account_id       bigint       not null,
					    unique (checkpoint_id, idempotency_key)
					)""");
			s.execute("create index bench_raw_scan_checkpoint_time on bench_raw_scan (checkpoint_id, scanned_at)");
		}

		this.setup.put("Residents", String.format(Locale.ROOT, "%,d in %,d households, %d compounds of one community",
				residentCount, RESIDENTS / PER_HOUSEHOLD, COMPOUNDS));
		this.setup.put("Load (COPY, sealed by PersonalDataProtection)",
				String.format(Locale.ROOT, "%.0f s", loadSeconds));
		this.setup.put("Passes issued (Passes.current)",
				String.format(Locale.ROOT, "%,d in %.0f s", PASSES, passSeconds));
		this.setup.put("Scan inputs",
				String.format(Locale.ROOT, "%,d QR passes + %,d ID numbers, picked uniformly", PASSES, ID_INPUTS));
		this.setup.put("PostgreSQL",
				String.format(Locale.ROOT, "%s embedded, fsync=%s, synchronous_commit=%s, full_page_writes=%s",
						settings.version(), settings.fsync(), settings.synchronousCommit(), settings.fullPageWrites()));
		this.setup.put("Application pool",
				((HikariDataSource) this.dataSource).getMaximumPoolSize() + " connections (Hikari, default)");

		writePlans(jdbcUrl, firstResident, inputs, token);

		if (JIT_WARMUP > 0) {
			// Let the JIT compile the request path before anything is measured; same
			// inputs, own seed.
			Properties warm = new Properties();
			warm.setProperty("mode", "http");
			warm.setProperty("concurrency", CONCURRENCY.split(",")[0].trim());
			warm.setProperty("warmupSeconds", "0");
			warm.setProperty("durationSeconds", String.valueOf(JIT_WARMUP));
			warm.setProperty("seed", String.valueOf(SEED - 1));
			warm.setProperty("checkpointId", String.valueOf(gate.id()));
			warm.setProperty("port", String.valueOf(this.port));
			warm.setProperty("token", token);
			warm.setProperty("inputs", inputFile.toAbsolutePath().toString());
			this.unmeasured.add(run("http-jit-warmup", warm, jdbcUrl));
		}

		if (!COUNTER) {
			this.jdbc.sql("alter table gate_scan disable trigger gate_scan_counted").update();
			log("The counter trigger gate_scan_counted is OFF for the HTTP phases (bench.counter=false)");
		}
		if (!FOREIGN_KEYS) {
			// By what the catalogue lists: the partitioned table's keys are not named as
			// V7's were.
			List<String> dropped = this.jdbc
				.sql("select conname from pg_constraint where conrelid = 'gate_scan'::regclass and contype = 'f'")
				.query(String.class)
				.list();
			for (String key : dropped) {
				this.jdbc.sql("alter table gate_scan drop constraint \"" + key.replace("\"", "\"\"") + "\"").update();
			}
			log("gate_scan's foreign keys are DROPPED for the HTTP phases (bench.foreignKeys=false): " + dropped);
		}
		for (String level : CONCURRENCY.split(",")) {
			int concurrency = Integer.parseInt(level.trim());
			Properties common = new Properties();
			common.setProperty("concurrency", String.valueOf(concurrency));
			common.setProperty("warmupSeconds", String.valueOf(WARMUP));
			common.setProperty("durationSeconds", String.valueOf(DURATION));
			common.setProperty("seed", String.valueOf(SEED + concurrency));
			common.setProperty("checkpointId", String.valueOf(gate.id()));

			Properties raw = new Properties();
			raw.putAll(common);
			raw.setProperty("mode", "jdbc");
			raw.setProperty("jdbcUrl", jdbcUrl.replace("localhost", "127.0.0.1"));
			raw.setProperty("accountId", String.valueOf(guardId));
			raw.setProperty("firstResidentId", String.valueOf(firstResident));
			raw.setProperty("residents", String.valueOf(RESIDENTS));
			this.results.add(run("raw-c" + concurrency, raw, jdbcUrl));

			Properties http = new Properties();
			http.putAll(common);
			http.setProperty("mode", "http");
			http.setProperty("port", String.valueOf(this.port));
			http.setProperty("token", token);
			http.setProperty("inputs", inputFile.toAbsolutePath().toString());
			this.results.add(run("http-c" + concurrency, http, jdbcUrl));
		}

		Map<String, String> checks = verify(gate.id());
		String report = report(checks);
		Files.writeString(OUT.resolve("gate-scan-benchmark.md"), report, StandardCharsets.UTF_8);
		System.out.println(report);

		long httpOk = allHttp().filter(r -> r.getProperty("mode").equals("http"))
			.mapToLong(r -> Long.parseLong(r.getProperty("totalOk")))
			.sum();
		long replayed = allHttp().filter(r -> r.getProperty("mode").equals("http"))
			.mapToLong(r -> Long.parseLong(r.getProperty("replayed")))
			.sum();
		assertEquals(httpOk, Long.parseLong(checks.get("gate_scan rows")), "one row per 2xx answer");
		assertEquals("0", checks.get("duplicate idempotency keys"));
		assertEquals(0, replayed, "fresh keys are never replayed");
		assertTrue(Double.parseDouble(checks.get("ALLOW share")) > 0.9, "decisions mostly ALLOW");
	}

	// ---- loading ----

	/**
	 * Writes households and residents with COPY; returns the first household and resident
	 * id.
	 */
	private long[] load(String jdbcUrl, List<NodeRef> compounds) throws SQLException, IOException {
		int households = RESIDENTS / PER_HOUSEHOLD;
		int perCompound = (households + COMPOUNDS - 1) / COMPOUNDS;
		try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
			connection.setAutoCommit(true);
			try (Statement s = connection.createStatement()) {
				s.execute("set synchronous_commit = off");
			}
			long firstHousehold = reserve(connection, "household_id_seq", households);
			long firstResident = reserve(connection, "resident_id_seq", RESIDENTS);
			var copy = connection.unwrap(PGConnection.class).getCopyAPI();
			StringBuilder rows = new StringBuilder(1 << 20);
			CopyIn in = copy.copyIn("copy household (id, node_id, room, address) from stdin");
			for (int h = 0; h < households; h++) {
				NodeRef compound = compounds.get(h / perCompound);
				rows.append(firstHousehold + h)
					.append('\t')
					.append(compound.id())
					.append('\t')
					.append(room(h % perCompound))
					.append('\t')
					.append(compound.name())
					.append(room(h % perCompound))
					.append('\n');
				if (rows.length() > (1 << 20) - 1000) {
					flush(in, rows);
				}
			}
			flush(in, rows);
			in.endCopy();
			log("Households written");

			HexFormat hex = HexFormat.of();
			long started = System.nanoTime();
			int chunk = 100_000;
			for (int from = 0; from < RESIDENTS; from += chunk) {
				in = copy
					.copyIn("""
							copy resident (id, node_id, household_id, name, id_type, id_cipher, id_hash, id_masked, phone_cipher,
							    phone_hash, phone_masked, birth_date, sex, relation, status, address) from stdin""");
				for (int i = from; i < Math.min(RESIDENTS, from + chunk); i++) {
					int h = i / PER_HOUSEHOLD;
					NodeRef compound = compounds.get(h / perCompound);
					String id = idNumber(i);
					IdNumber parsed = new IdNumber(id);
					String phone = PhoneNumber.parse("13" + String.format("%09d", i * 7L % 1_000_000_000L))
						.orElseThrow()
						.value();
					rows.append(firstResident + i)
						.append('\t')
						.append(compound.id())
						.append('\t')
						.append(firstHousehold + h)
						.append('\t')
						.append(name(i))
						.append('\t')
						.append("RESIDENT_ID")
						.append('\t')
						.append("\\\\x")
						.append(hex.formatHex(this.protection.encrypt(id)))
						.append('\t')
						.append("\\\\x")
						.append(hex.formatHex(this.protection.lookupHash("RESIDENT_ID:" + id)))
						.append('\t')
						.append(parsed.masked())
						.append('\t')
						.append("\\\\x")
						.append(hex.formatHex(this.protection.encrypt(phone)))
						.append('\t')
						.append("\\\\x")
						.append(hex.formatHex(this.protection.lookupHash(phone)))
						.append('\t')
						.append(PhoneNumber.parse(phone).orElseThrow().masked())
						.append('\t')
						.append(parsed.birthDate())
						.append('\t')
						.append(parsed.sex().name())
						.append('\t')
						.append(relation(i))
						.append('\t')
						.append(status(i))
						.append('\t')
						.append(compound.name())
						.append(room(h % perCompound))
						.append('\n');
					if (rows.length() > (1 << 20) - 2000) {
						flush(in, rows);
					}
				}
				flush(in, rows);
				in.endCopy();
				int done = Math.min(RESIDENTS, from + chunk);
				log("Residents written: %,d (%.0f rows/s)", done, done / ((System.nanoTime() - started) / 1e9));
			}
			return new long[] { firstHousehold, firstResident };
		}
	}

	private static long reserve(Connection connection, String sequence, int count) throws SQLException {
		try (Statement s = connection.createStatement();
				var rs = s.executeQuery("select nextval('" + sequence + "')")) {
			rs.next();
			long first = rs.getLong(1);
			s.execute("select setval('" + sequence + "', " + (first + count) + ")");
			return first;
		}
	}

	private static void flush(CopyIn in, StringBuilder rows) throws SQLException {
		byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
		in.writeToCopy(bytes, 0, bytes.length);
		rows.setLength(0);
	}

	/** A valid, unique resident ID number for resident number {@code i}. */
	static String idNumber(int i) {
		String region = REGIONS[i % REGIONS.length];
		int rest = i / REGIONS.length;
		LocalDate birth = FIRST_BIRTH.plusDays(rest % 20_000);
		int sequence = rest / 20_000;
		String first17 = region + birth.toString().replace("-", "") + String.format("%03d", sequence);
		return first17 + IdNumber.checkChar(first17);
	}

	private static String name(int i) {
		SplittableRandom r = new SplittableRandom(i * 31L + 7);
		StringBuilder name = new StringBuilder().append(SURNAMES.charAt(r.nextInt(SURNAMES.length())));
		int given = r.nextInt(3) == 0 ? 1 : 2;
		for (int g = 0; g < given; g++) {
			name.append(GIVEN.charAt(r.nextInt(GIVEN.length())));
		}
		return name.toString();
	}

	private static String relation(int i) {
		return switch (i % PER_HOUSEHOLD) {
			case 0 -> "HEAD";
			case 1 -> "SPOUSE";
			case 2 -> "CHILD";
			default -> i % 8 == 3 ? "PARENT" : "TENANT";
		};
	}

	/**
	 * Mostly living here; a few away (still allowed), moved out or deceased (denied at
	 * the gate).
	 */
	private static String status(int i) {
		int r = Math.floorMod(i * 2654435761L, 1000);
		if (r < 5) {
			return "MOVED_OUT";
		}
		if (r < 7) {
			return "DECEASED";
		}
		if (r < 27) {
			return "AWAY";
		}
		return r < 150 ? "RENTING" : "RESIDENT";
	}

	private static String compoundName(int c) {
		String[] names = { "福乐湾小区", "共乐新苑", "福乐家园", "民兴东苑", "大民兴小区", "民兴花园", "兴华小区", "铁路小区", "民兴西苑", "安发小区", "欧洲新城",
				"阳光嘉园", "和平小区", "新华苑", "建设小区", "松花江小区", "文化家园", "学府小区", "电力小区", "丽水苑" };
		return c < names.length ? names[c] : "第" + (c + 1) + "小区";
	}

	private static String room(int h) {
		int building = h / 250 + 1;
		int unit = h % 250 / 50 + 1;
		int floor = h % 50 / 4 + 1;
		int door = h % 4 + 1;
		return building + "栋" + unit + "单元" + floor + String.format("%02d", door) + "室";
	}

	/**
	 * The plans of the scan's queries on this table size, for reading next to the
	 * figures.
	 */
	private void writePlans(String jdbcUrl, long firstResident, List<String> inputs, String token) throws Exception {
		String qr = inputs.get(0).substring(2);
		long passId = Long.parseLong(qr.split("\\.")[1]);
		String hash = "'\\x" + HexFormat.of().formatHex(this.protection.lookupHash("RESIDENT_ID:" + idNumber(7)))
				+ "'::bytea";
		String tokenHash = "'\\x" + HexFormat.of()
			.formatHex(java.security.MessageDigest.getInstance("SHA-256")
				.digest(token.getBytes(StandardCharsets.US_ASCII))) + "'::bytea";
		Map<String, String> queries = new LinkedHashMap<>();
		queries.put("token (ApiTokens.authenticate)", "select account_id from api_token where token_hash = " + tokenHash
				+ " and revoked_at is null and expires_at > now()");
		queries.put("pass (Passes.verify)", "select resident_id, revoked_at from resident_pass where id = " + passId);
		queries.put("resident by id (ResidentDirectory.byId)",
				"select id, name, path, node_id, household_id, status, id_masked from resident where id = "
						+ (firstResident + 7));
		queries.put("resident by ID number (ResidentDirectory.byIdNumber)",
				"select id, name, path, node_id, household_id, status, id_masked from resident where id_hash = "
						+ hash);
		StringBuilder plans = new StringBuilder();
		try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
			for (var q : queries.entrySet()) {
				plans.append("== ").append(q.getKey()).append('\n').append(q.getValue()).append('\n');
				for (int warm = 0; warm < 2; warm++) {
					try (var rs = s.executeQuery("explain (analyze, buffers) " + q.getValue())) {
						while (warm == 1 && rs.next()) {
							plans.append("  ").append(rs.getString(1)).append('\n');
						}
					}
				}
				plans.append('\n');
			}
		}
		Files.writeString(OUT.resolve("gate-scan-plans.txt"), plans.toString(), StandardCharsets.UTF_8);
		log("Query plans: %s", OUT.resolve("gate-scan-plans.txt"));
	}

	// ---- running the load ----

	private Properties run(String phase, Properties params, String jdbcUrl) throws Exception {
		try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
			// Each phase starts from a clean checkpoint, so neither pays for the other's
			// dirty pages.
			s.execute("checkpoint");
		}
		catch (SQLException ex) {
			// the application's role may not run one on the secured embedded database
			log("No CHECKPOINT before %s: %s", phase, ex.getMessage());
		}
		Path paramFile = OUT.resolve("scanload-" + phase + ".properties");
		Path resultFile = OUT.resolve("scanload-" + phase + "-result.properties");
		Path logFile = OUT.resolve("scanload-" + phase + ".log");
		Files.deleteIfExists(resultFile);
		try (Writer w = Files.newBufferedWriter(paramFile)) {
			params.store(w, phase);
		}
		String classpath = String.join(java.io.File.pathSeparator, location(ScanLoad.class), location(Histogram.class),
				location(org.postgresql.Driver.class));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xms256m", "-Xmx512m", "-cp", classpath,
				ScanLoad.class.getName(), paramFile.toString(), resultFile.toString());
		builder.redirectErrorStream(true).redirectOutput(logFile.toFile());
		String loadBefore = loadAverage();
		CpuSample before = CpuSample.now();
		log("Phase %s: %s load from a second JVM, %s connections, %s s warm-up + %s s measured", phase,
				params.getProperty("mode"), params.getProperty("concurrency"), params.getProperty("warmupSeconds"),
				params.getProperty("durationSeconds"));
		Process process = builder.start();
		if (!process.waitFor(Long.parseLong(params.getProperty("warmupSeconds"))
				+ Long.parseLong(params.getProperty("durationSeconds")) + 300L, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("load generator did not stop: see " + logFile);
		}
		CpuSample after = CpuSample.now();
		if (process.exitValue() != 0 || !Files.exists(resultFile)) {
			throw new IllegalStateException(
					"load generator failed (" + process.exitValue() + "): " + Files.readString(logFile));
		}
		Properties result = new Properties();
		try (var r = Files.newBufferedReader(resultFile)) {
			result.load(r);
		}
		result.setProperty("phase", phase);
		double wall = after.wallNanos - before.wallNanos;
		result.setProperty("machineBusy", String.format(Locale.ROOT, "%.0f%%",
				100.0 * (after.busyTicks - before.busyTicks) / Math.max(1, after.totalTicks - before.totalTicks)));
		result.setProperty("appCpu",
				String.format(Locale.ROOT, "%.2f", (after.appCpuNanos - before.appCpuNanos) / wall));
		// The application's own CPU per answered scan (warm-up included on both sides):
		// what other load on the machine stretches in time but does not change.
		result.setProperty("appCpuMsPerOk", String.format(Locale.ROOT, "%.3f", (after.appCpuNanos - before.appCpuNanos)
				/ 1e6 / Math.max(1, Long.parseLong(result.getProperty("totalOk")))));
		// The rest of the busy machine is PostgreSQL (and anything else running on it).
		result.setProperty("loadCpu", String.format(Locale.ROOT, "%.2f",
				Double.parseDouble(result.getProperty("cpuSeconds", "NaN")) / (wall / 1e9)));
		result.setProperty("loadAverage", loadBefore + " → " + loadAverage());
		log("Phase %s: %s/s, p50 %s ms, p99 %s ms, non-2xx %s, errors %s, machine busy %s, app JVM %s cores, "
				+ "app CPU %s ms per 2xx, load JVM %s cores, load average %s", phase, result.getProperty("perSecond"),
				result.getProperty("all.p50ms"), result.getProperty("all.p99ms"), result.getProperty("non2xx"),
				result.getProperty("errors"), result.getProperty("machineBusy"), result.getProperty("appCpu"),
				result.getProperty("appCpuMsPerOk"), result.getProperty("loadCpu"), result.getProperty("loadAverage"));
		return result;
	}

	/** The 1-, 5- and 15-minute load averages, or "?" off Linux. */
	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private static String location(Class<?> type) throws Exception {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
	}

	/** Machine-wide CPU ticks from /proc/stat and this JVM's CPU time. */
	record CpuSample(long wallNanos, long busyTicks, long totalTicks, long appCpuNanos) {

		static CpuSample now() {
			long busy = 0;
			long total = 0;
			try {
				String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
				for (int i = 1; i < f.length; i++) {
					long v = Long.parseLong(f[i]);
					total += v;
					if (i != 4 && i != 5) {
						busy += v;
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// not Linux: no machine figure
			}
			long app = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime();
			return new CpuSample(System.nanoTime(), busy, total, app);
		}

	}

	// ---- checking and reporting ----

	private java.util.stream.Stream<Properties> allHttp() {
		return java.util.stream.Stream.concat(this.unmeasured.stream(), this.results.stream());
	}

	private Map<String, String> verify(long checkpointId) {
		Map<String, String> checks = new LinkedHashMap<>();
		long rows = this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c")
			.param("c", checkpointId)
			.query(Long.class)
			.single();
		long distinct = this.jdbc.sql("select count(distinct idempotency_key) from gate_scan where checkpoint_id = :c")
			.param("c", checkpointId)
			.query(Long.class)
			.single();
		long allow = this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c and decision = 'ALLOW'")
			.param("c", checkpointId)
			.query(Long.class)
			.single();
		long alerts = this.jdbc.sql("select count(*) from checkpoint_alert where checkpoint_id = :c")
			.param("c", checkpointId)
			.query(Long.class)
			.single();
		// Rows written by one statement share its transaction's start (recorded_at): rows
		// per distinct time is the group commit's mean batch
		// (checkpoint.internal.ScanWriter).
		long transactions = this.jdbc.sql("select count(distinct recorded_at) from gate_scan where checkpoint_id = :c")
			.param("c", checkpointId)
			.query(Long.class)
			.single();
		List<String> reasons = this.jdbc.sql("""
				select decision || ' ' || reason || ': ' || count(*) from gate_scan where checkpoint_id = :c
				group by decision, reason order by count(*) desc""")
			.param("c", checkpointId)
			.query(String.class)
			.list();
		long httpOk = allHttp().filter(r -> r.getProperty("mode").equals("http"))
			.mapToLong(r -> Long.parseLong(r.getProperty("totalOk")))
			.sum();
		long answeredAllow = allHttp().filter(r -> r.getProperty("mode").equals("http"))
			.mapToLong(r -> Long.parseLong(r.getProperty("allow")))
			.sum();
		checks.put("2xx answers (all phases, warm-up included)", String.valueOf(httpOk));
		checks.put("gate_scan rows", String.valueOf(rows));
		checks.put("duplicate idempotency keys", String.valueOf(rows - distinct));
		checks.put("ALLOW answers / ALLOW rows", answeredAllow + " / " + allow);
		checks.put("ALLOW share", String.format(Locale.ROOT, "%.4f", rows == 0 ? 0 : (double) allow / rows));
		checks.put("checkpoint alerts (fever)", String.valueOf(alerts));
		checks.put("rows per writing transaction (all phases)",
				String.format(Locale.ROOT, "%.2f", transactions == 0 ? 0 : (double) rows / transactions));
		checks.put("rows by decision and reason", String.join("; ", reasons));
		return checks;
	}

	private String report(Map<String, String> checks) {
		StringBuilder md = new StringBuilder();
		md.append("## Gate scans over HTTP\n\n");
		md.append("Run ")
			.append(OffsetDateTime.now(ZoneOffset.UTC).withNano(0))
			.append(" UTC, `GateScanBenchmark`.\n\n");
		md.append("| Setting | Value |\n|---|---|\n");
		md.append("| Machine | ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" CPUs, ")
			.append(System.getProperty("os.name"))
			.append(' ')
			.append(System.getProperty("os.version"))
			.append(", Java ")
			.append(System.getProperty("java.version"))
			.append(" |\n");
		this.setup.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
		md.append("| Load generator | `ScanLoad`, a second JVM on 127.0.0.1, one keep-alive connection per thread, ")
			.append("one request in flight per connection; first ")
			.append(JIT_WARMUP)
			.append(" s of unmeasured HTTP load for the JIT, then per phase ")
			.append(WARMUP)
			.append(" s warm-up, ")
			.append(DURATION)
			.append(" s measured |\n\n");
		md.append(
				"| Connections | Raw INSERT rows/s | raw p50 / p99 ms | HTTP scans/s | scan p50 / p99 ms | QR p50 / p99 | ID p50 / p99 | Ratio scans ÷ raw | Machine busy (raw / HTTP) | App JVM cores | App CPU ms per scan | Load JVM cores (raw / HTTP) | Load average (raw / HTTP) |\n");
		md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (int i = 0; i + 1 < this.results.size(); i += 2) {
			Properties raw = this.results.get(i);
			Properties http = this.results.get(i + 1);
			double ratio = Double.parseDouble(http.getProperty("perSecond"))
					/ Double.parseDouble(raw.getProperty("perSecond"));
			md.append("| ")
				.append(http.getProperty("concurrency"))
				.append(" | ")
				.append(raw.getProperty("perSecond"))
				.append(" | ")
				.append(raw.getProperty("all.p50ms"))
				.append(" / ")
				.append(raw.getProperty("all.p99ms"))
				.append(" | ")
				.append(http.getProperty("perSecond"))
				.append(" | ")
				.append(http.getProperty("all.p50ms"))
				.append(" / ")
				.append(http.getProperty("all.p99ms"))
				.append(" | ")
				.append(http.getProperty("qr.p50ms"))
				.append(" / ")
				.append(http.getProperty("qr.p99ms"))
				.append(" | ")
				.append(http.getProperty("id.p50ms"))
				.append(" / ")
				.append(http.getProperty("id.p99ms"))
				.append(" | ")
				.append(String.format(Locale.ROOT, "%.2f", ratio))
				.append(" | ")
				.append(raw.getProperty("machineBusy"))
				.append(" / ")
				.append(http.getProperty("machineBusy"))
				.append(" | ")
				.append(http.getProperty("appCpu"))
				.append(" | ")
				.append(http.getProperty("appCpuMsPerOk"))
				.append(" | ")
				.append(raw.getProperty("loadCpu"))
				.append(" / ")
				.append(http.getProperty("loadCpu"))
				.append(" | ")
				.append(raw.getProperty("loadAverage"))
				.append(" / ")
				.append(http.getProperty("loadAverage"))
				.append(" |\n");
		}
		md.append(
				"\nEvery HTTP scan counted is a 2xx answer whose row was committed (synchronous_commit=on) before the answer was sent. ")
			.append("Non-2xx answers and socket errors per phase: ");
		for (Properties r : allHttp().toList()) {
			md.append(r.getProperty("phase"))
				.append(' ')
				.append(r.getProperty("non2xx"))
				.append('/')
				.append(r.getProperty("errors"))
				.append("; ");
		}
		md.append("\n\nChecks after the run:\n\n");
		checks.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
		return md.toString();
	}

	private static void log(String format, Object... args) {
		System.out.println("[GateScanBenchmark] " + String.format(Locale.ROOT, format, args));
	}

}
