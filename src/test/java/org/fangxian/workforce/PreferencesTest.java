package org.fangxian.workforce;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.security.Role;
import org.fangxian.workforce.WorkforceFixture.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A volunteer's wishes (意向) through {@code /api/v1/volunteers/{id}/preferences}: read as
 * the import reads them, refused by field, scoped to the worker's jurisdiction, audited
 * once per change, and weighed by the roster like imported ones.
 */
class PreferencesTest extends IntegrationTest {

	TestData.Tree tree;

	WorkforceFixture api;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.api = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1())));
	}

	private Map<String, Long> enrol(String csv) {
		JsonNode report = this.api.importCsv(csv).body();
		assertThat(report.get("rejected")).as(report.toString()).isEmpty();
		Map<String, Long> ids = new HashMap<>();
		this.api.get("/api/v1/volunteers?code=" + this.tree.communityA1().code())
			.body()
			.forEach(v -> ids.put(v.get("name").asString(), v.get("id").asLong()));
		return ids;
	}

	private String stored(long id) {
		return this.jdbc.sql("""
				select array_to_string(preferred_kinds, '、') || ' ' || preferred_from || '-' || preferred_to
				from volunteer where id = :id""").param("id", id).query(String.class).single();
	}

	private long audits(long id) {
		return this.jdbc
			.sql("select count(*) from audit_event where action = 'VOLUNTEER_PREFERENCES_CHANGED' and target_id = :id")
			.param("id", String.valueOf(id))
			.query(Long.class)
			.single();
	}

	@Test
	void importedWishesAreReadAndReplacedInTheImportsWords() {
		long id = enrol("姓名,手机号,所属单位,意向岗位,意向时段\n意向甲," + TestPhoneNumbers.next() + ",区卫健局,巡逻、卡点,晚班\n").get("意向甲");
		String path = "/api/v1/volunteers/" + id + "/preferences";
		Answer read = this.api.get(path);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.body().get("kinds").toString()).isEqualTo("[\"CHECKPOINT\",\"PATROL\"]");
		assertThat(read.body().get("times").toString()).isEqualTo("[\"晚班\"]");

		// Adjacent named times join into one window of start times (05:00-17:00).
		Answer put = this.api.putJson(path, "{\"kinds\":[\"SAMPLING_POINT\",\"入户\"],\"times\":[\"早班\",\"中班\"]}");
		assertThat(put.status()).as(put.toString()).isEqualTo(200);
		assertThat(put.body().get("kinds").toString()).isEqualTo("[\"SAMPLING_POINT\",\"DOOR_TO_DOOR\"]");
		assertThat(put.body().get("times").toString()).isEqualTo("[\"早班\",\"中班\"]");
		assertThat(stored(id)).isEqualTo("SAMPLING_POINT、DOOR_TO_DOOR 300-1020");
		assertThat(this.api.get(path).body()).isEqualTo(put.body());
		assertThat(audits(id)).isEqualTo(1);

		// The same request again changes nothing and leaves one audit row.
		assertThat(this.api.putJson(path, "{\"kinds\":[\"SAMPLING_POINT\",\"DOOR_TO_DOOR\"],\"times\":[\"早班\",\"中班\"]}")
			.status()).isEqualTo(200);
		assertThat(audits(id)).isEqualTo(1);

		Answer window = this.api.putJson(path, "{\"kinds\":[],\"times\":[\"07:00-12:00\"]}");
		assertThat(window.body().get("times").toString()).isEqualTo("[\"07:00-12:00\"]");
		assertThat(stored(id)).isEqualTo(" 420-720");
		assertThat(audits(id)).isEqualTo(2);

		// Empty lists: any post, any time.
		assertThat(this.api.putJson(path, "{\"kinds\":[],\"times\":[]}").status()).isEqualTo(200);
		assertThat(stored(id)).isEqualTo(" -1--1");
	}

	@Test
	void badWordsAreRefusedByFieldAndChangeNothing() {
		long id = enrol("姓名,手机号,意向岗位,意向时段\n意向乙," + TestPhoneNumbers.next() + ",巡逻,晚班\n").get("意向乙");
		String path = "/api/v1/volunteers/" + id + "/preferences";
		Map<String, String[]> refusals = Map.of("{\"kinds\":[\"游泳\"],\"times\":[]}",
				new String[] { "kinds", "workforce.import.preferredPost", "游泳" },
				"{\"kinds\":[\"PATROL\"],\"times\":[\"下午茶\"]}",
				new String[] { "times", "workforce.import.preferredHours", "下午茶" },
				"{\"kinds\":[],\"times\":[\"25:00-26:00\"]}",
				new String[] { "times", "workforce.import.preferredHours", "25:00" },
				"{\"kinds\":[],\"times\":[\"早班\",\"晚班\"]}",
				new String[] { "times", "workforce.import.preferredHoursApart", "早班、晚班" });
		refusals.forEach((body, expected) -> {
			Answer answer = this.api.putJson(path, body);
			assertThat(answer.status()).as(body + " → " + answer).isEqualTo(400);
			JsonNode error = answer.body().get("errors").get(0);
			assertThat(error.get("field").asString()).isEqualTo(expected[0]);
			assertThat(error.get("code").asString()).isEqualTo(expected[1]);
			assertThat(error.get("message").asString()).contains(expected[2]);
		});
		Answer noBody = this.api.putJson(path, "");
		assertThat(noBody.status()).as(noBody.toString()).isEqualTo(400);
		assertThat(noBody.body().get("errors")).isNotEmpty();
		assertThat(this.api.putJson(path, "{\"kinds\":\"PATROL\"}").status()).isEqualTo(400);
		assertThat(stored(id)).isEqualTo("PATROL 1020-1320");
		assertThat(audits(id)).isZero();
	}

	@Test
	void aWorkerOfAnotherCommunityNeitherReadsNorChangesThem() {
		long id = enrol("姓名,手机号,意向岗位,意向时段\n意向丙," + TestPhoneNumbers.next() + ",巡逻,晚班\n").get("意向丙");
		WorkforceFixture other = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityB1())));
		String path = "/api/v1/volunteers/" + id + "/preferences";
		Answer read = other.get(path);
		assertThat(read.status()).as(read.toString()).isIn(403, 404);
		assertThat(read.body().toString()).doesNotContain("PATROL");
		Answer put = other.putJson(path, "{\"kinds\":[\"HOTLINE\"],\"times\":[\"夜班\"]}");
		assertThat(put.status()).as(put.toString()).isIn(403, 404);
		assertThat(stored(id)).isEqualTo("PATROL 1020-1320");
		assertThat(other.get("/api/v1/volunteers/" + Long.MAX_VALUE + "/preferences").status()).isEqualTo(404);
	}

	@Test
	void wishesSetThroughTheApiPlaceEachPersonWhereTheyWished() throws InterruptedException {
		String code = this.tree.communityA1().code();
		Map<String, Long> ids = enrol(
				"姓名,手机号,所属单位\n愿晚巡," + TestPhoneNumbers.next() + ",区卫健局\n愿早卡," + TestPhoneNumbers.next() + ",区卫健局\n");
		assertThat(this.api
			.putJson("/api/v1/volunteers/" + ids.get("愿晚巡") + "/preferences",
					"{\"kinds\":[\"PATROL\"],\"times\":[\"晚班\"]}")
			.status()).isEqualTo(200);
		assertThat(this.api
			.putJson("/api/v1/volunteers/" + ids.get("愿早卡") + "/preferences",
					"{\"kinds\":[\"CHECKPOINT\"],\"times\":[\"早班\"]}")
			.status()).isEqualTo(200);
		long checkpoint = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"南门卡点\",\"kind\":\"checkpoint\",\"shifts\":[{\"start\":\"07:00\",\"end\":\"11:00\",\"headcount\":1,\"skills\":[]}]}")
			.body()
			.get("id")
			.asLong();
		this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"夜间巡逻\",\"kind\":\"patrol\",\"shifts\":[{\"start\":\"18:00\",\"end\":\"22:00\",\"headcount\":1,\"skills\":[]}]}");
		JsonNode roster = this.api.solve(code, LocalDate.of(2027, 5, 3), LocalDate.of(2027, 5, 4), 2);
		assertThat(roster.get("assignments")).hasSize(4).allSatisfy(a -> {
			long expected = a.get("postId").asLong() == checkpoint ? ids.get("愿早卡") : ids.get("愿晚巡");
			assertThat(a.get("volunteerId").asLong()).as(a.toString()).isEqualTo(expected);
		});
		assertThat(List.of(ids.get("愿晚巡"), ids.get("愿早卡"))).allSatisfy(id -> assertThat(audits(id)).isEqualTo(1));
	}

}
