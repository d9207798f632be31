package org.fangxian.quarantine;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.WebSession;
import org.fangxian.notification.Outbox;
import org.fangxian.quarantine.internal.CheckInLinks;
import org.fangxian.quarantine.internal.QuarantineBook;
import org.fangxian.quarantine.internal.QuarantinesAt;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fever in quarantine stays visible and alerts; a positive test is confirmed, then
 * escalated to the community's workers by text (issue 13).
 */
class QuarantineAlertsTest extends IntegrationTest {

	@Autowired
	ResidentDirectory directory;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	Outbox outbox;

	@Autowired
	CheckInLinks links;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	Clock clock;

	@Autowired
	PersonalDataProtection protection;

	@Autowired
	QuarantineBook quarantines;

	TestData.Tree tree;

	String workerName;

	CurrentUser worker;

	long quarantine;

	ZonedDateTime day1;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.workerName = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1());
		long workerId = this.jdbc.sql("select id from account where username = :u")
			.param("u", this.workerName)
			.query(Long.class)
			.single();
		// The community's worker has a phone on file: the one to text.
		this.jdbc.sql("update account set phone_cipher = :c, phone_masked = '139****5501' where id = :id")
			.param("c", this.protection.encrypt("13900135501"))
			.param("id", workerId)
			.update();
		this.worker = new CurrentUser(workerId, this.workerName, this.workerName, Role.COMMUNITY_WORKER,
				this.tree.communityA1().id(), this.tree.communityA1().path());
		String token = this.data.token(baseUrl(), this.workerName);
		RestClient api = RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + token)
			.build();
		long building = api.post()
			.uri("/api/v1/nodes/" + this.tree.communityA1().id() + "/children")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "5号楼"))
			.retrieve()
			.body(JsonNode.class)
			.get("id")
			.asLong();
		Map<String, String> person = new LinkedHashMap<>();
		person.put("name", "孙丽华");
		person.put("idType", "RESIDENT_ID");
		person.put("idNumber", TestIdNumbers.next());
		person.put("phone", "13900135502");
		person.put("nodeId", String.valueOf(building));
		person.put("room", "301");
		person.put("relation", "HEAD");
		person.put("status", "RESIDENT");
		long resident = api.post()
			.uri("/api/v1/residents")
			.contentType(MediaType.APPLICATION_JSON)
			.body(person)
			.retrieve()
			.body(JsonNode.class)
			.get("id")
			.asLong();
		this.day1 = LocalDate.now(this.clock).atTime(8, 0).atZone(this.clock.getZone());
		this.quarantine = this.tx
			.execute(status -> at(this.day1).start(this.worker, new Quarantines.NewQuarantine(resident, null, "HOME",
					"密接", "本人住所", this.day1.toLocalDate(), 14, null, "1,4,7")))
			.get(0);
	}

	QuarantinesAt at(ZonedDateTime when) {
		return QuarantinesAt.of(Clock.fixed(when.toInstant(), when.getZone()), LocalTime.of(10, 0), 14, this.jdbc,
				this.directory, this.events, this.outbox, this.links);
	}

	List<String> texts(String template) {
		return this.jdbc.sql("select body from outbox_message where template = :t and dedupe_key like :k order by id")
			.param("t", template)
			.param("k", "quarantine:" + this.quarantine + ":%")
			.query(String.class)
			.list();
	}

	@Test
	void aMorningFeverIsNotReplacedByALaterNormalSelfReportAndAlertsTheWorker() {
		this.tx.executeWithoutResult(
				status -> at(this.day1.withHour(8)).checkIn(this.worker, this.quarantine, "37.9", "咳嗽", null));
		this.tx
			.executeWithoutResult(status -> at(this.day1.withHour(10)).checkInByResident(this.quarantine, "36.6", ""));
		// The same self-report sent twice (a retried form) is one check-in.
		this.tx.executeWithoutResult(
				status -> at(this.day1.withHour(10).withMinute(1)).checkInByResident(this.quarantine, "36.6", ""));

		List<Quarantines.CheckIn> checkIns = this.quarantines.checkIns(this.worker, this.quarantine);
		assertThat(checkIns).extracting(c -> c.temperature().toPlainString(), Quarantines.CheckIn::slot)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("37.9", Quarantines.Slot.AM),
					org.assertj.core.groups.Tuple.tuple("36.6", Quarantines.Slot.AM));
		assertThat(checkIns.get(0).temperature().toPlainString()).as("newest first").isEqualTo("36.6");

		assertThat(texts("sms.quarantine.fever")).singleElement()
			.satisfies(text -> assertThat(text).contains("孙*")
				.contains("上午")
				.contains("体温异常")
				.doesNotContain("37.9")
				.contains("/containment/quarantines/" + this.quarantine));

		String page = WebSession.signIn(baseUrl(), this.workerName)
			.get("/containment/quarantines/" + this.quarantine)
			.body();
		assertThat(page).contains("id=\"fevers\"").contains("37.9 °C 咳嗽").contains("36.6 °C");
		assertThat(page.substring(page.indexOf("id=\"fevers\""), page.indexOf("id=\"fevers\"") + 400)).contains("37.9");
		assertThat(page).doesNotContain(" AM<").contains("上午");
	}

	@Test
	void aPositiveTestIsConfirmedFirstThenEscalatedOnce() {
		WebSession session = WebSession.signIn(baseUrl(), this.workerName);
		String page = "/containment/quarantines/" + this.quarantine;
		HttpResponse<String> asked = session.post(page, page + "/tests", Map.of("day", "4", "result", "POSITIVE"));
		assertThat(asked.statusCode()).isEqualTo(200);
		assertThat(asked.body()).contains("id=\"confirm-positive\"").contains("确认第 4 天的检测结果为阳性");
		assertThat(this.jdbc.sql("select count(*) from quarantine_test where quarantine_id = :q")
			.param("q", this.quarantine)
			.query(Long.class)
			.single()).as("nothing recorded before the confirmation").isZero();
		assertThat(texts("sms.quarantine.positive")).isEmpty();

		Map<String, String> confirmed = Map.of("day", "4", "result", "POSITIVE", "confirmed", "yes");
		HttpResponse<String> done = session.post(page, page + "/tests", confirmed);
		assertThat(done.statusCode()).isEqualTo(302);
		assertThat(this.jdbc.sql("select result from quarantine_test where quarantine_id = :q and day_number = 4")
			.param("q", this.quarantine)
			.query(String.class)
			.single()).isEqualTo("POSITIVE");
		assertThat(texts("sms.quarantine.positive")).singleElement()
			.satisfies(text -> assertThat(text).contains("孙*").contains("第4天").contains("阳性"));
		assertThat(session.get(page).body()).contains("id=\"escalated\"");

		// Confirmed again (a second tap): recorded once, texted once.
		session.post(page, page + "/tests", confirmed);
		assertThat(texts("sms.quarantine.positive")).hasSize(1);
	}

}
