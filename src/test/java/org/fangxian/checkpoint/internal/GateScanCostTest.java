package org.fangxian.checkpoint.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Passes;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one gate scan costs the database, counted rather than timed (issue 17;
 * docs/benchmarks.md): round trips (pgjdbc's {@code Sync} messages: each is one wait for
 * PostgreSQL) and statements ({@code Execute} messages, BEGIN and COMMIT included) sent
 * by the request thread of each {@code POST /api/v1/checkpoints/{id}/scans}, read from
 * the driver's own protocol log. Warm (token, account and checkpoint cached, statements
 * prepared), so the figures are those of the steady state, independent of the machine's
 * load. The budgets fail the build when a change adds work to the hot path.
 */
class GateScanCostTest extends IntegrationTest {

	/**
	 * Round trips per warm scan, at most: one read (pass, resident, identity, every
	 * restriction's facts) and one write (the scan and its alert, autocommitted).
	 */
	static final int ROUND_TRIPS_IN = 2;

	static final int ROUND_TRIPS_OUT = 2;

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	Passes passes;

	@Autowired
	ResidentService residents;

	@Autowired
	javax.sql.DataSource dataSource;

	final HttpClient http = HttpClient.newHttpClient();

	/** The protocol messages of a scan's threads while recording. */
	static final class Protocol extends Handler {

		static final java.util.regex.Pattern PARSED = java.util.regex.Pattern
			.compile("FE=> Parse\\(stmt=[^,]*,query=\"(.*)\",oids=", java.util.regex.Pattern.DOTALL);

		final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());

		/** Every statement text sent, in full, for the plans in the report. */
		final java.util.Set<String> texts = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

