package org.fangxian.notification.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.notification.Outbox;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.PhoneNumber;
import org.jsmpp.util.DeliveryReceiptState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SMPP adapter against an SMS centre started inside the test: Chinese arrives as
 * UCS2, a long text as parts a phone joins, receipts settle each message's state, a
 * dropped connection is bound again and the rest goes once, and the centre never sees
 * more submits per second than the account's rate.
 */
class SmppGatewayTest extends IntegrationTest {

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	PersonalDataProtection protection;

	SmscSimulator smsc;

	SmppGateway gateway;

	OutboxDispatcher dispatcher;

	DeliveryReceipts receipts;

	String prefix;

	TestData.NodeRef community;

	@BeforeEach
	void setUp() throws Exception {
		this.smsc = new SmscSimulator();
		this.prefix = "smpp:" + UUID.randomUUID() + ":";
		this.community = this.data.tree().communityA1();
		// messages of other tests must not reach this centre
		this.jdbc.sql("update outbox_message set status = 'FAILED' where status in ('PENDING', 'SENDING')").update();
		this.receipts = new DeliveryReceipts(this.jdbc, this.tx, Clock.systemUTC());
	}

	@AfterEach
	void tearDown() throws Exception {
		if (this.gateway != null) {
			this.gateway.close();
		}
		this.smsc.close();
	}

	SmppSettings settings(double rate, String password) {
		return new SmppSettings("127.0.0.1", this.smsc.port, SmscSimulator.SYSTEM_ID, password, "", "10690001", rate,
				SmppSettings.BindKind.TRANSCEIVER, false, Duration.ofSeconds(2), Duration.ofSeconds(2),
				Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(1));
	}

	void start(double rate) {
		this.gateway = new SmppGateway(settings(rate, SmscSimulator.PASSWORD), this.receipts);
		this.gateway.start();
		this.dispatcher = new OutboxDispatcher(this.jdbc, this.tx, this.protection, this.gateway, Clock.systemUTC(), 5,
				100);
		await("bound", () -> this.gateway.connected());
	}

	private List<SmscSimulator.Submit> submitsTo(String phone) {
		return this.smsc.submits.stream().filter(submit -> submit.destination().equals(phone)).toList();
	}

