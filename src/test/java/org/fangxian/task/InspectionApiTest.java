package org.fangxian.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.fangxian.task.internal.AttachmentsTestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inspections (巡查) and rectification (整改) through the API: a failed item opens a
 * rectification with the inspector's deadline; the next inspection of the place is its
 * re-inspection (reopened with a new deadline, then closed); incomplete findings change
 * nothing; photos lose their EXIF; one submission wins; jurisdiction; checklists edited
 * only by HQ and streets; a complaint verified with evidence.
 */
class InspectionApiTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	TestData.Tree tree;

	String street;

	String worker;

	String otherStreet;

	record Answer(int status, JsonNode body) {
	}

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.street = this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetA()));
		this.worker = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1()));
		this.otherStreet = this.data.token(baseUrl(), this.data.account(Role.STREET_ADMIN, this.tree.streetB()));
	}

	private Answer call(String token, String method, String path, Object body) {
		RestClient.RequestBodySpec request = RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + token)
			.build()
			.method(HttpMethod.valueOf(method))
			.uri(path);
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, response) -> {
			byte[] bytes = response.getBody().readAllBytes();
			return new Answer(response.getStatusCode().value(), bytes.length == 0 ? null : JSON.readTree(bytes));
		});
	}

	private JsonNode plan(String token, long nodeId, Long establishmentId) {
		Map<String, Object> body = new HashMap<>();
		body.put("kind", "COMMUNITY_GATE");
		body.put("nodeId", nodeId);
		body.put("establishmentId", establishmentId);
		Answer planned = call(token, "POST", "/api/v1/inspections", body);
		assertThat(planned.status()).as("%s", planned.body()).isEqualTo(201);
		assertThat(planned.body().get("state").asString()).isEqualTo("PLANNED");
		assertThat(planned.body().get("items").size()).isGreaterThanOrEqualTo(3);
		return planned.body();
	}

	/** Every item passed except {@code failed} (item id → note), due in {@code days}. */
	private List<Map<String, Object>> findings(JsonNode inspection, Map<Long, String> failed, int days) {
		List<Map<String, Object>> findings = new ArrayList<>();
		for (JsonNode item : inspection.get("items")) {
			long id = item.get("id").asLong();
			Map<String, Object> finding = new HashMap<>();
			finding.put("itemId", id);
			finding.put("passed", !failed.containsKey(id));
			finding.put("note", failed.get(id));
			finding.put("days", days);
			findings.add(finding);
		}
		return findings;
	}

	private long firstItem(JsonNode inspection) {
		return inspection.get("items").get(0).get("id").asLong();
	}

	private JsonNode rectification(String token, long id) {
		for (JsonNode r : call(token, "GET", "/api/v1/rectifications", null).body()) {
			if (r.get("id").asLong() == id) {
				return r;
			}
		}
		return null;
	}

	@Test
	void aVolunteerNeitherPlansNorRecordsInspections() {
		String volunteer = this.data.token(baseUrl(), this.data.account(Role.VOLUNTEER, this.tree.communityA1()));
		Map<String, Object> body = new HashMap<>();
		body.put("kind", "COMMUNITY_GATE");
		body.put("nodeId", this.tree.communityA1().id());
		assertThat(call(volunteer, "POST", "/api/v1/inspections", body).status()).isEqualTo(403);
		JsonNode inspection = plan(this.worker, this.tree.communityA1().id(), null);
		long id = inspection.get("id").asLong();
		assertThat(call(volunteer, "GET", "/api/v1/inspections/" + id, null).status()).isEqualTo(403);
		assertThat(call(volunteer, "POST", "/api/v1/inspections/" + id + "/findings",
				Map.of("findings", findings(inspection, Map.of(), 3)))
			.status()).isEqualTo(403);
		assertThat(call(volunteer, "GET", "/api/v1/rectifications?open=true", null).status()).isEqualTo(403);
		assertThat(call(this.worker, "POST", "/api/v1/inspections/" + id + "/findings",
				Map.of("findings", findings(inspection, Map.of(), 3)))
			.status()).isEqualTo(200);
	}

	@Test
	void aFailedItemOpensARectificationThatReinspectionReopensAndThenCloses() throws IOException {
		JsonNode inspection = plan(this.worker, this.tree.communityA1().id(), null);
		long id = inspection.get("id").asLong();
		long item = firstItem(inspection);
		Map<String, Object> photo = Map.of("itemId", item, "content", AttachmentsTestImages.jpegWithExif());
		Instant before = Instant.now();
		Answer recorded = call(this.worker, "POST", "/api/v1/inspections/" + id + "/findings", Map.of("findings",
				findings(inspection, Map.of(item, "卡口无人值守"), 2), "photos", List.of(photo), "note", "夜间巡查"));
		assertThat(recorded.status()).as("%s", recorded.body()).isEqualTo(200);
		assertThat(recorded.body().get("opened").size()).isEqualTo(1);
		long rectification = recorded.body().get("opened").get(0).asLong();
		// one submission only: a second one is refused and adds nothing
		Answer again = call(this.worker, "POST", "/api/v1/inspections/" + id + "/findings",
				Map.of("findings", findings(inspection, Map.of(), 2)));
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.body().get("code").asString()).isEqualTo("task.transition.notAllowed");
		assertThat(this.jdbc.sql("select count(*) from inspection_finding where inspection_id = :id")
			.param("id", id)
			.query(Integer.class)
			.single()).isEqualTo(inspection.get("items").size());
		// the photo is kept without its location
		byte[] kept = this.jdbc
			.sql("select content from inspection_photo where inspection_id = :id and item_id = :item")
			.param("id", id)
			.param("item", item)
			.query(byte[].class)
			.single();
		assertThat(new String(kept, StandardCharsets.ISO_8859_1)).doesNotContain("GPS");
		JsonNode open = rectification(this.street, rectification);
		assertThat(open).isNotNull();
		assertThat(open.get("state").asString()).isEqualTo("OPEN");
		assertThat(open.get("finding").asString()).isEqualTo("卡口无人值守");
		assertThat(open.get("place").asString()).isEqualTo("福乐湾社区");
		Instant due = Instant.parse(open.get("dueAt").asString());
		assertThat(due).isBetween(before.plus(Duration.ofDays(2)).minusSeconds(5),
				Instant.now().plus(Duration.ofDays(2)));
		JsonNode done = call(this.worker, "GET", "/api/v1/inspections/" + id, null).body();
		assertThat(done.get("state").asString()).isEqualTo("DONE");
		assertThat(done.get("findings").get(0).get("rectificationId").asLong()).isEqualTo(rectification);
		assertThat(done.get("findings").get(0).get("photos").asInt()).isEqualTo(1);

		// the re-inspection finds it still wrong: reopened, a new deadline, a second
		// round
		Answer replanned = call(this.street, "POST", "/api/v1/rectifications/" + rectification + "/reinspection", null);
		assertThat(replanned.status()).as("%s", replanned.body()).isEqualTo(201);
		JsonNode second = replanned.body();
		assertThat(second.get("nodeId").asLong()).isEqualTo(this.tree.communityA1().id());
		Answer failedAgain = call(this.worker, "POST", "/api/v1/inspections/" + second.get("id").asLong() + "/findings",
				Map.of("findings", findings(second, Map.of(item, "仍无人值守"), 5)));
		assertThat(failedAgain.status()).as("%s", failedAgain.body()).isEqualTo(200);
		assertThat(failedAgain.body().get("reopened").get(0).asLong()).isEqualTo(rectification);
		assertThat(failedAgain.body().get("opened").size()).isZero();
		JsonNode reopened = rectification(this.street, rectification);
		assertThat(reopened.get("state").asString()).isEqualTo("REOPENED");
		assertThat(reopened.get("rounds").asInt()).isEqualTo(2);
		assertThat(Instant.parse(reopened.get("dueAt").asString())).isAfter(due.plus(Duration.ofDays(2)));

		// the next one finds it put right: closed, off the open board
		JsonNode third = call(this.street, "POST", "/api/v1/rectifications/" + rectification + "/reinspection", null)
			.body();
		Answer passed = call(this.worker, "POST", "/api/v1/inspections/" + third.get("id").asLong() + "/findings",
				Map.of("findings", findings(third, Map.of(), 3)));
		assertThat(passed.body().get("closed").get(0).asLong()).isEqualTo(rectification);
		assertThat(rectification(this.street, rectification).get("state").asString()).isEqualTo("CLOSED");
		JsonNode openOnly = call(this.street, "GET", "/api/v1/rectifications?open=true", null).body();
		assertThat(openOnly.toString()).doesNotContain("\"id\":" + rectification + ",");
		assertThat(
				call(this.street, "POST", "/api/v1/rectifications/" + rectification + "/reinspection", null).status())
			.isEqualTo(409);
		List<String> history = new ArrayList<>();
		call(this.street, "GET", "/api/v1/rectifications/" + rectification + "/history", null).body()
			.forEach(step -> history.add(step.get("kind").asString() + ":" + step.get("toState").asString()));
		assertThat(history).containsExactly("CREATED:OPEN", "TRANSITION:REOPENED", "TRANSITION:CLOSED");
		assertThat(
				this.jdbc.sql("select count(*) from audit_event where action = 'INSPECTION_DONE' and target_id = :id")
					.param("id", String.valueOf(id))
					.query(Integer.class)
					.single())
			.isEqualTo(1);
	}

	@Test
	void incompleteOrBadFindingsAreRefusedAndNothingIsKept() {
		JsonNode inspection = plan(this.worker, this.tree.communityA1().id(), null);
		long id = inspection.get("id").asLong();
		long item = firstItem(inspection);
		List<Map<String, Object>> missing = findings(inspection, Map.of(), 3);
		missing.remove(0);
		Answer unanswered = call(this.worker, "POST", "/api/v1/inspections/" + id + "/findings",
				Map.of("findings", missing));
		assertThat(unanswered.status()).isEqualTo(400);
		assertThat(unanswered.body().get("code").asString()).isEqualTo("task.inspection.unanswered");
		List<Map<String, Object>> noNote = findings(inspection, Map.of(item, " "), 3);
		assertThat(
				call(this.worker, "POST", "/api/v1/inspections/" + id + "/findings", Map.of("findings", noNote)).body()
					.get("code")
					.asString())
			.isEqualTo("task.inspection.noteRequired");
		assertThat(call(this.worker, "POST", "/api/v1/inspections/" + id + "/findings",
				Map.of("findings", findings(inspection, Map.of(item, "无人"), 31)))
			.body()
			.get("code")
			.asString()).isEqualTo("task.inspection.days");
		Answer notAPhoto = call(this.worker, "POST", "/api/v1/inspections/" + id + "/findings", Map.of("findings",
				findings(inspection, Map.of(item, "无人"), 3), "photos",
				List.of(Map.of("itemId", item, "content", "MZ not an image".getBytes(StandardCharsets.UTF_8)))));
		assertThat(notAPhoto.status()).isEqualTo(400);
		assertThat(notAPhoto.body().get("code").asString()).isEqualTo("task.attachment.type");
		assertThat(call(this.worker, "GET", "/api/v1/inspections/" + id, null).body().get("state").asString())
			.isEqualTo("PLANNED");
		assertThat(this.jdbc.sql("select count(*) from rectification where inspection_id = :id")
			.param("id", id)
			.query(Integer.class)
			.single()).isZero();
		Answer badKind = call(this.worker, "POST", "/api/v1/inspections",
				Map.of("kind", "SPACESHIP", "nodeId", this.tree.communityA1().id()));
		assertThat(badKind.status()).isEqualTo(400);
		assertThat(badKind.body().get("code").asString()).isEqualTo("task.inspection.kind.invalid");
	}

	@Test
	void inspectionsAndRectificationsStayInTheirJurisdiction() {
		// a worker of A1 cannot inspect A2; another street does not see A1's inspection
		assertThat(call(this.worker, "POST", "/api/v1/inspections",
				Map.of("kind", "ENTERPRISE", "nodeId", this.tree.communityA2().id()))
			.status()).isEqualTo(403);
		JsonNode inspection = plan(this.street, this.tree.communityA1().id(), null);
		long id = inspection.get("id").asLong();
		assertThat(call(this.otherStreet, "GET", "/api/v1/inspections/" + id, null).status()).isEqualTo(404);
		assertThat(call(this.otherStreet, "POST", "/api/v1/inspections/" + id + "/findings",
				Map.of("findings", findings(inspection, Map.of(), 3)))
			.status()).isEqualTo(404);
		Answer recorded = call(this.street, "POST", "/api/v1/inspections/" + id + "/findings",
				Map.of("findings", findings(inspection, Map.of(firstItem(inspection), "未测温"), 3)));
		long rectification = recorded.body().get("opened").get(0).asLong();
		assertThat(rectification(this.otherStreet, rectification)).isNull();
		assertThat(call(this.otherStreet, "POST", "/api/v1/rectifications/" + rectification + "/reinspection", null)
			.status()).isEqualTo(404);
		assertThat(rectification(this.worker, rectification)).isNotNull();
		// an establishment must lie under the node named
		long shop = this.jdbc.sql("""
				insert into establishment (node_id, path, kind, name) values (:node, '', 'SHOP', :name) returning id""")
			.param("node", this.tree.communityA2().id())
			.param("name", "福同超市")
			.query(Long.class)
			.single();
		assertThat(call(this.street, "POST", "/api/v1/inspections",
				Map.of("kind", "SUPERMARKET", "nodeId", this.tree.communityA1().id(), "establishmentId", shop))
			.status()).isEqualTo(404);
		Answer atShop = call(this.street, "POST", "/api/v1/inspections",
				Map.of("kind", "SUPERMARKET", "nodeId", this.tree.streetA().id(), "establishmentId", shop));
		assertThat(atShop.status()).as("%s", atShop.body()).isEqualTo(201);
		assertThat(atShop.body().get("place").asString()).isEqualTo("福同超市（福同社区）");
		assertThat(atShop.body().get("nodeId").asLong()).isEqualTo(this.tree.communityA2().id());
	}

	@Test
	void theDeskBoardShowsOverdueRectificationsFirst() {
		JsonNode first = plan(this.street, this.tree.communityA1().id(), null);
		long late = call(this.street, "POST", "/api/v1/inspections/" + first.get("id").asLong() + "/findings",
				Map.of("findings", findings(first, Map.of(firstItem(first), "消毒用品缺"), 10)))
			.body()
			.get("opened")
			.get(0)
			.asLong();
		JsonNode second = plan(this.street, this.tree.communityA2().id(), null);
		long soon = call(this.street, "POST", "/api/v1/inspections/" + second.get("id").asLong() + "/findings",
				Map.of("findings", findings(second, Map.of(firstItem(second), "未登记"), 1)))
			.body()
			.get("opened")
			.get(0)
			.asLong();
		// the 10-day one passed its deadline long ago
		this.jdbc.sql("update task set due_at = now() - interval '1 hour' where id = :id").param("id", late).update();
		JsonNode board = call(this.street, "GET", "/api/v1/rectifications?open=true", null).body();
		List<Long> order = new ArrayList<>();
		board.forEach(r -> order.add(r.get("id").asLong()));
		assertThat(order).containsSubsequence(late, soon);
		assertThat(board.get(order.indexOf(late)).get("overdue").asBoolean()).isTrue();
		assertThat(board.get(order.indexOf(soon)).get("overdue").asBoolean()).isFalse();
	}

	@Test
	void checklistsAreEditedOnlyByHqAndStreetsAndKeepTheirAnsweredItems() {
		JsonNode site = checklist(this.street, "CONSTRUCTION_SITE");
		long id = site.get("id").asLong();
		List<String> texts = new ArrayList<>();
		site.get("items").forEach(i -> texts.add(i.get("text").asString()));
		List<String> edited = new ArrayList<>(texts);
		edited.set(edited.size() - 1, "设置临时隔离观察点并配备专人" + System.nanoTime());
		edited.add("食堂分餐错峰");
		Map<String, Object> body = Map.of("name", "建筑工地", "items", edited, "version", site.get("version").asInt());
		assertThat(call(this.worker, "PUT", "/api/v1/checklists/" + id, body).status()).isEqualTo(403);
		Answer saved = call(this.street, "PUT", "/api/v1/checklists/" + id, body);
		assertThat(saved.status()).as("%s", saved.body()).isEqualTo(200);
		assertThat(saved.body().get("items").size()).isEqualTo(edited.size());
		assertThat(saved.body().get("items").get(edited.size() - 1).get("text").asString()).isEqualTo("食堂分餐错峰");
		// the same edit on the old version: someone else saved first
		assertThat(call(this.street, "PUT", "/api/v1/checklists/" + id, body).status()).isEqualTo(409);
		long own = saved.body().get("id").asLong();
		int version = saved.body().get("version").asInt();
		assertThat(call(this.street, "PUT", "/api/v1/checklists/" + own,
				Map.of("name", "建筑工地", "items", List.of(" "), "version", version))
			.status()).isEqualTo(400);

		// An item whose text stays at its place keeps its id: findings still point at it.
		long firstId = saved.body().get("items").get(0).get("id").asLong();
		List<String> again = new ArrayList<>(edited);
		again.set(1, "工人宿舍每日通风消毒");
		Answer second = call(this.street, "PUT", "/api/v1/checklists/" + own,
				Map.of("name", "建筑工地", "items", again, "version", version));
		assertThat(second.status()).as("%s", second.body()).isEqualTo(200);
		assertThat(second.body().get("id").asLong()).isEqualTo(own);
		assertThat(second.body().get("items").get(0).get("id").asLong()).isEqualTo(firstId);
		assertThat(second.body().get("items").get(1).get("text").asString()).isEqualTo("工人宿舍每日通风消毒");
	}

	/**
	 * A street's edit is its own: its communities inspect with it, the other street and
	 * the installation's list are untouched, and the other street cannot reach it.
	 */
	@Test
	void aStreetsChecklistIsItsOwn() {
		JsonNode installation = checklist(this.otherStreet, "COMMUNITY_GATE");
		List<String> items = itemsPlusOne(installation);
		Answer saved = editAsStreetA(installation, items);
		long own = saved.body().get("id").asLong();
		assertThat(own).isNotEqualTo(installation.get("id").asLong());

		// Street A and its communities: their version, in lists and in a planned
		// inspection.
		assertThat(checklist(this.street, "COMMUNITY_GATE").get("id").asLong()).isEqualTo(own);
		assertThat(checklist(this.worker, "COMMUNITY_GATE").get("name").asString()).isEqualTo("甲街道小区卡口");
		JsonNode planned = plan(this.worker, this.tree.communityA1().id(), null);
		assertThat(planned.get("template").asString()).isEqualTo("甲街道小区卡口");
		assertThat(planned.get("items").get(items.size() - 1).get("text").asString())
			.isEqualTo(items.get(items.size() - 1));

		// Street B, and the installation's list: as they were.
		JsonNode other = checklist(this.otherStreet, "COMMUNITY_GATE");
		assertThat(other.get("id").asLong()).isEqualTo(installation.get("id").asLong());
		assertThat(other.get("version").asInt()).isEqualTo(installation.get("version").asInt());
		assertThat(other.get("items").size()).isEqualTo(items.size() - 1);
		assertThat(
				call(this.otherStreet, "PUT", "/api/v1/checklists/" + own, Map.of("name", "乙街道改甲街道的", "items", items))
					.status())
			.isEqualTo(404);
		assertThat(checklist(this.worker, "COMMUNITY_GATE").get("name").asString()).isEqualTo("甲街道小区卡口");

		// The district's HQ covers street A: it may correct that street's version, which
		// stays
		// the street's (the HQ's own lists are still the installation's).
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, this.tree.district()));
		Answer corrected = call(hq, "PUT", "/api/v1/checklists/" + own, Map.of("name", "甲街道小区卡口（区核定）", "items", items));
		assertThat(corrected.status()).as("%s", corrected.body()).isEqualTo(200);
		assertThat(corrected.body().get("id").asLong()).isEqualTo(own);
		assertThat(checklist(this.worker, "COMMUNITY_GATE").get("name").asString()).isEqualTo("甲街道小区卡口（区核定）");
		assertThat(checklist(hq, "COMMUNITY_GATE").get("id").asLong()).isEqualTo(installation.get("id").asLong());
	}

	/**
	 * A street's first own version takes over the street's open rectifications of the
	 * items it keeps: the re-inspection, planned with the new version, still closes them.
	 */
	@Test
	void aRectificationOpenedBeforeTheStreetsFirstEditIsClosedByAReinspectionWithIt() {
		JsonNode installation = checklist(this.otherStreet, "COMMUNITY_GATE");
		assertThat(checklist(this.street, "COMMUNITY_GATE").get("id").asLong())
			.as("street A still uses the installation's list")
			.isEqualTo(installation.get("id").asLong());
		JsonNode inspection = plan(this.worker, this.tree.communityA1().id(), null);
		long item = firstItem(inspection);
		long rectification = call(this.worker, "POST",
				"/api/v1/inspections/" + inspection.get("id").asLong() + "/findings",
				Map.of("findings", findings(inspection, Map.of(item, "卡口无人值守"), 2)))
			.body()
			.get("opened")
			.get(0)
			.asLong();

		List<String> items = itemsPlusOne(installation);
		editAsStreetA(installation, items);

		JsonNode reinspection = call(this.street, "POST", "/api/v1/rectifications/" + rectification + "/reinspection",
				null)
			.body();
		assertThat(reinspection.get("template").asString()).isEqualTo("甲街道小区卡口");
		assertThat(reinspection.get("items").size()).isEqualTo(items.size());
		Answer passed = call(this.worker, "POST",
				"/api/v1/inspections/" + reinspection.get("id").asLong() + "/findings",
				Map.of("findings", findings(reinspection, Map.of(), 3)));
		assertThat(passed.status()).as("%s", passed.body()).isEqualTo(200);
		assertThat(passed.body().get("closed")).extracting(JsonNode::asLong).containsExactly(rectification);
		assertThat(rectification(this.street, rectification).get("state").asString()).isEqualTo("CLOSED");
		// Street B's list, and its open work, are not the street's to take over.
		assertThat(checklist(this.otherStreet, "COMMUNITY_GATE").get("id").asLong())
			.isEqualTo(installation.get("id").asLong());
	}

	/** The checklist's item texts and one new item. */
	private static List<String> itemsPlusOne(JsonNode checklist) {
		List<String> items = new ArrayList<>();
		checklist.get("items").forEach(i -> items.add(i.get("text").asString()));
		items.add("外卖快递无接触配送区" + System.nanoTime());
		return items;
	}

	/** Street A's administrator saves the checklist as 甲街道小区卡口 with these items. */
	private Answer editAsStreetA(JsonNode checklist, List<String> items) {
		Answer saved = call(this.street, "PUT", "/api/v1/checklists/" + checklist.get("id").asLong(),
				Map.of("name", "甲街道小区卡口", "items", items));
		assertThat(saved.status()).as("%s", saved.body()).isEqualTo(200);
		return saved;
	}

	private JsonNode checklist(String token, String kind) {
		Answer listed = call(token, "GET", "/api/v1/checklists", null);
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.body().size()).isEqualTo(5);
		for (JsonNode t : listed.body()) {
			if (t.get("kind").asString().equals(kind)) {
				return t;
			}
		}
		throw new AssertionError("no checklist " + kind);
	}

	@Test
	void aComplaintIsVerifiedWithEvidence() throws IOException {
		Answer order = call(this.street, "POST", "/api/v1/work-orders", Map.of("channel", "12345", "content", "超市无人测温",
				"callerPhone", "13800138123", "nodeId", this.tree.communityA1().id(), "category", "疫情防控"));
		long id = order.body().get("id").asLong();
		Answer noEvidence = call(this.street, "POST", "/api/v1/work-orders/" + id + "/verification",
				Map.of("verdict", "CONFIRMED", "note", "现场确认无人测温"));
		assertThat(noEvidence.status()).isEqualTo(400);
		assertThat(noEvidence.body().get("code").asString()).isEqualTo("task.verification.evidence");
		assertThat(call(this.street, "POST", "/api/v1/work-orders/" + id + "/verification",
				Map.of("verdict", "MAYBE", "note", "x", "evidence", List.of(AttachmentsTestImages.jpeg())))
			.status()).isEqualTo(400);
		assertThat(call(this.otherStreet, "POST", "/api/v1/work-orders/" + id + "/verification",
				Map.of("verdict", "CONFIRMED", "note", "x", "evidence", List.of(AttachmentsTestImages.jpeg())))
			.status()).isEqualTo(404);
		Answer verified = call(this.street, "POST", "/api/v1/work-orders/" + id + "/verification", Map.of("verdict",
				"CONFIRMED", "note", "现场确认无人测温", "evidence", List.of(AttachmentsTestImages.jpegWithExif())));
		assertThat(verified.status()).as("%s", verified.body()).isEqualTo(201);
		assertThat(this.jdbc.sql("select count(*) from task_attachment where task_id = :id")
			.param("id", id)
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("select note from task_event where task_id = :id and kind = 'COMMENT'")
			.param("id", id)
			.query(String.class)
			.single()).isEqualTo("核实：属实。现场确认无人测温");
		assertThat(this.jdbc.sql("select verdict from work_order_verification where task_id = :id")
			.param("id", id)
			.query(String.class)
			.single()).isEqualTo("CONFIRMED");
	}

}
