package org.fangxian.registry;

import java.io.IOException;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The integration contract's exact paths and bodies, over real HTTP. */
class ResidentApiContractTest extends IntegrationTest {

	private final JsonMapper json = JsonMapper.builder().build();

	TestData.Tree tree;

	String token;

	record Answer(int status, JsonNode body) {
	}

	@BeforeEach
	void setUp() {
		this.data.forgetAllResidents();
		this.tree = this.data.tree();
		this.token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1()));
	}

	private RestClient client() {
		return RestClient.builder().baseUrl(baseUrl()).defaultHeader("Authorization", "Bearer " + this.token).build();
	}

	private Answer post(String path, Object body, MediaType type) {
		return client().post()
			.uri(path)
			.contentType(type)
			.body(body)
			.exchange((request, response) -> new Answer(response.getStatusCode().value(),
					this.json.readTree(response.getBody().readAllBytes())));
	}

	private Answer checkId(String number) {
		return post("/api/v1/id-numbers/check", "{\"number\":\"" + number + "\"}", MediaType.APPLICATION_JSON);
	}

	private Answer importFile(String filename, byte[] content, String communityCode, String... confirmNewPlaces) {
		MultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		for (String place : confirmNewPlaces) {
			parts.add("confirmNewPlaces", place);
		}
		if (content != null) {
			parts.add("file", new ByteArrayResource(content) {
				@Override
				public String getFilename() {
					return filename;
				}
			});
		}
		if (communityCode != null) {
			parts.add("communityCode", communityCode);
		}
		return post("/api/v1/residents/imports", parts, MediaType.MULTIPART_FORM_DATA);
	}

	@Test
	void checksIdNumbersAsTheContractSays() {
		JsonNode valid = checkId("11010519491231002x").body();
		assertThat(valid.get("valid").asBoolean()).isTrue();
		assertThat(valid.get("normalized").asString()).isEqualTo("11010519491231002X");
		assertThat(valid.get("birthDate").asString()).isEqualTo("1949-12-31");
		assertThat(valid.get("sex").asString()).isEqualTo("FEMALE");
		assertThat(valid.get("reason").isNull()).isTrue();

		JsonNode legacy = checkId("110105491231002").body();
		assertThat(legacy.get("normalized").asString()).isEqualTo("11010519491231002X");

		JsonNode wrong = checkId("110105194912310021").body();
		assertThat(wrong.get("valid").asBoolean()).isFalse();
		assertThat(wrong.get("normalized").isNull()).isTrue();
		assertThat(wrong.get("reason").asString()).contains("校验位");

		JsonNode english = post("/api/v1/id-numbers/check?lang=en", "{\"number\":\"11010519491231002\"}",
				MediaType.APPLICATION_JSON)
			.body();
		assertThat(english.get("reason").asString()).contains("18 characters");
	}

	@Test
	void importsAMultipartRosterAndReportsAsTheContractSays() throws IOException {
		byte[] xlsx = new ClassPathResource(MessyRosterFixture.XLSX).getContentAsByteArray();
		// A new community: confirming only a place the file does not name leaves the
		// roster's new compounds uncreated and their rows rejected by row (issue 13).
		Answer unconfirmed = importFile("花名册.xlsx", xlsx, this.tree.communityA1().code(), "不存在的小区");
		assertThat(unconfirmed.status()).isEqualTo(200);
		assertThat(unconfirmed.body().get("accepted").asInt()).isLessThan(18);
		assertThat(unconfirmed.body().get("rejected").get(0).get("reason").asString()).contains("确认新建");
		assertThat(unconfirmed.body().get("newPlaces")).isEmpty();
		// Without the parameter the contract stands: new places are created and listed.
		Answer first = importFile("花名册.xlsx", xlsx, this.tree.communityA1().code());

		assertThat(first.status()).isEqualTo(200);
		JsonNode report = first.body();
		assertThat(report.get("accepted").asInt()).isEqualTo(18 - unconfirmed.body().get("accepted").asInt());
		assertThat(report.get("newPlaces").get(0).get("label").asString()).isNotBlank();
		assertThat(report.get("updated").asInt()).isZero();
		assertThat(report.get("unchanged").asInt()).isEqualTo(unconfirmed.body().get("accepted").asInt());
		assertThat(report.get("rejected")).hasSize(5);
		assertThat(report.get("rejected").get(0).get("row").asInt()).isEqualTo(13);
		assertThat(report.get("rejected").get(0).get("reason").asString()).isNotBlank();
		assertThat(report.get("duplicates")).hasSize(2);
		assertThat(report.get("duplicates").get(0).get("row").asInt()).isEqualTo(17);
		assertThat(report.get("duplicates").get(0).get("matchedResidentId").asLong()).isPositive();
		assertThat(report.get("duplicates").get(0).get("rule").asString()).isEqualTo("SAME_ID_NUMBER");

		JsonNode again = importFile("花名册.xlsx", xlsx, this.tree.communityA1().code()).body();
		assertThat(again.get("accepted").asInt()).isZero();
		assertThat(again.get("unchanged").asInt()).isEqualTo(18);
		assertThat(again.get("newPlaces")).as("the places exist now").isEmpty();
	}

	@Test
	void badImportRequestsGetProblemDetailsNamingTheField() {
		Answer noFile = importFile("x.csv", null, this.tree.communityA1().code());
		assertThat(noFile.status()).isEqualTo(400);
		assertThat(noFile.body().get("errors").get(0).get("field").asString()).isEqualTo("file");
		assertThat(noFile.body().get("detail").asString()).isNotBlank();

		Answer badCode = importFile("x.csv", "姓名\n".getBytes(), "12ab");
		assertThat(badCode.status()).isEqualTo(400);
		assertThat(badCode.body().get("errors").get(0).get("field").asString()).isEqualTo("communityCode");

		Answer outside = importFile("x.csv", "姓名,电话\n张三,13800000000\n".getBytes(), this.tree.communityB1().code());
		assertThat(outside.status()).isEqualTo(403);

		Answer legacyExcel = importFile("old.xls", new byte[] { 1, 2, 3 }, this.tree.communityA1().code());
		assertThat(legacyExcel.status()).isEqualTo(400);
		assertThat(legacyExcel.body().get("code").asString()).isEqualTo("roster.format.unsupported");
		assertThat(legacyExcel.body().get("detail").asString()).contains(".xlsx");

		Answer noHeader = importFile("x.csv", "a,b\n1,2\n".getBytes(), this.tree.communityA1().code());
		assertThat(noHeader.status()).isEqualTo(400);
		assertThat(noHeader.body().get("code").asString()).isEqualTo("roster.format.noHeader");
		assertThat(noHeader.body().toString()).doesNotContain("Exception").doesNotContain("at org.");
	}

	@Test
	void publishesOpenApiDocs() {
		String docs = client().get().uri("/v3/api-docs").retrieve().body(String.class);
		assertThat(docs).contains("/api/v1/residents/imports")
			.contains("/api/v1/id-numbers/check")
			.contains("/api/v1/auth/token");
		HttpStatusCode health = RestClient.create(baseUrl())
			.get()
			.uri("/actuator/health")
			.retrieve()
			.toBodilessEntity()
			.getStatusCode();
		assertThat(health.value()).isEqualTo(200);
	}

}