		@Override
		public void publish(LogRecord record) {
			// The request threads, and the gate's readers and writers they hand a scan to
			// (ScanReads, ScanWriter).
			String thread = Thread.currentThread().getName();
			if (thread.contains("exec") || thread.startsWith("gate-scan-")) {
				String text = record.getParameters() == null ? record.getMessage()
						: MessageFormat.format(record.getMessage(), record.getParameters());
				this.messages.add(text.trim());
				java.util.regex.Matcher query = PARSED.matcher(text);
				if (query.find()) {
					this.texts.add(query.group(1));
				}
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

		long count(String prefix) {
			synchronized (this.messages) {
				return this.messages.stream().filter(m -> m.startsWith(prefix)).count();
			}
		}

	}

	record Cost(String scan, double roundTrips, double statements, List<String> texts) {
	}

	@Test
	void aWarmScanCostsAFewRoundTripsAndStatements() throws Exception {
		TestData.Tree tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		Checkpoint gate = this.checkpoints.create(worker,
				new Checkpoints.NewCheckpoint(tree.communityA1().id(), "东门", "07:00-21:00", 2));
		String idNumber = TestIdNumbers.next();
		long resident = this.residents.create(worker, new ResidentService.ResidentForm("王建国", null, idNumber,
				"13800000000", tree.communityA1().id(), "101", "户主", null, "常住", null));
		String qr = this.passes.current(worker, resident).qr();
		String token = this.data.token(baseUrl(), this.data.account(Role.CHECKPOINT_GUARD, tree.communityA1()));
		String uri = baseUrl() + "/api/v1/checkpoints/" + gate.id() + "/scans";

		// Each scan carries its own time, as the gate page sends it: a retry then lands
		// in
		// the same month's partition with one insert (a scan without one is timed by the
		// server and costs one statement more, the key's lock).
		String time = ",\"scannedAt\":\"" + java.time.Instant.now().minusSeconds(5) + "\"";
		Map<String, String> bodies = new LinkedHashMap<>();
		bodies.put("QR, IN, allowed", "{\"qr\":\"" + qr + "\",\"direction\":\"IN\",\"temperature\":36.5" + time);
		bodies.put("QR, OUT, allowed", "{\"qr\":\"" + qr + "\",\"direction\":\"OUT\",\"temperature\":36.5" + time);
		bodies.put("ID number, IN, allowed", "{\"idNumber\":\"" + idNumber + "\",\"direction\":\"IN\"" + time);
		bodies.put("QR, IN, fever (denied, alert)",
				"{\"qr\":\"" + qr + "\",\"direction\":\"IN\",\"temperature\":38.6" + time);

		Logger driver = Logger.getLogger("org.postgresql");
		Level level = driver.getLevel();
		boolean parents = driver.getUseParentHandlers();
		Protocol protocol = new Protocol();
		List<Cost> costs = new ArrayList<>();
		try {
			driver.setUseParentHandlers(false);
			driver.addHandler(protocol);
			driver.setLevel(Level.FINEST);
			for (Map.Entry<String, String> kind : bodies.entrySet()) {
				// Warm: caches filled, statements prepared on the server. The texts are
				// those sent while warming up (pgjdbc sends a statement's text until its
				// fifth use on a connection).
				java.util.Set<String> texts = new java.util.LinkedHashSet<>();
				for (int i = 0; i < 6; i++) {
					protocol.messages.clear();
					assertThat(post(uri, token, kind.getValue(), UUID.randomUUID().toString())).isEqualTo(200);
					texts.addAll(parsed(protocol));
				}
				int n = 10;
				protocol.messages.clear();
				for (int i = 0; i < n; i++) {
					assertThat(post(uri, token, kind.getValue(), UUID.randomUUID().toString())).isEqualTo(200);
				}
				costs.add(new Cost(kind.getKey(), protocol.count("FE=> Sync") / (double) n,
						protocol.count("FE=> Execute") / (double) n, List.copyOf(texts)));
			}
			// A retry of a recorded key: its first answer, nothing recorded.
			String key = UUID.randomUUID().toString();
			String body = bodies.get("QR, IN, allowed");
			assertThat(post(uri, token, body, key)).isEqualTo(200);
			protocol.messages.clear();
			assertThat(post(uri, token, body, key)).isEqualTo(200);
			costs.add(new Cost("QR, IN, the same key again (replayed)", protocol.count("FE=> Sync"),
					protocol.count("FE=> Execute"), parsed(protocol)));
		}
		finally {
			driver.setLevel(level);
			driver.removeHandler(protocol);
			driver.setUseParentHandlers(parents);
		}

		StringBuilder report = new StringBuilder(
				"Gate scan cost (warm, per scan, request thread and the gate's reader and writer)\n");
		for (Cost cost : costs) {
			report.append(String.format("%-40s round trips %5.1f   statements %5.1f%n", cost.scan(), cost.roundTrips(),
					cost.statements()));
			cost.texts().forEach(text -> report.append("      ").append(text).append('\n'));
		}
		report.append("Triggers on gate_scan (work inside the insert, no round trip): ")
			.append(this.jdbc.sql("""
					select string_agg(tgname || ' → ' || tgfoid::regproc, ', ' order by tgname) from pg_trigger
					where tgrelid = 'gate_scan'::regclass and not tgisinternal""").query(String.class).single())
			.append('\n');
		// The plans of the scan's own statements as PostgreSQL would run them with any
		// parameters (a generic plan), for reading; the test's tables are small.
		// (generic_plan needs the simple query protocol: the $n stay unbound.)
		com.zaxxer.hikari.HikariDataSource pool = (com.zaxxer.hikari.HikariDataSource) this.dataSource;
		try (java.sql.Connection simple = java.sql.DriverManager.getConnection(
				pool.getJdbcUrl() + (pool.getJdbcUrl().contains("?") ? "&" : "?") + "preferQueryMode=simple",
				pool.getUsername(), pool.getPassword()); java.sql.Statement statement = simple.createStatement()) {
			synchronized (protocol.texts) {
				for (String text : protocol.texts) {
					if (text.startsWith("select true as pass_found") || text.startsWith("select false as pass_found")
							|| text.startsWith("with scan as")) {
						report.append("\nPlan of: ").append(text.replaceAll("\\s+", " ")).append('\n');
						try (java.sql.ResultSet plan = statement.executeQuery("explain (generic_plan) " + text)) {
							while (plan.next()) {
								report.append("  ").append(plan.getString(1)).append('\n');
							}
						}
					}
				}
			}
		}
		System.out.println(report);
		Path out = Path.of("target/bench/gate-scan-cost.txt");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report);

		// The counter counts (a scan reads and writes), and the hot path stays within its
		// budget.
		assertThat(costs).allSatisfy(cost -> assertThat(cost.roundTrips()).isGreaterThanOrEqualTo(1));
		assertThat(costs.get(0).roundTrips()).isLessThanOrEqualTo(ROUND_TRIPS_IN);
		assertThat(costs.get(1).roundTrips()).isLessThanOrEqualTo(ROUND_TRIPS_OUT);
		assertThat(costs.get(2).roundTrips()).isLessThanOrEqualTo(ROUND_TRIPS_IN);
		assertThat(this.jdbc.sql("select count(*) from gate_scan where checkpoint_id = :c")
			.param("c", gate.id())
			.query(Long.class)
			.single()).isEqualTo(bodies.size() * 16 + 1);
	}

	private static List<String> parsed(Protocol protocol) {
		synchronized (protocol.messages) {
			return protocol.messages.stream()
				.filter(m -> m.startsWith("FE=> Parse("))
				.map(m -> m.replaceAll("\\s+", " ")
					.replaceFirst("^FE=> Parse\\(stmt=[^,]*,query=\"", "")
					.replaceFirst("\",oids=.*$", ""))
				.map(m -> m.length() > 240 ? m.substring(0, 240) + " …" : m)
				.toList();
		}
	}

	private int post(String uri, String token, String body, String key) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body + ",\"idempotencyKey\":\"" + key + "\"}"))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
	}

}
