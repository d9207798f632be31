package org.fangxian.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database restarted under load (issue 17): guards' phones keep sending keyed scans
 * through the HTTP API while PostgreSQL is stopped (fast shutdown: open transactions roll
 * back, connections are cut) and started again on the same folder and port. A failed scan
 * is sent again with its key until it is answered. Afterwards every acknowledged scan is
 * one row and no row is doubled, and the application recovered without a restart of its
 * own: its pool reconnected and the token cache listens again.
 */
@Tag("integration")
class DatabaseRestartTest {

	ConfigurableApplicationContext node;

	Path dir;

	final HttpClient http = TwoNodes.http();

	@AfterEach
	void stop() throws Exception {
		if (this.node != null) {
			Object database = this.node.getBean("embeddedDatabase");
			this.node.close();
			((AutoCloseable) database).close();
		}
		if (this.dir != null) {
			FileSystemUtils.deleteRecursively(this.dir);
		}
	}

	@Test
	void keyedScansAcrossARestartAreEachOneRowAndTheAppRecoversOnItsOwn() throws Exception {
		this.dir = TwoNodes.installation("db-restart");
		this.node = TwoNodes.start(this.dir,
				Map.of("fangxian.idempotency.lease", "3s", "fangxian.idempotency.renew-ms", "1000"));
		String url = TwoNodes.url(this.node);
		JdbcClient jdbc = this.node.getBean(JdbcClient.class);
		TestData data = this.node.getBean(TestData.class);
		TestData.Tree tree = data.tree();
		CurrentUser worker = data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		Checkpoint gate = this.node.getBean(Checkpoints.class)
			.create(worker, new Checkpoints.NewCheckpoint(tree.communityA1().id(), "西门", "00:00-24:00", 1));
		String idNumber = TestIdNumbers.next();
		this.node.getBean(ResidentService.class)
			.create(worker, new ResidentService.ResidentForm("吴芳", null, idNumber, null, tree.communityA1().id(), "1",
					null, null, "常住", null));
		String token = data.token(url, data.account(Role.CHECKPOINT_GUARD, tree.communityA1()));
		await(() -> listeners(jdbc) == 1, "the token cache listens");
		Path pgData = this.dir.resolve("postgres");

		int clients = 4;
		int perClient = 60;
		Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
		AtomicInteger failures = new AtomicInteger();
		Map<Integer, Integer> refusals = new ConcurrentHashMap<>();
		AtomicInteger afterRestart = new AtomicInteger();
		AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
		ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
		List<Future<?>> running = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			running.add(pool.submit(() -> {
				for (int i = 0; i < perClient; i++) {
					String key = UUID.randomUUID().toString();
					for (int attempt = 0;; attempt++) {
						assertThat(attempt).as("scan %s answered within 300 tries", key).isLessThan(300);
						try {
							HttpResponse<String> answer = TwoNodes.scan(this.http, url, token, gate.id(), idNumber,
									key);
							if (answer.statusCode() / 100 == 2) {
								acknowledged.put(key, answer.statusCode());
								if (System.nanoTime() > restartedAt.get()) {
									afterRestart.incrementAndGet();
								}
								break;
							}
							refusals.merge(answer.statusCode(), 1, Integer::sum);
						}
						catch (IOException ex) {
							// timed out or cut: sent again below
						}
						failures.incrementAndGet();
						Thread.sleep(Math.min(20L * (attempt + 1), 250));
					}
				}
				return null;
			}));
		}
		Future<?> restart = pool.submit(() -> {
			while (acknowledged.size() < clients * perClient / 4) {
				Thread.sleep(5);
			}
			pgCtl(pgData, "stop", "-m", "fast", "-w", "-t", "30");
			Thread.sleep(2000);
			start(pgData);
			restartedAt.set(System.nanoTime());
			return null;
		});
		restart.get(120, TimeUnit.SECONDS);
		for (Future<?> client : running) {
			client.get(180, TimeUnit.SECONDS);
		}
		pool.shutdown();
		System.out.printf(
				"Database restart: %d scans acknowledged, %d after the restart, %d failed tries retried (answers %s)%n",
				acknowledged.size(), afterRestart.get(), failures.get(), refusals);

