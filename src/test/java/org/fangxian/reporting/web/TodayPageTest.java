package org.fangxian.reporting.web;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.WebSession;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community worker lands on "today": what needs them now in their community, a count
 * per card with the first items linking to where the work is done; nothing from the
 * community next door (issue 13).
 */
class TodayPageTest extends IntegrationTest {

	RestClient api(String username) {
		return RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + this.data.token(baseUrl(), username))
			.build();
	}

	static JsonNode post(RestClient api, String uri, Object body) {
		return api.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(JsonNode.class);
	}

	/** A resident of a new building of {@code community}, in quarantine with a fever. */
	long feverish(RestClient api, TestData.NodeRef community, String name) {
		long building = post(api, "/api/v1/nodes/" + community.id() + "/children", Map.of("name", "9号楼")).get("id")
			.asLong();
		Map<String, String> person = new LinkedHashMap<>();
		person.put("name", name);
		person.put("idType", "RESIDENT_ID");
		person.put("idNumber", TestIdNumbers.next());
		person.put("phone", "13900136601");
		person.put("nodeId", String.valueOf(building));
		person.put("room", "101");
		person.put("relation", "HEAD");
		person.put("status", "RESIDENT");
		long resident = post(api, "/api/v1/residents", person).get("id").asLong();
		long quarantine = post(api, "/api/v1/containment/quarantines",
				Map.of("residentId", resident, "kind", "HOME", "reason", "密接", "place", "本人住所", "days", 14))
			.get("ids")
			.get(0)
			.asLong();
		api.post()
			.uri("/api/v1/containment/quarantines/" + quarantine + "/check-ins")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("temperature", "38.1", "symptoms", "咳嗽"))
			.retrieve()
			.toBodilessEntity();
		return quarantine;
	}

	@Test
	void aCommunityWorkerLandsOnTodayAndSeesTheFeverOfTheirCommunityOnly() {
		TestData.Tree tree = this.data.tree();
		String worker = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		long mine = feverish(api(worker), tree.communityA1(), "周建华");
		long next = feverish(api(this.data.account(Role.COMMUNITY_WORKER, tree.communityA2())), tree.communityA2(),
				"吴美玲");

		WebSession session = WebSession.signIn(baseUrl(), worker);
		HttpResponse<String> home = session.get("/");
		assertThat(home.statusCode()).isEqualTo(302);
		assertThat(URI.create(home.headers().firstValue("Location").orElseThrow()).getPath()).isEqualTo("/today");

		HttpResponse<String> today = session.get("/today");
		assertThat(today.statusCode()).isEqualTo(200);
		String body = today.body();
		assertThat(body).contains("今日待办").contains(tree.communityA1().name());
		String fevers = body.substring(body.indexOf("id=\"card-fevers\""));
		fevers = fevers.substring(0, fevers.indexOf("</section>"));
		assertThat(fevers).contains("class=\"today-count\">1<")
			.contains("周**")
			.contains("38.1 °C")
			.contains("href=\"/containment/quarantines/" + mine + "\"")
			.contains("href=\"/containment\"");
		assertThat(body).doesNotContain("吴**").doesNotContain("/containment/quarantines/" + next + "\"");
		for (String card : new String[] { "gateAlerts", "overdueCheckIns", "followUps", "returnees", "support" }) {
			assertThat(body).as(card).contains("id=\"card-" + card + "\"");
		}
		// A code as a whole word: the page's random CSRF token once held "XJBB_QQR".
		assertThat(body).doesNotContainPattern("\\b[A-Z]{4,}_[A-Z]+\\b");
	}

	@Test
	void aGuardOpensTodayWithOnlyWhatTheirRoleMaySee() {
		TestData.Tree tree = this.data.tree();
		HttpResponse<String> today = WebSession
			.signIn(baseUrl(), this.data.account(Role.CHECKPOINT_GUARD, tree.communityA1()))
			.get("/today");
		assertThat(today.statusCode()).isEqualTo(200);
		assertThat(today.body()).doesNotContain("id=\"card-fevers\"").doesNotContain("id=\"card-gateAlerts\"");
	}

}
