package org.fangxian.notification.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.notification.Outbox;
import org.fangxian.notification.SmsGateway;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.shared.PhoneNumber;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox against the embedded PostgreSQL: queued with the change, sent once, retried,
 * given up.
 */
class OutboxTest extends IntegrationTest {

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	PersonalDataProtection protection;

	/**
	 * A gateway that records what it was given and fails the first {@code failures}
	 * calls.
	 */
	static class ScriptedGateway implements SmsGateway {

		final List<Sms> sent = new CopyOnWriteArrayList<>();

		int failures;

		boolean reject;

		boolean unavailable;

		@Override
		public String send(Sms sms) {
			if (this.unavailable) {
				throw new Unavailable("not connected");
			}
			if (this.reject) {
				throw new Rejected("number does not exist");
			}
			if (this.failures > 0) {
				this.failures--;
				throw new IllegalStateException("gateway timeout");
			}
			this.sent.add(sms);
			return "ref-" + sms.messageId();
		}

	}

	ScriptedGateway gateway;

	OutboxDispatcher dispatcher;

	String prefix;

	TestData.NodeRef community;

	@BeforeEach
	void setUp() {
		this.gateway = new ScriptedGateway();
		this.dispatcher = new OutboxDispatcher(this.jdbc, this.tx, this.protection, this.gateway, Clock.systemUTC(), 3,
				2);
		this.prefix = "test:" + UUID.randomUUID() + ":";
		this.community = this.data.tree().communityA1();
		// Messages of earlier tests must not be sent by this test's dispatcher.
		this.jdbc.sql("update outbox_message set status = 'FAILED' where status in ('PENDING', 'SENDING')").update();
	}

	private boolean queue(String key, String phone) {
		return this.tx.execute(
				status -> this.outbox.queue(new Outbox.Sms(this.prefix + key, PhoneNumber.parse(phone).orElseThrow(),
						"sms.testing.reminder", List.of("福乐湾社区", "18:00", "社区广场采样点"), this.community.path())));
	}

	private String status(String key) {
		return this.jdbc.sql("select status from outbox_message where dedupe_key = :k")
			.param("k", this.prefix + key)
			.query(String.class)
			.single();
	}

	@Test
	void queuedTextIsRenderedInChineseStoredEncryptedAndSentOnce() {
		assertTrue(queue("a", "+86 138-0013-8000"));
		assertFalse(queue("a", "13800138000"), "the same dedupe key queues nothing new");
		byte[] cipher = this.jdbc.sql("select phone_cipher from outbox_message where dedupe_key = :k")
			.param("k", this.prefix + "a")
			.query(byte[].class)
			.single();
		assertFalse(new String(cipher, java.nio.charset.StandardCharsets.ISO_8859_1).contains("13800138000"));

		assertEquals(1, this.dispatcher.dispatchDue());
		assertEquals(1, this.gateway.sent.size());
		assertEquals("13800138000", this.gateway.sent.get(0).to().value());
		assertTrue(this.gateway.sent.get(0).text().contains("福乐湾"), this.gateway.sent.get(0).text());
		assertEquals("SUBMITTED", status("a"));
		assertEquals(0, this.dispatcher.dispatchDue(), "a sent message is never sent again");
		assertEquals(1, this.gateway.sent.size());
	}

	@Test
	void rollbackOfTheCausingChangeQueuesNothing() {
		assertThrows(IllegalStateException.class, () -> this.tx.executeWithoutResult(status -> {
			this.outbox.queue(new Outbox.Sms(this.prefix + "rolled", PhoneNumber.parse("13800138001").orElseThrow(),
					"sms.testing.reminder", List.of("x", "y", "z"), this.community.path()));
			throw new IllegalStateException("the business change failed");
		}));
		assertEquals(0,
				this.jdbc.sql("select count(*) from outbox_message where dedupe_key = :k")
					.param("k", this.prefix + "rolled")
					.query(Long.class)
					.single());
	}