	static void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("timed out waiting: " + what);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				throw new AssertionError(ex);
			}
		}
	}

	/**
	 * Queues a text whose template is "{0}" as it is: the test chooses every character.
	 */
	long queue(String key, String phone, String text) {
		this.tx.executeWithoutResult(status -> this.outbox.queue(new Outbox.Sms(this.prefix + key,
				PhoneNumber.parse(phone).orElseThrow(), "sms.test.raw", List.of(text), this.community.path())));
		return this.jdbc.sql("select id from outbox_message where dedupe_key = :k")
			.param("k", this.prefix + key)
			.query(Long.class)
			.single();
	}

	String status(long id) {
		return this.jdbc.sql("select status from outbox_message where id = :id")
			.param("id", id)
			.query(String.class)
			.single();
	}

	static String longText() {
		// 150 characters: three parts of at most 67, with a character outside the basic
		// plane (𠀀) at the
		// place where a careless split would cut its surrogate pair in two
		StringBuilder text = new StringBuilder("【福乐湾社区】");
		while (text.length() < 66) {
			text.append("请居家配合");
		}
		text.setLength(66);
		text.append("𠀀");
		while (text.length() < 150) {
			text.append("生活物资由社区保障，");
		}
		text.setLength(150);
		return text.toString();
	}

	@Test
	void chineseArrivesAsUcs2AndALongTextAsPartsAPhoneJoins() {
		start(100);
		String shortText = "【防线】您的居家隔离自12月2日开始，请每天上午、下午各上报一次体温。";
		String longText = longText();
		queue("short", "13800138100", shortText);
		queue("long", "13800138101", longText);
		assertThat(this.dispatcher.dispatchDue()).isEqualTo(2);

		assertThat(this.smsc.submits).hasSize(4);
		assertThat(this.smsc.submits).allSatisfy(s -> {
			assertThat(s.dataCoding()).as("UCS2").isEqualTo((byte) 0x08);
			assertThat(s.shortMessage().length).as("one short message").isLessThanOrEqualTo(140);
			assertThat(s.receiptRequested()).isTrue();
		});
		assertThat(this.smsc.submits.get(0).hasHeader()).isFalse();
		assertThat(this.smsc.submits.get(0).destination()).isEqualTo("13800138100");
		List<int[]> headers = this.smsc.submits.subList(1, 4)
			.stream()
			.map(SmscSimulator.Submit::concatenation)
			.toList();
		assertThat(headers).extracting(h -> h[1]).containsOnly(3);
		assertThat(headers).extracting(h -> h[2]).containsExactly(1, 2, 3);
		assertThat(headers).extracting(h -> h[0])
			.as("one reference for the three parts")
			.containsOnly(headers.get(0)[0]);
		assertThat(this.smsc.textsAsPhonesShowThem()).containsExactly(shortText, longText);
		assertThat(this.jdbc.sql(
				"select count(*) from outbox_part where message_id in (select id from outbox_message where dedupe_key like :p)")
			.param("p", this.prefix + "%")
			.query(Long.class)
			.single()).isEqualTo(4);
	}

	@Test
	void receiptsSettleEachMessageDeliveredOrNot() throws Exception {
		start(100);
		long single = queue("single", "13800138110", "【防线】测试短信一");
		long parts = queue("parts", "13800138111", longText());
		long silent = queue("silent", "13800138112", "【防线】测试短信三");
		this.dispatcher.dispatchDue();
		assertThat(List.of(status(single), status(parts), status(silent))).containsOnly("SUBMITTED");

		// Each message's submits by its phone: the dispatcher does not promise the order
		// of messages queued in the same instant.
		List<SmscSimulator.Submit> toSingle = submitsTo("13800138110");
		List<SmscSimulator.Submit> toParts = submitsTo("13800138111");
		assertThat(toSingle).hasSize(1);
		assertThat(toParts).hasSize(3);
		// the centre answered submit_sm in hex and writes this receipt's id in decimal,
		// as some do
		this.smsc.receipt(Long.toString(Long.parseLong(toSingle.get(0).messageId(), 16)), DeliveryReceiptState.DELIVRD,
				"000");
		this.smsc.receipt(toParts.get(0).messageId(), DeliveryReceiptState.DELIVRD, "000");
		this.smsc.receipt(toParts.get(1).messageId(), DeliveryReceiptState.DELIVRD, "000");
		await("single delivered", () -> status(single).equals("DELIVERED"));
		assertThat(status(parts)).as("one part still without receipt").isEqualTo("SUBMITTED");
		this.smsc.receipt(toParts.get(2).messageId(), DeliveryReceiptState.UNDELIV, "001");
		await("parts undelivered", () -> status(parts).equals("UNDELIVERED"));
		assertThat(this.jdbc.sql("select last_error from outbox_message where id = :id")
			.param("id", parts)
			.query(String.class)
			.single()).isEqualTo("UNDELIV err:001");
		assertThat(this.jdbc.sql("select delivered_at is not null from outbox_message where id = :id")
			.param("id", single)
			.query(Boolean.class)
			.single()).isTrue();
		assertThat(status(silent)).as("no receipt, no change").isEqualTo("SUBMITTED");

		var entries = this.outbox.recent(this.data.user(org.fangxian.security.Role.COMMUNITY_WORKER, this.community),
				null, 10);
		assertThat(entries).filteredOn(e -> e.id() == single)
			.singleElement()
			.satisfies(e -> assertThat(e.deliveredAt()).isNotNull());
	}

	@Test
	void afterTheCentreDropsTheConnectionTheGatewayBindsAgainAndTheRestGoesOnce() {
		start(200);
		List<String> texts = new ArrayList<>();
		List<Long> ids = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			String text = "【防线】第" + i + "条通知";
			texts.add(text);
			ids.add(queue("drop-" + i, "1380013" + String.format("%04d", 8200 + i), text));
		}
		// the 5th submit is never answered: the connection dies with it
		this.smsc.dropAfter = 4;
		Instant now = Instant.now();
		for (int round = 0; round < 20 && ids.stream().anyMatch(id -> !status(id).equals("SUBMITTED")); round++) {
			this.dispatcher.dispatch(now);
			// a message whose submit went unanswered waits its back-off (1 min): let the
			// test's clock pass it
			now = now.plus(Duration.ofMinutes(2));
			await("bound again", () -> this.gateway.connected());
		}
		assertThat(ids).allSatisfy(id -> assertThat(status(id)).isEqualTo("SUBMITTED"));
		assertThat(this.smsc.binds.get()).as("bound once more after the drop").isEqualTo(2);
		// The test's dispatcher sends whatever is due, and its clock runs ahead: a text a
		// scheduled job of the shared context queued meanwhile may go too. This test's
		// own
		// ten are the ones numbered 第n条.
		List<String> received = this.smsc.textsAsPhonesShowThem()
			.stream()
			.filter(text -> text.startsWith("【防线】第"))
			.toList();
		assertThat(received).as("every text once").containsExactlyInAnyOrderElementsOf(texts);
	}

	@Test
	void anIdleConnectionIsKeptAliveWithEnquireLink() {
		start(10);
		// enquire_link after 2 s without traffic (these settings); the centre answers and
		// the session stays
		await("two enquire_link", () -> this.smsc.enquireLinks.get() >= 2);
		assertThat(this.gateway.connected()).isTrue();
		assertThat(this.smsc.binds.get()).as("the same session all along").isEqualTo(1);
	}

	@Test
	void theCentreNeverGetsMoreSubmitsPerSecondThanTheAccountsRate() {
		int rate = 5;
		start(rate);
		for (int i = 1; i <= 12; i++) {
			queue("rate-" + i, "1380013" + String.format("%04d", 8300 + i), "【防线】限速测试" + i);
		}
		this.dispatcher.dispatchDue();
		List<Long> at = this.smsc.submits.stream().map(SmscSimulator.Submit::arrivedNanos).sorted().toList();
		assertThat(at).hasSize(12);
		// no window of (almost) a second holds more than the rate; 50 ms spare for the
		// test machine's jitter
		long window = Duration.ofMillis(950).toNanos();
		for (int i = 0; i + rate < at.size(); i++) {
			assertThat(at.get(i + rate) - at.get(i)).as("submits %d..%d", i, i + rate).isGreaterThan(window);
		}
		assertThat(Duration.ofNanos(at.get(11) - at.get(0)))
			.isGreaterThanOrEqualTo(Duration.ofMillis(11 * 1000 / rate - 50));
	}

	@Test
	void aRefusedBindIsRetriedAndThePasswordNeverReachesTheLog() {
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		root.addAppender(appender);
		String wrong = "w" + UUID.randomUUID().toString().substring(0, 7);
		try {
			SmppGateway refused = new SmppGateway(settings(10, wrong), this.receipts);
			refused.start();
			await("two refused binds",
					() -> appender.list.stream()
						.filter(e -> e.getFormattedMessage().contains("SMPP bind"))
						.count() >= 2);
			refused.close();
			start(10);
		}
		finally {
			root.detachAppender(appender);
		}
		List<String> lines = Collections.synchronizedList(new ArrayList<>());
		appender.list.forEach(e -> lines.add(e.getFormattedMessage()));
		assertThat(lines).anySatisfy(line -> assertThat(line).contains("SMPP bound"));
		assertThat(lines).noneSatisfy(line -> assertThat(line).contains(wrong));
		assertThat(lines).noneSatisfy(line -> assertThat(line).contains(SmscSimulator.PASSWORD));
		assertThat(this.smsc.binds.get()).isEqualTo(1);
	}

	@Test
	void aPasswordLongerThanSmppAllowsIsRefusedWithoutBeingQuoted() {
		String tooLong = "much-too-long-" + UUID.randomUUID();
		assertThatThrownBy(() -> settings(10, tooLong)).isInstanceOf(IllegalArgumentException.class)
			.satisfies(ex -> assertThat(ex.getMessage()).doesNotContain(tooLong));
		assertThat(settings(10, "abcdefgh").toString()).doesNotContain("abcdefgh");
	}

}
