package org.fangxian.task;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.WebSession;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 12345 work orders (工单) through the API of issue 16: intake, dispatch (转派) to a
 * community with a deadline, supervision, the reply texted to the caller (phone kept
 * encrypted), closing with satisfaction; skipped steps 409; the overdue list; statistics;
 * another street's order not found.
 */
class WorkOrderApiTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	TestData.Tree tree;

	String street;

	String community;

	record Answer(int status, JsonNode body) {
	}

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.street = this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetA()));
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.community = this.data.token(baseUrl(), worker.username());
	}

	private Answer call(String token, String method, String path, Object body, String key) {
		RestClient.RequestBodySpec request = RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + token)
			.build()
			.method(HttpMethod.valueOf(method))
			.uri(path);
		if (key != null) {
			request = request.header("Idempotency-Key", key);
		}
		if (body != null) {
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

	private Map<String, Object> order(String content, String category) {
		Map<String, Object> body = new HashMap<>();
		body.put("channel", "12345");
		body.put("content", content);
		body.put("callerPhone", "13800138123");
		body.put("nodeId", this.tree.streetA().id());
		body.put("category", category);
		return body;
	}

	private long take(String content, String category) {
		Answer created = call(this.street, "POST", "/api/v1/work-orders", order(content, category));
		assertThat(created.status()).as("%s", created.body()).isEqualTo(201);
		assertThat(created.body().get("dueAt").asString()).isNotBlank();
		return created.body().get("id").asLong();
	}

	@Test
	void anOrderIsDispatchedAnsweredByTextAndClosedWithSatisfaction() {
		long id = take("小区门口快递堆放，无人消杀", "疫情防控");
		// nothing skipped
		Answer early = call(this.street, "POST", "/api/v1/work-orders/" + id + "/reply", Map.of("reply", "已处理"));
		assertThat(early.status()).isEqualTo(409);
		assertThat(early.body().get("code").asString()).isEqualTo("task.transition.notAllowed");
		assertThat(
				call(this.street, "POST", "/api/v1/work-orders/" + id + "/close", Map.of("satisfaction", "SATISFIED"))
					.status())
			.isEqualTo(409);
		// the community cannot see it before it is dispatched there
		assertThat(call(this.community, "POST", "/api/v1/work-orders/" + id + "/reply", Map.of("reply", "x")).status())
			.isEqualTo(404);
		Answer dispatched = call(this.street, "POST", "/api/v1/work-orders/" + id + "/dispatch",
				Map.of("nodeId", this.tree.communityA1().id(), "days", 2, "note", "请当日处理"));
		assertThat(dispatched.status()).as("%s", dispatched.body()).isEqualTo(200);
		assertThat(dispatched.body().get("state").asString()).isEqualTo("DISPATCHED");
		assertThat(
				call(this.street, "POST", "/api/v1/work-orders/" + id + "/supervise", Map.of("note", "请加快办理")).status())
			.isEqualTo(200);
		Answer replied = call(this.community, "POST", "/api/v1/work-orders/" + id + "/reply",
				Map.of("reply", "已联系快递站整改并每日消杀"));
		assertThat(replied.status()).as("%s", replied.body()).isEqualTo(200);
		String text = this.jdbc
			.sql("select body from outbox_message where dedupe_key = :k and template = 'sms.task.workOrderReply'")
			.param("k", "task:work-order:" + id + ":reply")
			.query(String.class)
			.single();
		assertThat(text).contains("工单" + id).contains("已联系快递站整改并每日消杀");
		assertThat(this.jdbc.sql("select phone_masked from outbox_message where dedupe_key = :k")
			.param("k", "task:work-order:" + id + ":reply")
			.query(String.class)
			.single()).doesNotContain("13800138123");
		Answer badClose = call(this.community, "POST", "/api/v1/work-orders/" + id + "/close",
				Map.of("satisfaction", "GREAT"));
		assertThat(badClose.status()).isEqualTo(400);
		assertThat(call(this.community, "POST", "/api/v1/work-orders/" + id + "/close",
				Map.of("satisfaction", "basically_satisfied"))
			.body()
			.get("state")
			.asString()).isEqualTo("CLOSED");
		assertThat(call(this.street, "POST", "/api/v1/work-orders/" + id + "/dispatch",
				Map.of("nodeId", this.tree.communityA1().id()))
			.status()).isEqualTo(409);
		JsonNode listed = call(this.street, "GET", "/api/v1/work-orders", null).body();
		JsonNode mine = null;
		for (JsonNode o : listed) {
			if (o.get("id").asLong() == id) {
				mine = o;
			}
		}
		assertThat(mine).isNotNull();
		assertThat(mine.get("phone").asString()).doesNotContain("13800138123").contains("*");
		assertThat(mine.get("satisfaction").asString()).isEqualTo("BASICALLY_SATISFIED");
		assertThat(mine.get("supervised").asInt()).isEqualTo(1);
		assertThat(listed.toString()).doesNotContain("13800138123");
	}

	@Test
	void aVolunteerNeitherTakesDispatchesSupervisesRepliesToNorClosesAnOrder() {
		String volunteer = this.data.token(baseUrl(), this.data.account(Role.VOLUNTEER, this.tree.communityA1()));
		Map<String, Object> intake = order("楼道垃圾无人清运", "环境卫生");
		intake.put("nodeId", this.tree.communityA1().id());
		assertThat(call(volunteer, "POST", "/api/v1/work-orders", intake).status()).isEqualTo(403);
		long id = take("楼道垃圾无人清运", "环境卫生");
		assertThat(call(volunteer, "POST", "/api/v1/work-orders/" + id + "/dispatch",
				Map.of("nodeId", this.tree.communityA1().id()))
			.status()).isEqualTo(403);
		assertThat(state(id)).isEqualTo("NEW");
		assertThat(call(this.street, "POST", "/api/v1/work-orders/" + id + "/dispatch",
				Map.of("nodeId", this.tree.communityA1().id()))
			.status()).isEqualTo(200);
		assertThat(call(volunteer, "POST", "/api/v1/work-orders/" + id + "/supervise", Map.of("note", "x")).status())
			.isEqualTo(403);
		assertThat(call(volunteer, "POST", "/api/v1/work-orders/" + id + "/reply", Map.of("reply", "x")).status())
			.isEqualTo(403);
		assertThat(state(id)).isEqualTo("DISPATCHED");
		assertThat(
				call(this.community, "POST", "/api/v1/work-orders/" + id + "/reply", Map.of("reply", "已清运")).status())
			.isEqualTo(200);
		assertThat(call(volunteer, "POST", "/api/v1/work-orders/" + id + "/close", Map.of("satisfaction", "SATISFIED"))
			.status()).isEqualTo(403);
		assertThat(state(id)).isEqualTo("REPLIED");
		// nor do they read the orders and their callers' phones
		assertThat(call(volunteer, "GET", "/api/v1/work-orders", null).status()).isEqualTo(403);
		// the community worker closes it
		assertThat(call(this.community, "POST", "/api/v1/work-orders/" + id + "/close",
				Map.of("satisfaction", "SATISFIED"))
			.status()).isEqualTo(200);
		assertThat(state(id)).isEqualTo("CLOSED");
	}

	private String state(long id) {
		return this.jdbc.sql("select state from task where id = :id").param("id", id).query(String.class).single();
	}

	@Test
	void theOverdueListHoldsOnlyOpenOrdersPastTheirDeadline() {
		long late = take("楼道堆物", "环境卫生");
		long onTime = take("噪音扰民", "环境卫生");
		this.jdbc.sql("update task set due_at = now() - interval '1 hour' where id = :id").param("id", late).update();
		JsonNode overdue = call(this.street, "GET", "/api/v1/work-orders?overdue=true", null).body();
		List<Long> ids = new java.util.ArrayList<>();
		overdue.forEach(o -> ids.add(o.get("id").asLong()));
		assertThat(ids).contains(late).doesNotContain(onTime);
		overdue.forEach(o -> assertThat(o.get("overdue").asBoolean()).isTrue());
		JsonNode stats = call(this.street, "GET", "/api/v1/work-orders/statistics", null).body();
		assertThat(stats.get("all").get("total").asLong()).isEqualTo(2);
		assertThat(stats.get("all").get("overdue").asLong()).isEqualTo(1);
		assertThat(stats.get("byCategory").get(0).get("key").asString()).isEqualTo("环境卫生");
		assertThat(stats.get("byNode").get(0).get("key").asString()).isEqualTo(this.tree.streetA().name());
	}

	@Test
	void badInputIsAProblemAndARetryIsOneOrder() {
		Map<String, Object> wrongChannel = order("x", "其他");
		wrongChannel.put("channel", "110");
		Answer channel = call(this.street, "POST", "/api/v1/work-orders", wrongChannel);
		assertThat(channel.status()).isEqualTo(400);
		assertThat(channel.body().get("code").asString()).isEqualTo("task.workOrder.channel");
		Map<String, Object> badPhone = order("x", "其他");
		badPhone.put("callerPhone", "12");
		assertThat(call(this.street, "POST", "/api/v1/work-orders", badPhone).body().get("code").asString())
			.isEqualTo("task.workOrder.phone");
		Map<String, Object> noContent = order(" ", "其他");
		assertThat(call(this.street, "POST", "/api/v1/work-orders", noContent).status()).isEqualTo(400);
		Map<String, Object> elsewhere = order("x", "其他");
		elsewhere.put("nodeId", this.tree.streetB().id());
		assertThat(call(this.street, "POST", "/api/v1/work-orders", elsewhere).status()).isIn(403, 404);
		String key = UUID.randomUUID().toString();
		Answer first = call(this.street, "POST", "/api/v1/work-orders", order("重复提交测试", "其他"), key);
		Answer again = call(this.street, "POST", "/api/v1/work-orders", order("重复提交测试", "其他"), key);
		assertThat(again.body().get("id").asLong()).isEqualTo(first.body().get("id").asLong());
		long id = first.body().get("id").asLong();
		assertThat(call(this.street, "POST", "/api/v1/work-orders/" + id + "/dispatch",
				Map.of("nodeId", this.tree.communityA1().id(), "days", 99))
			.status()).isEqualTo(400);
		String other = this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetB()));
		assertThat(call(other, "POST", "/api/v1/work-orders/" + id + "/dispatch",
				Map.of("nodeId", this.tree.communityB1().id()))
			.status()).isEqualTo(404);
		assertThat(call(other, "GET", "/api/v1/work-orders", null).body().toString()).doesNotContain("重复提交测试");
	}

	@Test
	void theBoardSaysHowOrdersArriveWhenThereAreNoneAndWhenNoneIsOverdue() {
		WebSession session = WebSession.signIn(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetA()));
		String none = session.get("/tasks/work-orders").body();
		assertThat(none).contains("辖区内还没有 12345 工单").doesNotContain("id=\"by-category\"");

		take("楼道堆放杂物", "环境卫生");
		String noneOverdue = session.get("/tasks/work-orders?overdue=true").body();
		assertThat(noneOverdue).contains("没有超时未办结的工单").doesNotContain("辖区内还没有 12345 工单").contains("id=\"by-category\"");
	}

}