	@Test
	void queueingOutsideATransactionIsRefused() {
		assertThrows(RuntimeException.class, () -> this.outbox.queue(new Outbox.Sms(this.prefix + "loose",
				PhoneNumber.parse("13800138001").orElseThrow(), "sms.testing.reminder", List.of("x", "y", "z"), null)));
	}

	@Test
	void transientFailuresAreRetriedAfterAPauseThenSent() {
		queue("retry", "13800138002");
		this.gateway.failures = 1;
		Instant now = Instant.now();
		assertEquals(1, this.dispatcher.dispatch(now));
		assertEquals("PENDING", status("retry"));
		// Counted by this test's own message: a scheduled job of the shared context may
		// queue a text of its own meanwhile, and the dispatcher sends that one too.
		this.dispatcher.dispatch(now.plusSeconds(30));
		assertEquals("PENDING", status("retry"), "not due again before the pause");
		assertEquals(0, this.gateway.sent.stream().filter(sms -> sms.to().value().equals("13800138002")).count(),
				"not due again before the pause");
		this.dispatcher.dispatch(now.plus(Duration.ofMinutes(2)));
		assertEquals("SUBMITTED", status("retry"));
		assertEquals(1, this.gateway.sent.stream().filter(sms -> sms.to().value().equals("13800138002")).count());
		assertEquals(2,
				this.jdbc.sql("select attempts from outbox_message where dedupe_key = :k")
					.param("k", this.prefix + "retry")
					.query(Integer.class)
					.single());
	}

	@Test
	void tooManyFailuresOrARefusalEndInFailed() {
		queue("hopeless", "13800138003");
		this.gateway.failures = 100;
		Instant now = Instant.now();
		for (int i = 0; i < 5; i++) {
			this.dispatcher.dispatch(now.plus(Duration.ofHours(3L * i)));
		}
		assertEquals("FAILED", status("hopeless"));
		assertEquals(3,
				this.jdbc.sql("select attempts from outbox_message where dedupe_key = :k")
					.param("k", this.prefix + "hopeless")
					.query(Integer.class)
					.single(),
				"max attempts is 3 for this dispatcher");

		queue("refused", "13800138004");
		this.gateway.failures = 0;
		this.gateway.reject = true;
		assertEquals(1, this.dispatcher.dispatchDue());
		assertEquals("FAILED", status("refused"));
		assertTrue(this.gateway.sent.isEmpty());
	}

	@Test
	void twoDispatchersRunningAtOnceSendEachMessageOnce() throws Exception {
		for (int i = 0; i < 40; i++) {
			queue("many-" + i, "1380013" + String.format("%04d", i));
		}
		OutboxDispatcher other = new OutboxDispatcher(this.jdbc, this.tx, this.protection, this.gateway,
				Clock.systemUTC(), 3, 2);
		List<Thread> threads = new ArrayList<>();
		for (OutboxDispatcher d : List.of(this.dispatcher, other)) {
			Thread t = new Thread(d::dispatchDue);
			threads.add(t);
			t.start();
		}
		for (Thread t : threads) {
			t.join();
		}
		assertEquals(40, this.gateway.sent.size());
		assertEquals(40, this.gateway.sent.stream().map(SmsGateway.Sms::messageId).distinct().count());
	}

	@Test
	void aClaimLeftByACrashIsReleasedAndSentWithTheSameMessageId() {
		queue("crash", "13800138005");
		long id = this.jdbc.sql("select id from outbox_message where dedupe_key = :k")
			.param("k", this.prefix + "crash")
			.query(Long.class)
			.single();
		Instant crashAt = Instant.now();
		// What a crash between claiming and recording leaves: SENDING with an old claim.
		this.jdbc.sql("update outbox_message set status = 'SENDING', attempts = 1, claimed_at = :at where id = :id")
			.param("at", java.sql.Timestamp.from(crashAt))
			.param("id", id)
			.update();
		assertEquals(0, this.dispatcher.dispatch(crashAt.plus(Duration.ofMinutes(1))), "a fresh claim is left alone");
		assertEquals(1, this.dispatcher.dispatch(crashAt.plus(Duration.ofMinutes(11))));
		assertEquals(id, this.gateway.sent.get(0).messageId());
		assertEquals("SUBMITTED", status("crash"));
	}

