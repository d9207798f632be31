package org.fangxian.notification;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.fangxian.shared.IdNumber;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every text residents can get, rendered by the flows that send it with real data (a resident, a building,
 * a seal, a quarantine, a family link, a testing round), and read as the resident would: no placeholder
 * left, no garbled sentence, no request to reply, and links that open here.
 */
class SmsTextsTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	static final HttpClient HTTP = HttpClient.newHttpClient();

	/** Keys of SMS templates: {@code sms.*} and {@code <module>.sms.text}. */
	static final Pattern TEMPLATE_KEY = Pattern.compile("^(sms\\..+|[a-z]+\\.sms\\.text)$");

	static final Pattern LINK = Pattern.compile("https?://\\S+");

	record Reply(int status, JsonNode body) {
	}

	Reply call(String method, String path, String token, Object body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("Accept", "application/json");
		request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		Reply reply = new Reply(response.statusCode(), response.body().isBlank() ? null : JSON.readTree(response.body()));
		assertThat(reply.status()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
		return reply;
	}

	static String idNumber(int year) {
		String first17 = "230102" + LocalDate.of(year, 3, 1).plusDays(java.util.concurrent.ThreadLocalRandom.current()
			.nextInt(300)).toString().replace("-", "") + String.format("%03d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1000));
		return first17 + IdNumber.checkChar(first17);
	}

	/** The SMS template keys of the application's own bundles (not of test resources). */
	static Set<String> templateKeys() throws IOException {
		Set<String> keys = new TreeSet<>();
		Path resources = Path.of("src", "main", "resources");
		List<Path> bundles;
		try (Stream<Path> files = Stream.concat(Stream.of(resources.resolve("messages.properties")),
				Files.list(resources.resolve("messages")))) {
			bundles = files.filter(p -> p.getFileName().toString().endsWith(".properties"))
				.filter(p -> !p.getFileName().toString().contains("_"))
				.toList();
		}
		for (Path bundle : bundles) {
			Properties properties = new Properties();
			try (Reader reader = new InputStreamReader(Files.newInputStream(bundle), StandardCharsets.UTF_8)) {
				properties.load(reader);
			}
			properties.stringPropertyNames().stream().filter(k -> TEMPLATE_KEY.matcher(k).matches()).forEach(keys::add);
		}
		return keys;
	}

	@Test
	void everyTextReadsRightAndItsLinksOpenHere() throws Exception {
		TestData.Tree tree = this.data.tree();
		String worker = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		long compound = call("POST", "/api/v1/nodes/" + tree.communityA1().id() + "/children", worker,
				Map.of("name", "福乐湾小区")).body().get("id").asLong();
		long building = call("POST", "/api/v1/nodes/" + compound + "/children", worker, Map.of("name", "3号楼")).body()
			.get("id")
			.asLong();
		Map<String, String> person = new LinkedHashMap<>();
		person.put("name", "李秀英");
		person.put("idType", "RESIDENT_ID");
		person.put("idNumber", idNumber(1962));
		person.put("phone", "13900139301");
		person.put("nodeId", String.valueOf(building));
		person.put("room", "502");
		person.put("relation", "HEAD");
		person.put("status", "RESIDENT");
		long resident = call("POST", "/api/v1/residents", worker, person).body().get("id").asLong();
		long household = call("GET", "/api/v1/residents/" + resident, worker, null).body().get("householdId").asLong();

		// containment: sealed, extended, lifted; a home quarantine
		long seal = call("POST", "/api/v1/containment/seals", worker, Map.of("nodeId", building, "level", "SEALED",
				"reason", "发现阳性病例", "order", "道指〔2022〕15号", "hours", 48)).body().get("id").asLong();
		call("POST", "/api/v1/containment/seals/" + seal + "/extend", worker, Map.of("hours", 72, "note", "新增病例"));
		call("POST", "/api/v1/containment/seals/" + seal + "/end", worker, Map.of("note", "解除"));
		call("POST", "/api/v1/containment/quarantines", worker, Map.of("residentId", resident, "kind", "HOME",
				"reason", "中风险地区返回", "place", "本人住所", "days", 14));
		// checkpoint: the family link
		call("POST", "/api/v1/households/" + household + "/family-link", worker, null);
		// testing: a round over the community, and a reminder to those not sampled yet
		Instant now = Instant.now();
		long round = call("POST", "/api/v1/testing/rounds", worker, Map.of("nodeId", tree.communityA1().id(), "name",
				"第一轮全员核酸", "poolSize", 10, "startsAt", now.minus(1, ChronoUnit.HOURS).toString(), "endsAt",
				now.plus(10, ChronoUnit.HOURS).toString())).body().get("id").asLong();
		call("POST", "/api/v1/testing/rounds/" + round + "/reminders", worker, null);

		Map<String, String> texts = new HashMap<>();
		this.jdbc.sql("select template, body from outbox_message where path like :p order by id")
			.param("p", tree.communityA1().path() + "%")
			.query((rs, n) -> texts.putIfAbsent(rs.getString("template"), rs.getString("body")))
			.list();
		assertThat(texts.keySet()).as("every SMS template of the bundles is rendered here")
			.containsExactlyInAnyOrderElementsOf(templateKeys());

		texts.forEach((template, text) -> {
			assertThat(text).as(template).startsWith("【").doesNotContain("回复").doesNotContain("null")
				.doesNotContain("\uFFFD").doesNotContainPattern("\\{\\d").hasSizeLessThanOrEqualTo(500);
			Matcher link = LINK.matcher(text);
			while (link.find()) {
				assertThat(link.group()).as(template + ": a link to where this app answers").startsWith(baseUrl() + "/");
			}
		});

		assertThat(texts.get("sms.containment.sealed")).contains("3号楼").contains("封控管理").contains("月");
		assertThat(texts.get("sms.containment.extended")).contains("3号楼").contains("延长至");
		assertThat(texts.get("sms.containment.unsealed")).contains("3号楼").contains("解除");
		assertThat(texts.get("sms.testing.reminder")).as("the deadline, then the site").containsPattern("请于\\d+月\\d+日\\d+:\\d\\d前到\\S+采样");
		String quarantine = texts.get("sms.containment.quarantine");
		assertThat(quarantine).as("the kind of quarantine, then where").contains("您的居家隔离自")
			.contains("（地点：本人住所）")
			.doesNotContain("开始本人住所");
		assertThat(quarantine).contains("上报");
		assertThat(texts.get("family.sms.text")).contains("1位成员");
		for (String template : List.of("sms.containment.quarantine", "family.sms.text")) {
			Matcher link = LINK.matcher(texts.get(template));
			assertThat(link.find()).as(template + " carries its link").isTrue();
			HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(link.group())).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(page.statusCode()).as(template + ": the resident's link opens without an account").isEqualTo(200);
		}
	}

}