		List<Map<String, Object>> rows = jdbc.sql(
				"select idempotency_key, count(*) as n from gate_scan where checkpoint_id = :c group by idempotency_key")
			.param("c", gate.id())
			.query()
			.listOfRows();
		assertThat(acknowledged).hasSize(clients * perClient);
		assertThat(failures.get()).as("the restart failed requests in flight").isPositive();
		assertThat(refusals.keySet()).as("an unreachable database is a 503 to retry, not an error of the server")
			.doesNotContain(500);
		assertThat(afterRestart.get()).as("scans served after the restart, the application not restarted").isPositive();
		assertThat(rows).as("one row per acknowledged scan").hasSize(acknowledged.size()).allSatisfy(row -> {
			assertThat(((Number) row.get("n")).intValue()).isEqualTo(1);
		});
		assertThat(rows.stream().map(row -> (String) row.get("idempotency_key")).toList())
			.containsExactlyInAnyOrderElementsOf(acknowledged.keySet());

		// The token cache's listening connection came back by itself, and a revocation
		// made in the database reaches it again.
		await(() -> listeners(jdbc) == 1, "the token cache listens again after the restart");
		String guard = data.account(Role.CHECKPOINT_GUARD, tree.communityA1());
		String other = data.token(url, guard);
		String counters = url + "/api/v1/checkpoints/" + gate.id() + "/counters";
		assertThat(get(counters, other).statusCode()).isEqualTo(200);
		jdbc.sql(
				"update api_token set revoked_at = now() where account_id = (select id from account where username = :u)")
			.param("u", guard)
			.update();
		long from = System.nanoTime();
		await(() -> get(counters, other).statusCode() == 401, "the revoked token is refused");
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from)).isLessThan(1000);
	}

	private static long listeners(JdbcClient jdbc) {
		return jdbc.sql("select count(*) from pg_stat_activity where query ilike 'listen fangxian_auth%'")
			.query(Long.class)
			.single();
	}

	/**
	 * Starts the server again as it ran: the options zonky gave it are in
	 * postmaster.opts.
	 */
	private static void start(Path pgData) throws Exception {
		String opts = Files.readString(pgData.resolve("postmaster.opts"), StandardCharsets.UTF_8).strip();
		String options = opts.substring(opts.indexOf(' ') + 1);
		pgCtl(pgData, "start", "-w", "-t", "60", "-l", pgData.resolveSibling("restart.log").toString(), "-o", options);
	}

	/** Runs pg_ctl of the embedded binaries, as zonky does (unshared when root). */
	private static void pgCtl(Path pgData, String... args) throws Exception {
		String opts = Files.readString(pgData.resolve("postmaster.opts"), StandardCharsets.UTF_8).strip();
		Path postgres = Path.of(opts.substring(0, opts.indexOf(' ')));
		List<String> command = new ArrayList<>();
		if (LinuxUtils.isUnshareAvailable()) {
			command.addAll(List.of("unshare", "-U"));
		}
		command.add(postgres.resolveSibling("pg_ctl").toString());
		command.add(args[0]);
		command.addAll(List.of("-D", pgData.toString()));
		command.addAll(List.of(args).subList(1, args.length));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(pgData.resolveSibling("pg_ctl.out").toFile())
			.start();
		assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("pg_ctl %s finished", args[0]).isTrue();
		assertThat(process.exitValue())
			.as("pg_ctl %s: %s", args[0], Files.readString(pgData.resolveSibling("pg_ctl.out"), StandardCharsets.UTF_8))
			.isZero();
	}

	private HttpResponse<String> get(String url, String token) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(10))
				.header("Authorization", "Bearer " + token)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void await(BooleanSupplier condition, String what) {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				throw new AssertionError("not within 30 s: " + what);
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
