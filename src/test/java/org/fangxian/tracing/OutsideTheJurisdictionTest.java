package org.fangxian.tracing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.WebSession;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.tracing.internal.CaseBook;
import org.fangxian.tracing.internal.TracingWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A case of community A1 whose contacts partly live in A2, decided by the street's
 * tracer: the A1 worker traces what lives in A1, and what lives elsewhere is counted,
 * never listed, and never makes the whole page, list or export fail.
 *
 * <pre>
 * A1 1栋1单元 101  the case · 102  the neighbour (same unit) · 103  the other neighbour
 * A2 5栋1单元      the relative (in the case's household, living in A2) · 501  the friend (no record puts him near)
 * </pre>
 */
class OutsideTheJurisdictionTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	@Autowired
	ResidentService residents;

	@Autowired
	CaseBook cases;

	@Autowired
	TracingWork work;

	TestData.Tree tree;

	CurrentUser worker;

	CurrentUser streetTracer;

	long unitA2;

	long caseId;

	final Map<String, Long> ids = new HashMap<>();

	final Map<String, String> idNumbers = new HashMap<>();

	final String tag = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		CurrentUser a2Worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		this.streetTracer = this.data.user(Role.TRACER, this.tree.streetA());
		long compoundA1 = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		long buildingA1 = this.data.node(compoundA1, "BUILDING", null, "1栋").id();
		long unitA1 = this.data.node(buildingA1, "UNIT", null, "1单元").id();
		long compoundA2 = this.data.node(this.tree.communityA2().id(), "COMPOUND", null, "福同花园").id();
		long buildingA2 = this.data.node(compoundA2, "BUILDING", null, "5栋").id();
		this.unitA2 = this.data.node(buildingA2, "UNIT", null, "1单元").id();
		resident(this.worker, "case", "王建国", unitA1, "101");
		resident(this.worker, "neighbour", "赵邻居", unitA1, "102");
		resident(this.worker, "other", "钱对门", unitA1, "103");
		resident(a2Worker, "friend", "孙好友", this.unitA2, "501");
		// registered in the case's household, living in A2: the records put him near the
		// case
		this.ids.put("relative",
				this.jdbc.sql("""
						insert into resident (node_id, household_id, name, id_type)
						select :node, household_id, '李远亲', 'RESIDENT_ID' from resident where id = :case returning id""")
					.param("node", this.unitA2)
					.param("case", this.ids.get("case"))
					.query(Long.class)
					.single());
		this.caseId = this.cases.open(this.worker,
				new CaseBook.NewCase(this.ids.get("case"), "CONFIRMED", "FEVER_CLINIC", null, null, null));
		// the street's tracer decides both people of A2, the community's worker its
		// neighbour
		decide(this.streetTracer, "relative");
		decide(this.streetTracer, "friend");
		decide(this.worker, "neighbour");
	}

	private void resident(CurrentUser by, String key, String name, long node, String room) {
		String idNumber = TestIdNumbers.next();
		this.ids.put(key, this.residents.create(by, new ResidentService.ResidentForm(name, null, idNumber,
				"139" + String.format("%08d", new Random().nextInt(100_000_000)), node, room, "其他", null, "常住", null)));
		this.idNumbers.put(key, idNumber);
	}

	private long decide(CurrentUser by, String key) {
		return this.work.decide(by, this.caseId,
				new TracingWork.Decision(this.ids.get(key), null, "CLOSE", "同住或同行", null, null));
	}

	/** Moves a resident to a household of their own in A2, with an address of its own. */
	private String moveToA2(String key) {
		String address = "福同花园5栋1单元" + this.tag + key;
		long household = this.jdbc
			.sql("insert into household (node_id, room, address) values (:node, :room, :address) returning id")
			.param("node", this.unitA2)
			.param("room", this.tag + key)
			.param("address", address)
			.query(Long.class)
			.single();
		this.jdbc.sql("update resident set node_id = :node, household_id = :household where id = :id")
			.param("node", this.unitA2)
			.param("household", household)
			.param("id", this.ids.get(key))
			.update();
		return address;
	}

	private JsonNode api(CurrentUser user, String path) {
		return RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + this.data.token(baseUrl(), user.username()))
			.build()
			.get()
			.uri(path)
			.exchange((req, response) -> {
				assertThat(response.getStatusCode().value()).as("GET %s", path).isEqualTo(200);
				return JSON.readTree(response.getBody().readAllBytes());
			});
	}

	private static List<Long> residentIds(JsonNode list) {
		List<Long> ids = new ArrayList<>();
		list.forEach(c -> ids.add(c.get("residentId").isNull() ? null : c.get("residentId").asLong()));
		return ids;
	}

	private static List<String> cells(byte[] xlsx) throws IOException {
		List<String> cells = new ArrayList<>();
		try (ReadableWorkbook book = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
			for (Row row : book.getFirstSheet().read()) {
				row.forEach(cell -> cells.add(cell == null ? "" : cell.getText()));
			}
		}
		return cells;
	}

	@Test
	void candidatesLivingOutsideAreCountedOnceAndNeverListedThoughAWiderTracerDecidedThem() {
		TracingWork.Candidates ofWorker = this.work.candidates(this.worker, this.caseId);
		assertThat(ofWorker.candidates()).extracting(Candidate::residentId)
			.contains(this.ids.get("neighbour"), this.ids.get("other"))
			.doesNotContain(this.ids.get("relative"), this.ids.get("friend"));
		assertThat(ofWorker.candidates()).extracting(Candidate::address)
			.allSatisfy(address -> assertThat(address).doesNotContain("5栋"));
		assertThat(ofWorker.outside()).as("the relative and the friend, each once").isEqualTo(2);

		TracingWork.Candidates ofTracer = this.work.candidates(this.streetTracer, this.caseId);
		assertThat(ofTracer.candidates()).extracting(Candidate::residentId)
			.contains(this.ids.get("neighbour"), this.ids.get("relative"), this.ids.get("friend"));
		assertThat(ofTracer.outside()).isZero();
	}

	@Test
	void theContactsListAndTheExportHoldWhoLivesInsideInFullAndCountTheRest() throws IOException {
		assertThat(residentIds(api(this.worker, "/api/v1/cases/" + this.caseId + "/contacts")))
			.containsExactly(this.ids.get("neighbour"));
		assertThat(residentIds(api(this.streetTracer, "/api/v1/cases/" + this.caseId + "/contacts")))
			.containsExactlyInAnyOrder(this.ids.get("neighbour"), this.ids.get("relative"), this.ids.get("friend"));

		String page = WebSession.signIn(baseUrl(), this.worker.username()).get("/tracing/cases/" + this.caseId).body();
		assertThat(page).contains("赵*居", "另有 2 名已判定人员住在您的辖区之外").doesNotContain("孙*友", "李*亲", "5栋");

		Map<String, String> texts = Map.of("tracing.export.outside", "另有 {0} 人住在辖区之外");
		List<String> unmasked = cells(this.work.export(this.worker, this.caseId, true, k -> texts.getOrDefault(k, k)));
		assertThat(unmasked).as("the neighbour in full")
			.contains(this.idNumbers.get("neighbour"), "赵邻居")
			.contains("另有 2 人住在辖区之外")
			.doesNotContain(this.idNumbers.get("friend"), "孙好友", "孙*友", "李远亲", "李*亲");
		List<String> masked = cells(this.work.export(this.worker, this.caseId, false, k -> texts.getOrDefault(k, k)));
		assertThat(masked).contains("赵*居", "另有 2 人住在辖区之外").doesNotContain("孙*友", "李*亲");

		List<String> ofTracer = cells(
				this.work.export(this.streetTracer, this.caseId, true, k -> texts.getOrDefault(k, k)));
		assertThat(ofTracer).contains(this.idNumbers.get("neighbour"), this.idNumbers.get("friend"), "李远亲")
			.noneMatch(cell -> cell.startsWith("另有"));
	}

	@Test
	void theCasePageStillOpensWhenThePersonHasMovedOutAndShowsNothingOfTheNewHome() {
		String address = moveToA2("case");
		HttpResponse<String> page = WebSession.signIn(baseUrl(), this.worker.username())
			.get("/tracing/cases/" + this.caseId);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("赵*居").doesNotContain(address).doesNotContain("5栋");
		assertThat(this.cases.view(this.worker, this.caseId).address()).isEmpty();
		assertThat(api(this.worker, "/api/v1/cases/" + this.caseId).get("address").asString()).isEmpty();
		assertThat(this.cases.view(this.streetTracer, this.caseId).address()).isEqualTo(address);
	}

	@Test
	void aContactWhoMovedOutIsLeftToWhoeverIsResponsibleAndTheRestAreQuarantined() {
		decide(this.worker, "other");
		moveToA2("neighbour");
		assertThat(residentIds(api(this.worker, "/api/v1/cases/" + this.caseId + "/contacts")))
			.containsExactly(this.ids.get("other"));
		assertThat(this.work.quarantine(this.worker, this.caseId, "HOME")).isEqualTo(1);
		assertThat(this.work.quarantine(this.streetTracer, this.caseId, "HOME")).as("the neighbour, relative, friend")
			.isEqualTo(3);
	}

}
