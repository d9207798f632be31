package org.fangxian.task;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.seal.Seals;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.task.internal.AttachmentsTestImages;
import org.fangxian.task.internal.Escalations;
import org.fangxian.task.internal.TaskBook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Supply requests (生活保障) through the API of issue 16: urgency from who asks and what for,
 * every transition rule answered 409 with nothing changed, two volunteers taking one
 * request, escalation over a moved clock, another street's request not found, bad input
 * as problems and a retried create kept as one.
 */
class SupportRequestApiTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	@Autowired
	ResidentService residents;

	@Autowired
	Seals seals;

	@Autowired
	TaskBook taskBook;

	TestData.Tree tree;

	CurrentUser worker;

	String workerToken;

	String volunteerToken;

	CurrentUser volunteer;

	long sealedPensioner;

	long neighbour;

	record Answer(int status, JsonNode body) {
	}

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.workerToken = this.data.token(baseUrl(), this.worker.username());
		this.volunteer = this.data.user(Role.VOLUNTEER, this.tree.communityA1());
		this.volunteerToken = this.data.token(baseUrl(), this.volunteer.username());
		long compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		long building1 = this.data.node(compound, "BUILDING", null, "1栋").id();
		long building2 = this.data.node(compound, "BUILDING", null, "2栋").id();
		this.sealedPensioner = resident("王秀英", building1, "101", "独居老人");
		this.neighbour = resident("李同管", building2, "201", null);
		this.seals.seal(this.worker, new Seals.NewSeal(building1, "SEALED", "密接所在楼栋", "防控指令〔2026〕1号", null, null, 48));
	}

	private long resident(String name, long node, String room, String tags) {
		Random random = new Random();
		return this.residents.create(this.worker, new ResidentService.ResidentForm(name, null, TestIdNumbers.next(),
				"139" + String.format("%08d", random.nextInt(100_000_000)), node, room, "其他", tags, "常住", null));
	}

	private Answer call(String token, String method, String path, Object body, String idempotencyKey) {
		RestClient.RequestBodySpec request = RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + token)
			.build()
			.method(HttpMethod.valueOf(method))
			.uri(path);
		if (idempotencyKey != null) {
			request = request.header("Idempotency-Key", idempotencyKey);
		}
		if (body instanceof String text) {
			request = request.contentType(MediaType.APPLICATION_JSON).body(text);
		}
		else if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, response) -> {
			byte[] bytes = response.getBody().readAllBytes();
			return new Answer(response.getStatusCode().value(), bytes.length == 0 ? null : JSON.readTree(bytes));
		});
	}

	private Answer call(String token, String method, String path, Object body) {
		return call(token, method, path, body, null);
	}

	private JsonNode ok(String token, String method, String path, Object body, int status) {
		Answer answer = call(token, method, path, body);
		assertThat(answer.status()).as("%s %s → %s", method, path, answer.body()).isEqualTo(status);
		return answer.body();
	}

	private long file(long residentId, String kind) {
		return ok(this.workerToken, "POST", "/api/v1/support-requests",
				Map.of("residentId", residentId, "kind", kind, "detail", "降压药两盒"), 201)
			.get("id")
			.asLong();
	}

	private Answer move(String token, long id, String to, Map<String, Object> extra) {
		Map<String, Object> body = new java.util.HashMap<>(extra);
		body.put("to", to);
		return call(token, "POST", "/api/v1/support-requests/" + id + "/transitions", body);
	}

	private String state(long id) {
		return this.jdbc.sql("select state from task where id = :id").param("id", id).query(String.class).single();
	}

	private void assertRefused(Answer answer, long id, String stateBefore) {
		assertThat(answer.status()).as("%s", answer.body()).isEqualTo(409);
		assertThat(answer.body().get("code").asString()).isEqualTo("task.transition.notAllowed");
		assertThat(state(id)).isEqualTo(stateBefore);
	}

	@Test
	void urgencyComesFromWhoAsksAndWhatFor() {
		Instant before = Instant.now();
		JsonNode urgent = ok(this.workerToken, "POST", "/api/v1/support-requests",
				Map.of("residentId", this.sealedPensioner, "kind", "MEDICINE", "detail", "胰岛素"), 201);
		assertThat(urgent.get("urgency").asString()).isEqualTo("URGENT");
		assertThat(urgent.get("state").asString()).isEqualTo("NEW");
		Instant due = Instant.parse(urgent.get("dueAt").asString());
		assertThat(due).isBetween(before.plus(Duration.ofHours(2)).minusSeconds(5),
				Instant.now().plus(Duration.ofHours(2)).plusSeconds(5));
		JsonNode normal = ok(this.workerToken, "POST", "/api/v1/support-requests",
				Map.of("residentId", this.neighbour, "kind", "groceries", "detail", "大米一袋"), 201);
		assertThat(normal.get("urgency").asString()).isEqualTo("NORMAL");
		JsonNode view = ok(this.workerToken, "GET", "/api/v1/support-requests/" + urgent.get("id").asLong(), null, 200);
		assertThat(view.get("person").asString()).isEqualTo("王*英");
		assertThat(view.get("reasons").toString()).contains("MEDICINE", "SEALED", "ELDERLY_ALONE");
	}

	@Test
	void movesOneStepAtATimeAndRefusesEveryOtherMoveWithNothingChanged() {
		long id = file(this.neighbour, "MEDICINE");
		assertRefused(move(this.volunteerToken, id, "BOUGHT", Map.of()), id, "NEW");
		assertRefused(move(this.volunteerToken, id, "DELIVERED", Map.of("note", "已签收")), id, "NEW");
		assertThat(move(this.volunteerToken, id, "ASSIGNED", Map.of()).body().get("state").asString())
			.isEqualTo("ASSIGNED");
		assertRefused(move(this.volunteerToken, id, "NEW", Map.of()), id, "ASSIGNED");
		assertRefused(move(this.volunteerToken, id, "ASSIGNED", Map.of()), id, "ASSIGNED");
		assertRefused(move(this.volunteerToken, id, "DELIVERED", Map.of("note", "已签收")), id, "ASSIGNED");
		assertThat(move(this.volunteerToken, id, "BOUGHT", Map.of()).status()).isEqualTo(200);
		assertRefused(move(this.volunteerToken, id, "ASSIGNED", Map.of()), id, "BOUGHT");
		// delivered needs a photo or a signature note
		Answer noProof = move(this.volunteerToken, id, "DELIVERED", Map.of());
		assertThat(noProof.status()).isEqualTo(400);
		assertThat(noProof.body().get("code").asString()).isEqualTo("task.support.proofRequired");
		assertThat(state(id)).isEqualTo("BOUGHT");
		assertThat(move(this.volunteerToken, id, "DELIVERED", Map.of("note", "本人签收", "moneyReceived", "36.50")).body()
			.get("state")
			.asString()).isEqualTo("DELIVERED");
		for (String to : List.of("FAILED", "CANCELLED", "BOUGHT", "NEW", "DELIVERED")) {
			assertRefused(move(this.workerToken, id, to, Map.of("note", "x")), id, "DELIVERED");
		}
		JsonNode view = ok(this.workerToken, "GET", "/api/v1/support-requests/" + id, null, 200);
		assertThat(view.get("moneyReceived").decimalValue()).isEqualByComparingTo("36.50");
		assertThat(view.get("assigneeId").asLong()).isEqualTo(this.volunteer.accountId());
		JsonNode history = ok(this.workerToken, "GET", "/api/v1/support-requests/" + id + "/history", null, 200);
		List<String> steps = new ArrayList<>();
		history.forEach(s -> steps
			.add(s.get("kind").asString() + ":" + s.get("toState").asString() + ":" + s.get("actor").asString()));
		assertThat(steps).containsExactly("CREATED:NEW:" + this.worker.username(),
				"TRANSITION:ASSIGNED:" + this.volunteer.username(), "TRANSITION:BOUGHT:" + this.volunteer.username(),
				"TRANSITION:DELIVERED:" + this.volunteer.username());
		assertThat(this.jdbc.sql("select count(*) from audit_event where target_type = 'task' and target_id = :id")
			.param("id", String.valueOf(id))
			.query(Long.class)
			.single()).isGreaterThanOrEqualTo(4);
	}

	@Test
	void failsFromAnyOpenStateWithAReason() {
		// a request nobody holds yet is failed by staff (a volunteer fails only their
		// own)
		long fresh = file(this.neighbour, "GAS");
		assertThat(move(this.workerToken, fresh, "FAILED", Map.of()).status()).isEqualTo(400);
		assertThat(state(fresh)).isEqualTo("NEW");
		assertThat(move(this.workerToken, fresh, "FAILED", Map.of("note", "无人应门")).status()).isEqualTo(200);
		long bought = file(this.neighbour, "GAS");
		move(this.volunteerToken, bought, "ASSIGNED", Map.of());
		move(this.volunteerToken, bought, "BOUGHT", Map.of());
		assertThat(move(this.volunteerToken, bought, "FAILED", Map.of("note", "气站关闭")).status()).isEqualTo(200);
		assertThat(state(bought)).isEqualTo("FAILED");
	}

	@Test
	void onlyTheRequesterCancels() {
		long id = file(this.neighbour, "OTHER");
		Answer byVolunteer = move(this.volunteerToken, id, "CANCELLED", Map.of());
		assertThat(byVolunteer.status()).isEqualTo(403);
		assertThat(state(id)).isEqualTo("NEW");
		assertThat(move(this.workerToken, id, "CANCELLED", Map.of()).status()).isEqualTo(200);
		assertThat(state(id)).isEqualTo("CANCELLED");
	}

	@Test
	void ofTwoVolunteersTakingOneRequestAtOnceExactlyOneWins() throws Exception {
		CurrentUser second = this.data.user(Role.VOLUNTEER, this.tree.communityA1());
		String secondToken = this.data.token(baseUrl(), second.username());
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 5; round++) {
				long id = file(this.neighbour, "GROCERIES");
				CountDownLatch start = new CountDownLatch(1);
				Future<Integer> a = pool.submit(() -> {
					start.await();
					return move(this.volunteerToken, id, "ASSIGNED", Map.of()).status();
				});
				Future<Integer> b = pool.submit(() -> {
					start.await();
					return move(secondToken, id, "ASSIGNED", Map.of()).status();
				});
				start.countDown();
				assertThat(List.of(a.get(), b.get())).containsExactlyInAnyOrder(200, 409);
				long winner = a.get() == 200 ? this.volunteer.accountId() : second.accountId();
				assertThat(this.jdbc.sql("select assignee_id from task where id = :id")
					.param("id", id)
					.query(Long.class)
					.single()).isEqualTo(winner);
				assertThat(this.jdbc.sql("select count(*) from task_event where task_id = :id and kind = 'TRANSITION'")
					.param("id", id)
					.query(Long.class)
					.single()).isEqualTo(1);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** A clock a test moves by hand. */
	static final class MovableClock extends Clock {

		Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneId.of("Asia/Shanghai");
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	@Test
	void escalatesToTheLeaderThenTheStreetAsTheClockMoves() {
		long id = file(this.sealedPensioner, "MEDICINE"); // urgent: due in 2 hours
		long taken = file(this.sealedPensioner, "MEDICINE");
		move(this.volunteerToken, taken, "ASSIGNED", Map.of());
		long done = file(this.sealedPensioner, "MEDICINE");
		move(this.workerToken, done, "CANCELLED", Map.of());
		MovableClock clock = new MovableClock(Instant.now().plus(Duration.ofMinutes(90)));
		Escalations escalations = new Escalations(this.taskBook, clock);
		escalations.run();
		assertThat(level(id)).isZero();
		clock.now = Instant.now().plus(Duration.ofMinutes(150));
		escalations.run();
		assertThat(level(id)).isEqualTo(1);
		assertThat(level(taken)).isEqualTo(1);
		assertThat(level(done)).isZero();
		escalations.run();
		assertThat(this.jdbc.sql("select count(*) from task_event where task_id = :id and kind = 'ESCALATED'")
			.param("id", id)
			.query(Long.class)
			.single()).isEqualTo(1);
		clock.now = Instant.now().plus(Duration.ofMinutes(270));
		escalations.run();
		assertThat(level(id)).isEqualTo(2);
		assertThat(level(done)).isZero();
		JsonNode view = ok(this.workerToken, "GET", "/api/v1/support-requests/" + id, null, 200);
		assertThat(view.get("escalationLevel").asInt()).isEqualTo(2);
		assertThat(this.jdbc.sql("select note from task_event where task_id = :id and kind = 'ESCALATED' order by id")
			.param("id", id)
			.query(String.class)
			.list()).containsExactly("LEADER", "STREET");
	}

	@Test
	void theDashboardCountsOpenAndOverdueRequestsPerNode() {
		java.time.LocalDate today = java.time.LocalDate.now(org.fangxian.shared.ChinaStandardTime.ZONE);
		String dashboard = "/api/v1/dashboard?code=" + this.tree.communityA1().code() + "&date=" + today;
		long open = file(this.neighbour, "GROCERIES");
		long late = file(this.neighbour, "MEDICINE");
		long done = file(this.neighbour, "OTHER");
		move(this.workerToken, done, "CANCELLED", Map.of());
		this.jdbc.sql("update task set due_at = now() - interval '1 minute' where id = :id").param("id", late).update();
		JsonNode figures = ok(this.workerToken, "GET", dashboard, null, 200).get("more").get("tasks");
		assertThat(figures.get("supportOpen").asLong()).isEqualTo(2);
		assertThat(figures.get("supportOverdue").asLong()).isEqualTo(1);
		assertThat(open).isNotEqualTo(late);
		String other = "/api/v1/dashboard?code=" + this.tree.communityA2().code() + "&date=" + today;
		assertThat(ok(this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetA())), "GET",
				other, null, 200)
			.get("more")
			.get("tasks")
			.get("supportOpen")
			.asLong()).isZero();
	}

	private int level(long id) {
		return this.jdbc.sql("select escalation_level from task where id = :id")
			.param("id", id)
			.query(Integer.class)
			.single();
	}

	@Test
	void anotherStreetsRequestDoesNotExistForThem() {
		long id = file(this.neighbour, "MEDICINE");
		CurrentUser other = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityB1());
		String otherToken = this.data.token(baseUrl(), other.username());
		assertThat(call(otherToken, "GET", "/api/v1/support-requests/" + id, null).status()).isEqualTo(404);
		assertThat(move(otherToken, id, "ASSIGNED", Map.of()).status()).isEqualTo(404);
		assertThat(move(otherToken, id, "CANCELLED", Map.of()).status()).isEqualTo(404);
		assertThat(state(id)).isEqualTo("NEW");
		JsonNode list = ok(otherToken, "GET", "/api/v1/support-requests", null, 200);
		list.forEach(r -> assertThat(r.get("id").asLong()).isNotEqualTo(id));
		Answer fileThere = call(otherToken, "POST", "/api/v1/support-requests",
				Map.of("residentId", this.neighbour, "kind", "MEDICINE", "detail", "药"));
		assertThat(fileThere.status()).isEqualTo(404);
		assertThat(fileThere.body().get("code").asString()).isEqualTo("task.support.unknownResident");
	}

	@Test
	void aRequestIsHandedOnlyToAnAccountOfTheJurisdiction() {
		long id = file(this.neighbour, "MEDICINE");
		CurrentUser elsewhere = this.data.user(Role.VOLUNTEER, this.tree.communityB1());
		CurrentUser above = this.data.user(Role.HQ_ADMIN, this.tree.district());
		for (CurrentUser other : List.of(elsewhere, above)) {
			Answer take = move(this.workerToken, id, "ASSIGNED", Map.of("assigneeId", other.accountId()));
			assertThat(take.status()).as("%s", take.body()).isEqualTo(400);
			assertThat(take.body().get("code").asString()).isEqualTo("task.support.unknownAssignee");
			Answer hand = call(this.workerToken, "POST", "/api/v1/support-requests/" + id + "/assignee",
					Map.of("assigneeId", other.accountId()));
			assertThat(hand.status()).as("%s", hand.body()).isEqualTo(400);
			assertThat(hand.body().get("code").asString()).isEqualTo("task.support.unknownAssignee");
		}
		// the district's administrator covers both streets, but a volunteer of street B
		// does not see a request of street A
		String hqToken = this.data.token(baseUrl(), above.username());
		Answer across = move(hqToken, id, "ASSIGNED", Map.of("assigneeId", elsewhere.accountId()));
		assertThat(across.status()).as("%s", across.body()).isEqualTo(400);
		assertThat(call(hqToken, "POST", "/api/v1/support-requests/" + id + "/assignee",
				Map.of("assigneeId", elsewhere.accountId()))
			.status()).isEqualTo(400);
		assertThat(state(id)).isEqualTo("NEW");
		assertThat(this.jdbc.sql("select assignee_id is null from task where id = :id")
			.param("id", id)
			.query(Boolean.class)
			.single()).isTrue();
		// nor does the request tell the name of an account elsewhere
		JsonNode view = ok(this.workerToken, "GET", "/api/v1/support-requests/" + id, null, 200);
		assertThat(view.toString()).doesNotContain(elsewhere.username(), above.username());
		// an account of the jurisdiction is handed it as before
		assertThat(move(this.workerToken, id, "ASSIGNED", Map.of("assigneeId", this.volunteer.accountId())).status())
			.isEqualTo(200);
	}

	@Test
	void aVolunteerMovesOnlyTheirOwnRequestAndNamesNoOtherAssignee() throws Exception {
		CurrentUser second = this.data.user(Role.VOLUNTEER, this.tree.communityA1());
		String secondToken = this.data.token(baseUrl(), second.username());
		// their own: take, bought, delivered
		long own = file(this.neighbour, "GROCERIES");
		assertThat(move(this.volunteerToken, own, "ASSIGNED", Map.of()).status()).isEqualTo(200);
		assertThat(move(this.volunteerToken, own, "BOUGHT", Map.of()).status()).isEqualTo(200);
		assertThat(move(this.volunteerToken, own, "DELIVERED", Map.of("note", "门口签收")).status()).isEqualTo(200);
		assertThat(state(own)).isEqualTo("DELIVERED");
		// naming oneself is taking
		long named = file(this.neighbour, "GROCERIES");
		assertThat(
				move(this.volunteerToken, named, "ASSIGNED", Map.of("assigneeId", this.volunteer.accountId())).status())
			.isEqualTo(200);
		// another volunteer's request: neither moved on nor handed over, nothing changes
		long held = file(this.neighbour, "MEDICINE");
		assertThat(move(secondToken, held, "ASSIGNED", Map.of()).status()).isEqualTo(200);
		for (String to : List.of("BOUGHT", "FAILED")) {
			Answer answer = move(this.volunteerToken, held, to, Map.of("note", "不是我的"));
			assertThat(answer.status()).as("%s %s", to, answer.body()).isEqualTo(403);
			assertThat(state(held)).isEqualTo("ASSIGNED");
		}
		assertThat(call(this.volunteerToken, "POST", "/api/v1/support-requests/" + held + "/assignee",
				Map.of("assigneeId", this.volunteer.accountId()))
			.status()).isEqualTo(403);
		assertThat(move(secondToken, held, "BOUGHT", Map.of()).status()).isEqualTo(200);
		assertThat(move(this.volunteerToken, held, "DELIVERED", Map.of("note", "不是我的")).status()).isEqualTo(403);
		assertThat(state(held)).isEqualTo("BOUGHT");
		assertThat(assignee(held)).isEqualTo(second.accountId());
		// nor does a delivery photo go on it
		assertThat(upload(held, "photo.jpg", AttachmentsTestImages.jpegWithExif())).isEqualTo(403);
		assertThat(this.jdbc.sql("select count(*) from task_attachment where task_id = :id")
			.param("id", held)
			.query(Long.class)
			.single()).isZero();
		// nor does a volunteer hand their own on, or give a new one to another: the
		// next shift takes it through the handover (ShiftHandover), staff by hand
		assertThat(call(secondToken, "POST", "/api/v1/support-requests/" + held + "/assignee",
				Map.of("assigneeId", this.volunteer.accountId()))
			.status()).isEqualTo(403);
		long fresh = file(this.neighbour, "MEDICINE");
		assertThat(move(this.volunteerToken, fresh, "ASSIGNED", Map.of("assigneeId", second.accountId())).status())
			.isEqualTo(403);
		assertThat(state(fresh)).isEqualTo("NEW");
		assertThat(move(this.volunteerToken, fresh, "FAILED", Map.of("note", "无人应门")).status()).isEqualTo(403);
		assertThat(state(fresh)).isEqualTo("NEW");
		assertThat(assignee(held)).isEqualTo(second.accountId());
		assertThat(this.jdbc.sql("select count(*) from task_event where task_id = :id and kind = 'TRANSITION'")
			.param("id", fresh)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aCommunityWorkerActsOnRequestsOthersHold() {
		CurrentUser second = this.data.user(Role.VOLUNTEER, this.tree.communityA1());
		long id = file(this.neighbour, "GROCERIES");
		assertThat(move(this.workerToken, id, "ASSIGNED", Map.of("assigneeId", this.volunteer.accountId())).status())
			.isEqualTo(200);
		assertThat(ok(this.workerToken, "POST", "/api/v1/support-requests/" + id + "/assignee",
				Map.of("assigneeId", second.accountId(), "note", "换人"), 200))
			.isNotNull();
		assertThat(assignee(id)).isEqualTo(second.accountId());
		assertThat(move(this.workerToken, id, "BOUGHT", Map.of()).status()).isEqualTo(200);
		assertThat(move(this.workerToken, id, "DELIVERED", Map.of("note", "社区代签")).status()).isEqualTo(200);
		assertThat(state(id)).isEqualTo("DELIVERED");
		long other = file(this.neighbour, "GAS");
		assertThat(move(this.workerToken, other, "ASSIGNED", Map.of("assigneeId", second.accountId())).status())
			.isEqualTo(200);
		assertThat(move(this.workerToken, other, "FAILED", Map.of("note", "气站关闭")).status()).isEqualTo(200);
		assertThat(state(other)).isEqualTo("FAILED");
	}

	private Long assignee(long id) {
		return this.jdbc.sql("select assignee_id from task where id = :id").param("id", id).query(Long.class).single();
	}

	@Test
	void badInputIsAProblemNeverAServerError() {
		Answer kind = call(this.workerToken, "POST", "/api/v1/support-requests",
				Map.of("residentId", this.neighbour, "kind", "PIZZA", "detail", "x"));
		assertThat(kind.status()).isEqualTo(400);
		assertThat(kind.body().get("code").asString()).isEqualTo("task.support.kind.invalid");
		assertThat(kind.body().get("errors").get(0).get("field").asString()).isEqualTo("kind");
		Answer noResident = call(this.workerToken, "POST", "/api/v1/support-requests",
				Map.of("kind", "MEDICINE", "detail", "x"));
		assertThat(noResident.status()).isEqualTo(400);
		assertThat(call(this.workerToken, "POST", "/api/v1/support-requests",
				Map.of("residentId", 99999999999L, "kind", "MEDICINE", "detail", "x"))
			.status()).isEqualTo(404);
		Answer noDetail = call(this.workerToken, "POST", "/api/v1/support-requests",
				Map.of("residentId", this.neighbour, "kind", "MEDICINE", "detail", "  "));
		assertThat(noDetail.status()).isEqualTo(400);
		assertThat(call(this.workerToken, "POST", "/api/v1/support-requests", "{\"residentId\": \"abc\"").status())
			.isEqualTo(400);
		long id = file(this.neighbour, "MEDICINE");
		Answer badState = move(this.workerToken, id, "LOST", Map.of());
		assertThat(badState.status()).isEqualTo(400);
		assertThat(badState.body().get("code").asString()).isEqualTo("task.support.state.invalid");
		Answer nobody = move(this.workerToken, id, "ASSIGNED", Map.of("assigneeId", -5));
		assertThat(nobody.status()).isEqualTo(400);
		assertThat(state(id)).isEqualTo("NEW");
		assertThat(call(this.workerToken, "GET", "/api/v1/support-requests/99999999999", null).status()).isEqualTo(404);
	}

	@Test
	void aRetriedCreateIsOneRequest() {
		String key = UUID.randomUUID().toString();
		Map<String, Object> body = Map.of("residentId", this.neighbour, "kind", "INFANT", "detail", "奶粉三罐");
		Answer first = call(this.workerToken, "POST", "/api/v1/support-requests", body, key);
		Answer again = call(this.workerToken, "POST", "/api/v1/support-requests", body, key);
		assertThat(first.status()).isEqualTo(201);
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.body().get("id").asLong()).isEqualTo(first.body().get("id").asLong());
		assertThat(this.jdbc.sql("select count(*) from support_request where resident_id = :r and detail = '奶粉三罐'")
			.param("r", this.neighbour)
			.query(Long.class)
			.single()).isEqualTo(1);
		long id = first.body().get("id").asLong();
		String moveKey = UUID.randomUUID().toString();
		assertThat(call(this.volunteerToken, "POST", "/api/v1/support-requests/" + id + "/transitions",
				Map.of("to", "ASSIGNED"), moveKey)
			.status()).isEqualTo(200);
		assertThat(call(this.volunteerToken, "POST", "/api/v1/support-requests/" + id + "/transitions",
				Map.of("to", "ASSIGNED"), moveKey)
			.status()).isEqualTo(200);
	}

	@Test
	void aDeliveryPhotoIsCheckedAndLosesItsLocation() throws Exception {
		long id = file(this.neighbour, "GROCERIES");
		move(this.volunteerToken, id, "ASSIGNED", Map.of());
		move(this.volunteerToken, id, "BOUGHT", Map.of());
		assertThat(upload(id, "note.jpg", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8))).isEqualTo(400);
		assertThat(upload(id, "photo.jpg", AttachmentsTestImages.jpegWithExif())).isEqualTo(201);
		byte[] stored = this.jdbc.sql("select content from task_attachment where task_id = :id")
			.param("id", id)
			.query(byte[].class)
			.single();
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("GPS");
		// the photo is the proof: no note needed
		assertThat(move(this.volunteerToken, id, "DELIVERED", Map.of()).status()).isEqualTo(200);
	}

	private int upload(long id, String name, byte[] bytes) {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return name;
			}
		});
		return RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + this.volunteerToken)
			.build()
			.post()
			.uri("/api/v1/support-requests/" + id + "/photos")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.exchange((req, response) -> response.getStatusCode().value());
	}

}