	private int attempts(String key) {
		return this.jdbc.sql("select attempts from outbox_message where dedupe_key = :k")
			.param("k", this.prefix + key)
			.query(Integer.class)
			.single();
	}

	@Test
	void withoutAGatewayATextIsLoggedNotSentAndTheApiSaysSo() throws Exception {
		OutboxDispatcher logOnly = new OutboxDispatcher(this.jdbc, this.tx, this.protection, new OutboxLogGateway(),
				Clock.systemUTC(), 3, 2);
		assertFalse(logOnly.reachesPhones());
		queue("logged", "13800138010");
		assertEquals(1, logOnly.dispatchDue());
		assertEquals("LOGGED", status("logged"));

		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.community));
		java.net.http.HttpResponse<String> api = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/api/v1/outbox?status=LOGGED"))
				.header("Authorization", "Bearer " + token)
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertEquals(200, api.statusCode(), api.body());
		var json = tools.jackson.databind.json.JsonMapper.shared().readTree(api.body());
		var entry = java.util.stream.StreamSupport.stream(json.spliterator(), false)
			.filter(e -> e.get("phoneMasked").asString().equals("138****8010"))
			.findFirst()
			.orElseThrow(() -> new AssertionError(api.body()));
		assertEquals("LOGGED", entry.get("status").asString());
		assertEquals("仅记录，未发送", entry.get("statusText").asString());
		assertTrue(entry.get("sentAt").isNull() || !entry.get("sentAt").asString().isEmpty());
	}

	@Test
	void anUnavailableGatewayGetsItsMessagesBackWithoutUsingAnAttempt() {
		queue("wait-1", "13800138011");
		queue("wait-2", "13800138012");
		queue("wait-3", "13800138013");
		this.gateway.unavailable = true;
		assertEquals(0, this.dispatcher.dispatchDue(), "nothing handed over, the round stops");
		for (String key : List.of("wait-1", "wait-2", "wait-3")) {
			assertEquals("PENDING", status(key));
			assertEquals(0, attempts(key), key + " keeps all its attempts");
		}
		this.gateway.unavailable = false;
		assertEquals(3, this.dispatcher.dispatchDue(), "due again at once when the gateway is back");
		assertEquals(List.of("SUBMITTED", "SUBMITTED", "SUBMITTED"),
				List.of(status("wait-1"), status("wait-2"), status("wait-3")));
		assertEquals(1, attempts("wait-1"));
		assertEquals(3, this.gateway.sent.size());
	}

	@Test
	void aTextWithAnUnfilledPlaceholderIsNeverQueued() {
		assertThrows(IllegalArgumentException.class,
				() -> this.tx.executeWithoutResult(status -> this.outbox
					.queue(new Outbox.Sms(this.prefix + "unfilled", PhoneNumber.parse("13800138014").orElseThrow(),
							"sms.testing.reminder", List.of("福乐湾社区"), this.community.path()))));
	}

	@Test
	void workersSeeOnlyTheirJurisdictionsMessagesWithPhonesMasked() {
		queue("mine", "13800138006");
		TestData.Tree other = this.data.tree();
		this.tx.executeWithoutResult(status -> this.outbox
			.queue(new Outbox.Sms(this.prefix + "theirs", PhoneNumber.parse("13800138007").orElseThrow(),
					"sms.testing.reminder", List.of("x", "y", "z"), other.communityA1().path())));
		var entries = this.outbox.recent(this.data.user(Role.COMMUNITY_WORKER, this.community), null, 50);
		assertTrue(entries.stream().anyMatch(e -> e.phoneMasked().equals("138****8006")), entries::toString);
		assertTrue(entries.stream().noneMatch(e -> e.phoneMasked().equals("138****8007")), entries::toString);
		assertNotNull(entries.get(0).body());
		assertThrows(org.springframework.security.access.AccessDeniedException.class,
				() -> this.outbox.recent(this.data.user(Role.CHECKPOINT_GUARD, this.community), null, 50));
	}

}
