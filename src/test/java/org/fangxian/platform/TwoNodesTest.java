package org.fangxian.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.WebSession;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.notification.Outbox;
import org.fangxian.notification.internal.SmscSimulator;
import org.fangxian.registry.ResidentService;
import org.fangxian.reporting.internal.DailyReports;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.PhoneNumber;
import org.fangxian.task.internal.Escalations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application nodes on one PostgreSQL (issue 17), both whole applications in this JVM
 * on their own ports, as behind a proxy without stickiness: a session signed in on one is
 * valid on the other; a token revoked through one is refused by the other within a second
 * (the cache follows NOTIFY); the outbox, sent by both nodes' senders at once, reaches
 * the SMS centre once per message; scheduled jobs fired on both nodes at the same moment
 * do their work once; and under keyed scans alternating between the nodes, node 2 shut
 * down abruptly mid-load loses no acknowledged scan and doubles none.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesTest {

	SmscSimulator smsc;

	ConfigurableApplicationContext node1;

	ConfigurableApplicationContext node2;

	String url1;

	String url2;

	JdbcClient jdbc;

	TestData data;

	TestData.Tree tree;

	final HttpClient http = TwoNodes.http();

	Path dir;

	@BeforeAll
	void start() throws Exception {
		this.smsc = new SmscSimulator();
		Path dir = TwoNodes.installation("two-nodes");
		this.dir = dir;
		Map<String, String> common = Map.ofEntries(Map.entry("fangxian.outbox.dispatch-enabled", "true"),
				Map.entry("fangxian.outbox.poll-ms", "200"), Map.entry("fangxian.outbox.first-poll-ms", "200"),
				Map.entry("fangxian.smpp.host", "localhost"),
				Map.entry("fangxian.smpp.port", String.valueOf(this.smsc.port)),
				Map.entry("fangxian.smpp.system-id", SmscSimulator.SYSTEM_ID),
				Map.entry("fangxian.smpp.password", SmscSimulator.PASSWORD), Map.entry("fangxian.smpp.rate", "100"),
				// a node that dies leaves its keys leased: seconds here, a minute in
				// production
				Map.entry("fangxian.idempotency.lease", "3s"), Map.entry("fangxian.idempotency.renew-ms", "1000"));
		// Both at once, as a deployment starts them: the migrations and the first
		// administrator are made once.
		CompletableFuture<ConfigurableApplicationContext> first = CompletableFuture
			.supplyAsync(() -> TwoNodes.start(dir, common));
		Map<String, String> abrupt = new java.util.HashMap<>(common);
		abrupt.put("server.shutdown", "immediate");
		CompletableFuture<ConfigurableApplicationContext> second = CompletableFuture
			.supplyAsync(() -> TwoNodes.start(dir, abrupt));
		this.node1 = first.get(300, TimeUnit.SECONDS);
		this.node2 = second.get(300, TimeUnit.SECONDS);
		this.url1 = TwoNodes.url(this.node1);
		this.url2 = TwoNodes.url(this.node2);
		this.jdbc = this.node1.getBean(JdbcClient.class);
		this.data = this.node1.getBean(TestData.class);
		this.tree = this.data.tree();
	}

	@AfterAll
	void stop() throws Exception {
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { this.node2, this.node1 }) {
			if (node != null && node.isActive()) {
				Object database = node.containsBean("embeddedDatabase") ? node.getBean("embeddedDatabase") : null;
				node.close();
				if (node == this.node1 && database instanceof AutoCloseable closeable) {
					closeable.close();
				}
			}
		}
		if (this.smsc != null) {
			this.smsc.close();
		}
		if (this.dir != null) {
			org.springframework.util.FileSystemUtils.deleteRecursively(this.dir);
		}
	}

	@Test
	@Order(1)
	void aSessionSignedInOnOneNodeIsValidOnTheOther() {
		String username = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1());
		WebSession onNode1 = WebSession.signIn(this.url1, username);
		HttpResponse<String> page = onNode1.on(this.url2).get("/residents");
		assertThat(page.statusCode()).as("node 2 serves the page to node 1's session").isEqualTo(200);
		// the same page without the session is sent to sign in
		HttpResponse<String> stranger = get(this.url2 + "/residents", null);
		assertThat(stranger.statusCode()).isEqualTo(302);
		assertThat(stranger.headers().firstValue("Location").orElse("")).contains("/login");
	}

	@Test
	@Order(2)
	void aTokenRevokedThroughNode1IsRefusedByNode2WithinASecond() throws Exception {
		await(() -> listeners() >= 2, "both nodes listen on fangxian_auth");
		String username = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1());
		String token = this.data.token(this.url1, username);
		String path = "/api/v1/checkpoints";
		// node 2 has the token in memory now
		assertThat(get(this.url2 + path, token).statusCode()).isEqualTo(200);
		assertThat(get(this.url2 + path, token).statusCode()).isEqualTo(200);

		HttpResponse<String> revoked = this.http
			.send(HttpRequest.newBuilder(URI.create(this.url1 + "/api/v1/auth/token"))
				.header("Authorization", "Bearer " + token)
				.DELETE()
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(revoked.statusCode()).isEqualTo(204);
		long from = System.nanoTime();
		int status;
		do {
			status = get(this.url2 + path, token).statusCode();
		}
		while (status == 200 && System.nanoTime() - from < TimeUnit.SECONDS.toNanos(5));
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);
		assertThat(status).as("node 2 refuses the revoked token").isEqualTo(401);
		assertThat(millis).as("node 2 refused it after %d ms", millis).isLessThan(1000);
	}

	@Test
	@Order(3)
	void theOutboxSentByBothNodesReachesTheCentreOncePerMessage() {
		String prefix = "two-nodes:" + UUID.randomUUID() + ":";
		int count = 40;
		List<String> phones = new ArrayList<>();
		TransactionTemplate tx = this.node1.getBean(TransactionTemplate.class);
		Outbox outbox = this.node1.getBean(Outbox.class);
		tx.executeWithoutResult(status -> {
			for (int i = 0; i < count; i++) {
				String phone = "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
				phones.add(phone);
				outbox.queue(new Outbox.Sms(prefix + i, PhoneNumber.parse(phone).orElseThrow(),
						"sms.task.handoverUnassigned", List.of(String.valueOf(i)), this.tree.communityA1().path()));
			}
		});
		await(() -> this.jdbc
			.sql("select count(*) from outbox_message where dedupe_key like :p and status = 'SUBMITTED'")
			.param("p", prefix + "%")
			.query(Long.class)
			.single() == count, "all " + count + " submitted");
		List<String> reached = this.smsc.submits.stream()
			.map(SmscSimulator.Submit::destination)
			.filter(d -> phones.stream().anyMatch(d::endsWith))
			.toList();
		assertThat(reached).as("each message once at the centre").hasSize(count);
		assertThat(Set.copyOf(reached)).hasSize(Set.copyOf(phones).size());
		assertThat(this.smsc.binds.get()).as("both nodes' senders were bound").isGreaterThanOrEqualTo(2);
	}

	@Test
	@Order(4)
	void scheduledJobsFiredOnBothNodesAtOnceDoTheirWorkOnce() throws Exception {
		// an overdue work order, raised by the escalation job of both nodes at once
		String token = this.data.token(this.url1, this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1()));
		HttpResponse<String> order = this.http.send(
				HttpRequest.newBuilder(URI.create(this.url1 + "/api/v1/work-orders"))
					.header("Authorization", "Bearer " + token)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"12345\",\"content\":\"楼道灯不亮\","
							+ "\"callerPhone\":\"13900139305\",\"nodeId\":" + this.tree.communityA1().id()
							+ ",\"category\":\"环境卫生\"}"))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
		long task = Long.parseLong(order.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
		this.jdbc
			.sql("update task set created_at = now() - interval '10 hours', due_at = now() - interval '1 hour' "
					+ "where id = :id")
			.param("id", task)
			.update();
		Escalations escalations1 = this.node1.getBean(Escalations.class);
		Escalations escalations2 = this.node2.getBean(Escalations.class);
		both(escalations1::run, escalations2::run);
		assertThat(this.jdbc.sql("select count(*) from task_event where task_id = :id and kind = 'ESCALATED'")
			.param("id", task)
			.query(Long.class)
			.single()).as("escalated once").isEqualTo(1);
		assertThat(this.jdbc.sql("select escalation_level from task where id = :id")
			.param("id", task)
			.query(Integer.class)
			.single()).isEqualTo(1);

		// the evening's report drafts, generated by both nodes' schedules at once
		CurrentUser system = new CurrentUser(0, "system", "系统", Role.HQ_ADMIN, null, "/");
		LocalDate day = LocalDate.now(ZoneId.of("Asia/Shanghai")).minusDays(1);
		DailyReports reports1 = this.node1.getBean(DailyReports.class);
		DailyReports reports2 = this.node2.getBean(DailyReports.class);
		List<Integer> made = both(() -> reports1.generateDrafts(system, day),
				() -> reports2.generateDrafts(system, day));
		long drafts = this.jdbc.sql("select count(*) from daily_report where day = :d")
			.param("d", java.sql.Date.valueOf(day))
			.query(Long.class)
			.single();
		long streetsAndDistricts = this.jdbc
			.sql("select count(*) from division_node where kind in ('STREET', 'DISTRICT')")
			.query(Long.class)
			.single();
		assertThat(drafts).isEqualTo(streetsAndDistricts);
		assertThat(made.get(0) + made.get(1)).as("drafts made by each node: %s", made).isEqualTo((int) drafts);
		assertThat(made).as("one node made them all, the other found them made").contains(0);
	}

	/**
	 * Keyed scans alternate between the nodes; a failed one is sent again to node 1 with
	 * the same key until it is answered. Node 2 is shut down abruptly in the middle.
	 */
	@Test
	@Order(5)
	void node2ShutDownMidLoadLosesNoAcknowledgedScanAndDoublesNone() throws Exception {
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		Checkpoint gate = this.node1.getBean(Checkpoints.class)
			.create(worker, new Checkpoints.NewCheckpoint(this.tree.communityA1().id(), "南门", "00:00-24:00", 1));
		String idNumber = TestIdNumbers.next();
		this.node1.getBean(ResidentService.class)
			.create(worker, new ResidentService.ResidentForm("周明", null, idNumber, null, this.tree.communityA1().id(),
					"1", null, null, "常住", null));
		String token = this.data.token(this.url1, this.data.account(Role.CHECKPOINT_GUARD, this.tree.communityA1()));

		int clients = 4;
		int perClient = 60;
		Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
		AtomicInteger answeredByNode2 = new AtomicInteger();
		AtomicInteger failedOnNode2 = new AtomicInteger();
		AtomicInteger retries = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
		List<Future<?>> running = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			int client = c;
			running.add(pool.submit(() -> {
				for (int i = 0; i < perClient; i++) {
					String key = UUID.randomUUID().toString();
					boolean toNode2 = (i + client) % 2 == 1;
					String url = toNode2 ? this.url2 : this.url1;
					for (int attempt = 0;; attempt++) {
						assertThat(attempt).as("scan %s answered within 300 tries", key).isLessThan(300);
						try {
							HttpResponse<String> answer = TwoNodes.scan(this.http, url, token, gate.id(), idNumber,
									key);
							if (answer.statusCode() / 100 == 2) {
								acknowledged.put(key, answer.statusCode());
								if (url.equals(this.url2)) {
									answeredByNode2.incrementAndGet();
								}
								break;
							}
						}
						catch (IOException ex) {
							// connection refused or cut: node 2 is going or gone
						}
						if (url.equals(this.url2)) {
							failedOnNode2.incrementAndGet();
						}
						retries.incrementAndGet();
						url = this.url1;
						Thread.sleep(Math.min(20L * (attempt + 1), 250));
					}
				}
				return null;
			}));
		}
		Future<?> shutdown = pool.submit(() -> {
			while (acknowledged.size() < clients * perClient / 3) {
				Thread.sleep(5);
			}
			this.node2.close();
			return null;
		});
		for (Future<?> client : running) {
			client.get(120, TimeUnit.SECONDS);
		}
		shutdown.get(60, TimeUnit.SECONDS);
		pool.shutdown();

		System.out.printf(
				"Two nodes: %d scans acknowledged, %d by node 2 before it went; %d tries on node 2 failed, %d retries%n",
				acknowledged.size(), answeredByNode2.get(), failedOnNode2.get(), retries.get());
		List<Map<String, Object>> rows = this.jdbc.sql(
				"select idempotency_key, count(*) as n from gate_scan where checkpoint_id = :c group by idempotency_key")
			.param("c", gate.id())
			.query()
			.listOfRows();
		assertThat(acknowledged).hasSize(clients * perClient);
		assertThat(answeredByNode2.get()).as("node 2 took part before it went").isPositive();
		assertThat(rows)
			.as("one row per acknowledged scan (node 2 failed %d, %d retries)", failedOnNode2.get(), retries.get())
			.hasSize(acknowledged.size())
			.allSatisfy(row -> assertThat(((Number) row.get("n")).intValue()).isEqualTo(1));
		assertThat(rows.stream().map(row -> (String) row.get("idempotency_key")).toList())
			.containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
	}

	private long listeners() {
		return this.jdbc.sql("select count(*) from pg_stat_activity where query ilike 'listen fangxian_auth%'")
			.query(Long.class)
			.single();
	}

	private HttpResponse<String> get(String url, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Runs both at the same moment, as two nodes' schedulers firing together. */
	@SafeVarargs
	private static <T> List<T> both(java.util.concurrent.Callable<T>... jobs) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(jobs.length);
		java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
		List<Future<T>> futures = new ArrayList<>();
		for (java.util.concurrent.Callable<T> job : jobs) {
			futures.add(pool.submit(() -> {
				go.await();
				return job.call();
			}));
		}
		go.countDown();
		List<T> results = new ArrayList<>();
		for (Future<T> future : futures) {
			results.add(future.get(60, TimeUnit.SECONDS));
		}
		pool.shutdown();
		return results;
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
