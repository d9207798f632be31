package org.fangxian.quarantine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.notification.Outbox;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.fangxian.quarantine.internal.CheckInLinks;
import org.fangxian.quarantine.internal.QuarantinesAt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seals and quarantines end to end through the API, with the gate's decisions; check-in
 * overdue detection over a fake clock.
 */
class ContainmentTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	static final HttpClient HTTP = HttpClient.newHttpClient();

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

	TestData.Tree tree;

	String workerToken;

	String guardToken;

	long building;

	long residentId;

	String idNumber;

	long checkpointId;

	record Reply(int status, JsonNode body) {
	}

	Reply call(String method, String path, String token, Object body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("Accept", "application/json");
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode json = response.body().isBlank() ? null : JSON.readTree(response.body());
		return new Reply(response.statusCode(), json);
	}

	Reply expect(int status, Reply reply) {
		assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(status);
		return reply;
	}

	@BeforeEach
	void setUp() throws Exception {
		this.tree = this.data.tree();
		this.workerToken = this.data.token(baseUrl(),
				this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1()));
		this.guardToken = this.data.token(baseUrl(), this.data.account(Role.CHECKPOINT_GUARD, this.tree.communityA1()));
		long compound = expect(201, call("POST", "/api/v1/nodes/" + this.tree.communityA1().id() + "/children",
				this.workerToken, Map.of("name", "福乐湾小区")))
			.body()
			.get("id")
			.asLong();
		this.building = expect(201,
				call("POST", "/api/v1/nodes/" + compound + "/children", this.workerToken, Map.of("name", "3号楼")))
			.body()
			.get("id")
			.asLong();
		this.idNumber = TestIdNumbers.next();
		Map<String, String> resident = new LinkedHashMap<>();
		resident.put("name", "李秀英");
		resident.put("idType", "RESIDENT_ID");
		resident.put("idNumber", this.idNumber);
		resident.put("phone", "13900139001");
		resident.put("nodeId", String.valueOf(this.building));
		resident.put("room", "502");
		resident.put("relation", "HEAD");
		resident.put("status", "RESIDENT");
		this.residentId = expect(201, call("POST", "/api/v1/residents", this.workerToken, resident)).body()
			.get("id")
			.asLong();
		this.checkpointId = expect(201,
				call("POST", "/api/v1/checkpoints", this.workerToken,
						Map.of("nodeId", String.valueOf(this.tree.communityA1().id()), "name", "东门")))
			.body()
			.get("id")
			.asLong();
	}

	JsonNode scan(String direction) throws Exception {
		return expect(200,
				call("POST", "/api/v1/checkpoints/" + this.checkpointId + "/scans", this.guardToken,
						Map.of("idNumber", this.idNumber, "direction", direction, "temperature", 36.4, "idempotencyKey",
								UUID.randomUUID().toString())))
			.body();
	}

	long alerts() {
		return this.jdbc.sql("select count(*) from checkpoint_alert where checkpoint_id = :id")
			.param("id", this.checkpointId)
			.query(Long.class)
			.single();
	}

	List<String> texts(String template) {
		return this.jdbc.sql("select body from outbox_message where template = :t and path like :p order by id")
			.param("t", template)
			.param("p", this.tree.communityA1().path() + "%")
			.query(String.class)
			.list();
	}

	@Test
	void sealDeniesExitAtTheGateAndUnsealAllowsItAgain() throws Exception {
		assertThat(scan("OUT").get("decision").asString()).isEqualTo("ALLOW");

		JsonNode seal = expect(201, call("POST", "/api/v1/containment/seals", this.workerToken, Map.of("nodeId",
				this.building, "level", "SEALED", "reason", "发现阳性病例", "order", "道指〔2022〕15号", "hours", 48)))
			.body();
		long sealId = seal.get("id").asLong();
		assertThat(seal.get("people").asLong()).isEqualTo(1);

		JsonNode out = scan("OUT");
		assertThat(out.get("decision").asString()).isEqualTo("DENY");
		assertThat(out.get("reason").asString()).isEqualTo("gate.deny.sealed");
		assertThat(alerts()).as("a denied sealed-unit exit alerts the community worker").isEqualTo(1);
		assertThat(scan("IN").get("decision").asString()).as("coming home is allowed").isEqualTo("ALLOW");
		assertThat(texts("sms.containment.sealed")).singleElement()
			.satisfies(text -> assertThat(text).contains("3号楼").contains("封控管理"));

		// The same building cannot be sealed twice at once.
		Reply again = call("POST", "/api/v1/containment/seals", this.workerToken,
				Map.of("nodeId", this.building, "level", "CONTROLLED", "reason", "x", "order", "y", "hours", 24));
		assertThat(again.status()).isEqualTo(400);
		assertThat(again.body().toString()).contains("nodeId");

		expect(200, call("POST", "/api/v1/containment/seals/" + sealId + "/extend", this.workerToken,
				Map.of("hours", 72, "note", "新增病例")));
		JsonNode ended = expect(200, call("POST", "/api/v1/containment/seals/" + sealId + "/end", this.workerToken,
				Map.of("note", "各位，解封！")))
			.body();
		assertThat(ended.get("endedAt").isNull()).isFalse();

		assertThat(scan("OUT").get("decision").asString()).isEqualTo("ALLOW");
		JsonNode timeline = expect(200, call("GET", "/api/v1/containment/seals/" + sealId, this.workerToken, null))
			.body()
			.get("timeline");
		assertThat(timeline.findValuesAsString("kind")).containsExactly("SEALED", "EXTENDED", "LIFTED");
		assertThat(texts("sms.containment.extended")).hasSize(1);
		assertThat(texts("sms.containment.unsealed")).hasSize(1);
		assertThat(
				this.jdbc.sql("select count(*) from audit_event where target_type = 'sealed_area' and target_id = :id")
					.param("id", String.valueOf(sealId))
					.query(Long.class)
					.single())
			.isEqualTo(3);
		// Ending twice is refused, nothing changes.
		assertThat(call("POST", "/api/v1/containment/seals/" + sealId + "/end", this.workerToken, null).status())
			.isEqualTo(400);
	}

	@Test
	void aTestingRoundOfSealedAreasOnlyExpectsThePeopleInside() throws Exception {
		Map<String, String> neighbour = new LinkedHashMap<>();
		neighbour.put("name", "张邻居");
		neighbour.put("idType", "RESIDENT_ID");
		neighbour.put("idNumber", TestIdNumbers.next());
		neighbour.put("nodeId", String.valueOf(this.tree.communityA1().id()));
		neighbour.put("room", "门卫室");
		neighbour.put("relation", "HEAD");
		neighbour.put("status", "RESIDENT");
		expect(201, call("POST", "/api/v1/residents", this.workerToken, neighbour));
		Map<String, Object> round = Map.of("nodeId", this.tree.communityA1().id(), "name", "封控区核酸", "poolSize", 10,
				"startsAt", Instant.now().toString(), "endsAt", Instant.now().plusSeconds(7200).toString(),
				"sealedOnly", true);
		Reply nothingSealed = call("POST", "/api/v1/testing/rounds", this.workerToken, round);
		assertThat(nothingSealed.status()).isEqualTo(400);
		assertThat(nothingSealed.body().toString()).contains("sealedOnly");

		expect(201, call("POST", "/api/v1/containment/seals", this.workerToken,
				Map.of("nodeId", this.building, "level", "SEALED", "reason", "阳性", "order", "令", "hours", 48)));
		JsonNode opened = expect(201, call("POST", "/api/v1/testing/rounds", this.workerToken, round)).body();
		assertThat(opened.get("memberCount").asInt()).as("the sealed building's one resident, not the neighbour")
			.isEqualTo(1);
	}

	@Test
	void controlledAreaDeniesExitWithoutAlarm() throws Exception {
		expect(201, call("POST", "/api/v1/containment/seals", this.workerToken, Map.of("nodeId",
				this.tree.communityA1().id(), "level", "CONTROLLED", "reason", "闭环管理", "order", "令1", "hours", 48)));
		JsonNode out = scan("OUT");
		assertThat(out.get("reason").asString()).isEqualTo("gate.deny.controlled");
		assertThat(alerts()).isZero();
	}

	@Test
	void badSealsAreRefusedAndNothingIsWritten() throws Exception {
		long before = this.jdbc.sql("select count(*) from sealed_area").query(Long.class).single();
		Reply noReason = call("POST", "/api/v1/containment/seals", this.workerToken,
				Map.of("nodeId", this.building, "level", "SEALED", "order", "令", "hours", 48));
		assertThat(noReason.status()).isEqualTo(400);
		assertThat(noReason.body().toString()).contains("reason");
		Reply endBeforeStart = call("POST", "/api/v1/containment/seals", this.workerToken,
				Map.of("nodeId", this.building, "level", "SEALED", "reason", "r", "order", "o", "plannedEndAt",
						Instant.now().minusSeconds(3600).toString()));
		assertThat(endBeforeStart.status()).isEqualTo(400);
		assertThat(endBeforeStart.body().toString()).contains("plannedEndAt");
		Reply level = call("POST", "/api/v1/containment/seals", this.workerToken,
				Map.of("nodeId", this.building, "level", "LOCKED", "reason", "r", "order", "o", "hours", 4));
		assertThat(level.body().toString()).contains("level");
		assertThat(this.jdbc.sql("select count(*) from sealed_area").query(Long.class).single()).isEqualTo(before);
	}

	@Test
	void anotherCommunitysWorkerCannotSeeOrEndTheSeal() throws Exception {
		long sealId = expect(201,
				call("POST", "/api/v1/containment/seals", this.workerToken,
						Map.of("nodeId", this.building, "level", "SEALED", "reason", "r", "order", "o", "hours", 4)))
			.body()
			.get("id")
			.asLong();
		String other = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA2()));
		assertThat(call("GET", "/api/v1/containment/seals/" + sealId, other, null).status()).isEqualTo(403);
		assertThat(call("POST", "/api/v1/containment/seals/" + sealId + "/end", other, null).status()).isEqualTo(403);
		assertThat(call("GET", "/api/v1/containment/seals", other, null).body().toString())
			.doesNotContain("\"id\":" + sealId + ",");
		assertThat(call("POST", "/api/v1/containment/seals", this.guardToken,
				Map.of("nodeId", this.building, "level", "SEALED", "reason", "r", "order", "o", "hours", 4))
			.status()).isEqualTo(403);
	}

	@Test
	void quarantinedPersonIsDeniedBothWaysUntilReleased() throws Exception {
		Reply bad = call("POST", "/api/v1/containment/quarantines", this.workerToken,
				Map.of("residentId", this.residentId, "reason", "返回人员", "place", "本人住所", "startsOn",
						LocalDate.now().toString(), "endsOn", LocalDate.now().minusDays(1).toString()));
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.body().toString()).contains("endsOn");
		assertThat(this.jdbc.sql("select count(*) from quarantine where resident_id = :r")
			.param("r", this.residentId)
			.query(Long.class)
			.single()).isZero();

		JsonNode started = expect(201,
				call("POST", "/api/v1/containment/quarantines", this.workerToken, Map.of("residentId", this.residentId,
						"kind", "HOME", "reason", "中风险地区返回", "place", "3号楼502", "days", 14, "testDays", "1,4,7,14")))
			.body();
		long id = started.get("ids").get(0).asLong();
		assertThat(call("POST", "/api/v1/containment/quarantines", this.workerToken,
				Map.of("residentId", this.residentId, "reason", "again", "place", "x"))
			.status()).as("one open quarantine per person").isEqualTo(400);

		assertThat(scan("OUT").get("reason").asString()).isEqualTo("gate.deny.quarantine");
		assertThat(scan("IN").get("reason").asString()).isEqualTo("gate.deny.quarantine");
		assertThat(alerts()).isEqualTo(2);
		assertThat(texts("sms.containment.quarantine")).singleElement()
			.satisfies(text -> assertThat(text).contains("/q/" + this.links.token(id)));

		expect(204, call("POST", "/api/v1/containment/quarantines/" + id + "/check-ins", this.workerToken,
				Map.of("temperature", "36.6")));
		assertThat(call("POST", "/api/v1/containment/quarantines/" + id + "/check-ins", this.workerToken,
				Map.of("temperature", "abc"))
			.status()).isEqualTo(400);
		expect(204, call("POST", "/api/v1/containment/quarantines/" + id + "/tests", this.workerToken,
				Map.of("day", 1, "result", "NEGATIVE")));
		assertThat(call("POST", "/api/v1/containment/quarantines/" + id + "/tests", this.workerToken,
				Map.of("day", 2, "result", "NEGATIVE"))
			.status()).as("day 2 has no test").isEqualTo(400);

		Reply early = call("POST", "/api/v1/containment/quarantines/" + id + "/release", this.workerToken, null);
		assertThat(early.status()).as("an early release needs a reason").isEqualTo(400);
		expect(204, call("POST", "/api/v1/containment/quarantines/" + id + "/release", this.workerToken,
				Map.of("note", "核实为误报，已解除")));
		assertThat(scan("OUT").get("decision").asString()).isEqualTo("ALLOW");
	}

	@Test
	void householdQuarantineCoversEveryLivingMember() throws Exception {
		long household = expect(200, call("GET", "/api/v1/residents/" + this.residentId, this.workerToken, null)).body()
			.get("householdId")
			.asLong();
		JsonNode started = expect(201, call("POST", "/api/v1/containment/quarantines", this.workerToken,
				Map.of("householdId", household, "reason", "密接", "place", "3号楼502", "days", 7)))
			.body();
		assertThat(started.get("ids")).hasSize(1);
	}

	/** Quarantines with its own clock; the rest is the application's. */
	QuarantinesAt at(ZonedDateTime when) {
		return QuarantinesAt.of(Clock.fixed(when.toInstant(), when.getZone()), LocalTime.of(10, 0), 14, this.jdbc,
				this.directory, this.events, this.outbox, this.links);
	}

	@Test
	void checkInsOverdueAreFlaggedOverAFakeClock() {
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		ZonedDateTime day1 = LocalDate.now(this.clock).atTime(8, 0).atZone(this.clock.getZone());
		long id = this.tx
			.execute(status -> at(day1).start(worker, new Quarantines.NewQuarantine(this.residentId, null, "HOME",
					"返回人员", "住所", day1.toLocalDate(), 14, null, "1,7,14")))
			.get(0);

		assertThat(at(day1).get(worker, id).checkInOverdue()).as("day 1, 08:00: not yet due").isFalse();
		assertThat(at(day1.withHour(11)).get(worker, id).checkInOverdue()).as("day 1, 11:00: past the deadline")
			.isTrue();
		this.tx.executeWithoutResult(status -> at(day1.withHour(11)).checkIn(worker, id, "36.5", null, null));
		assertThat(at(day1.withHour(11)).get(worker, id).checkInOverdue()).isFalse();
		assertThat(at(day1.plusDays(1).withHour(9)).get(worker, id).checkInOverdue()).as("day 2 before the deadline")
			.isFalse();
		assertThat(at(day1.plusDays(2).withHour(9)).get(worker, id).checkInOverdue())
			.as("day 3: nothing was reported on day 2")
			.isTrue();
		assertThat(at(day1.plusDays(2).withHour(9)).open(worker, true)).extracting(Quarantines.Quarantine::id)
			.contains(id);
		// The person checks in through the link on day 2 (late): day 2 is covered, day 3
		// not yet due.
		this.tx.executeWithoutResult(status -> at(day1.plusDays(1).withHour(20)).checkInByResident(id, "36.8", ""));
		assertThat(at(day1.plusDays(2).withHour(9)).get(worker, id).checkInOverdue()).isFalse();
		// Release before the planned end needs a reason; at the end it does not.
		assertThatThrownBy(() -> this.tx.executeWithoutResult(status -> at(day1.plusDays(3)).release(worker, id, null)))
			.isInstanceOf(InvalidInput.class);
		this.tx.executeWithoutResult(status -> at(day1.plusDays(14)).release(worker, id, null));
		assertThat(at(day1.plusDays(15)).get(worker, id).open()).isFalse();
	}

	@Test
	void checkInLinkIsUnforgeable() {
		String token = this.links.token(42);
		assertThat(this.links.verify(token)).contains(42L);
		assertThat(this.links.verify("43" + token.substring(2))).isEmpty();
		assertThat(this.links.verify("42.AAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
		assertThat(this.links.verify("nonsense")).isEmpty();
	}

}
