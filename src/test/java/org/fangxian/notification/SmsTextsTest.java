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
import org.fangxian.TestIdNumbers;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every text residents can get, rendered by the flows that send it with real data (a
 * resident, a building, a seal, a quarantine, a family link, a testing round), and read
 * as the resident would: no placeholder left, no garbled sentence, no request to reply,
 * and links that open here.
 */
class SmsTextsTest extends IntegrationTest {

	static final JsonMapper JSON = JsonMapper.shared();

	@org.springframework.beans.factory.annotation.Autowired
	org.fangxian.workforce.internal.Attendance attendance;

	@org.springframework.beans.factory.annotation.Autowired
	org.fangxian.security.PersonalDataProtection protection;

	@org.springframework.beans.factory.annotation.Autowired
	org.fangxian.task.internal.TaskBook taskBook;

	@org.springframework.beans.factory.annotation.Autowired
	org.fangxian.task.internal.ShiftHandover handover;

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
		Reply reply = new Reply(response.statusCode(),
				response.body().isBlank() ? null : JSON.readTree(response.body()));
		assertThat(reply.status()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
		return reply;
	}

	/** A multipart upload of one file, as the import routes take it. */
	Reply upload(String path, String token, String filename, String content, Map<String, String> fields)
			throws Exception {
		String boundary = "----fangxian" + System.nanoTime();
		StringBuilder body = new StringBuilder();
		fields.forEach((name, value) -> body.append("--")
			.append(boundary)
			.append("\r\nContent-Disposition: form-data; name=\"")
			.append(name)
			.append("\"\r\n\r\n")
			.append(value)
			.append("\r\n"));
		body.append("--")
			.append(boundary)
			.append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
			.append(filename)
			.append("\"\r\nContent-Type: text/csv\r\n\r\n")
			.append(content)
			.append("\r\n--")
			.append(boundary)
			.append("--\r\n");
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + token)
			.header("Accept", "application/json")
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 299);
		return new Reply(response.statusCode(), JSON.readTree(response.body()));
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
		String workerName = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		String worker = this.data.token(baseUrl(), workerName);
		// The worker has a phone on file: escalations (a fever, a positive in quarantine)
		// text them.
		this.jdbc.sql("update account set phone_cipher = :c, phone_masked = '139****9300' where username = :u")
			.param("c", this.protection.encrypt("13900139300"))
			.param("u", workerName)
			.update();
		long compound = call("POST", "/api/v1/nodes/" + tree.communityA1().id() + "/children", worker,
				Map.of("name", "福乐湾小区"))
			.body()
			.get("id")
			.asLong();
		long building = call("POST", "/api/v1/nodes/" + compound + "/children", worker, Map.of("name", "3号楼")).body()
			.get("id")
			.asLong();
		Map<String, String> person = new LinkedHashMap<>();
		person.put("name", "李秀英");
		person.put("idType", "RESIDENT_ID");
		person.put("idNumber", TestIdNumbers.bornIn(1962));
		person.put("phone", "13900139301");
		person.put("nodeId", String.valueOf(building));
		person.put("room", "502");
		person.put("relation", "HEAD");
		person.put("status", "RESIDENT");
		long resident = call("POST", "/api/v1/residents", worker, person).body().get("id").asLong();
		long household = call("GET", "/api/v1/residents/" + resident, worker, null).body().get("householdId").asLong();

		// containment: sealed, extended, lifted; a home quarantine
		long seal = call("POST", "/api/v1/containment/seals", worker,
				Map.of("nodeId", building, "level", "SEALED", "reason", "发现阳性病例", "order", "道指〔2022〕15号", "hours", 48))
			.body()
			.get("id")
			.asLong();
		call("POST", "/api/v1/containment/seals/" + seal + "/extend", worker, Map.of("hours", 72, "note", "新增病例"));
		call("POST", "/api/v1/containment/seals/" + seal + "/end", worker, Map.of("note", "解除"));
		long quarantineId = call("POST", "/api/v1/containment/quarantines", worker, Map.of("residentId", resident,
				"kind", "HOME", "reason", "中风险地区返回", "place", "本人住所", "days", 14, "testDays", "1,4,7"))
			.body()
			.get("ids")
			.get(0)
			.asLong();
		// quarantine: a fever at a check-in and a positive test, escalated to the worker
		call("POST", "/api/v1/containment/quarantines/" + quarantineId + "/check-ins", worker,
				Map.of("temperature", "38.2", "symptoms", "咳嗽"));
		call("POST", "/api/v1/containment/quarantines/" + quarantineId + "/tests", worker,
				Map.of("day", 1, "result", "POSITIVE"));
		// checkpoint: the family link
		call("POST", "/api/v1/households/" + household + "/family-link", worker, null);
		// testing: a round over the community, and a reminder to those not sampled yet
		Instant now = Instant.now();
		long round = call("POST", "/api/v1/testing/rounds", worker,
				Map.of("nodeId", tree.communityA1().id(), "name", "第一轮全员核酸", "poolSize", 10, "startsAt",
						now.minus(1, ChronoUnit.HOURS).toString(), "endsAt", now.plus(10, ChronoUnit.HOURS).toString()))
			.body()
			.get("id")
			.asLong();
		call("POST", "/api/v1/testing/rounds/" + round + "/reminders", worker, null);
		// testing: a walk-in outside the registry is sampled; their result reaches them
		// by
		// text
		String tube = "S" + System.nanoTime() % 1_000_000_000L;
		call("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + tube + "/subjects", worker,
				Map.of("idNumber", TestIdNumbers.bornIn(1988), "name", "赵一鸣", "phone", "13900139306"));
		call("POST", "/api/v1/testing/rounds/" + round + "/tubes/" + tube + "/close", worker, Map.of());
		upload("/api/v1/testing/results/imports", worker, "lab.csv", tube + ",阴性,\n", Map.of());

		// security: a cadre enrolled from a list gets their initial password by text
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		String cadre = "cadre" + System.nanoTime();
		Reply enrolled = upload("/api/v1/accounts/imports", hq, "cadres.csv",
				"姓名,手机号,账号,角色,辖区代码\n王建国,13900139302," + cadre + ",卡点值守," + tree.communityA1().code() + "\n", Map.of());
		assertThat(enrolled.body().get("accepted").asInt()).as(enrolled.body().toString()).isEqualTo(1);

		// workforce: two volunteers, a team led by the medic, a post whose shift only the
		// driver may take, then is late for
		Reply volunteers = upload("/api/v1/volunteers/imports", worker, "volunteers.csv",
				"姓名,手机号,身份证号,所属单位,技能,每周最多班次\n张志强,13900139303," + TestIdNumbers.bornIn(1975) + ",区直机关,驾驶,7\n"
						+ "刘红梅,13900139304," + TestIdNumbers.bornIn(1980) + ",区直机关,医疗,7\n",
				Map.of("code", tree.communityA1().code()));
		assertThat(volunteers.body().get("accepted").asInt()).as(volunteers.body().toString()).isEqualTo(2);
		Map<String, Long> people = new HashMap<>();
		call("GET", "/api/v1/volunteers?code=" + tree.communityA1().code(), worker, null).body()
			.forEach(v -> people.put(v.get("name").asText(), v.get("id").asLong()));
		// The driver gets a volunteer account: its first password is texted.
		call("POST", "/api/v1/volunteers/" + people.get("张志强") + "/account", worker, Map.of());
		call("POST", "/api/v1/teams", worker, Map.of("nodeId", tree.communityA1().id(), "name", "第一突击队", "kind",
				"SHOCK_TEAM", "leaderId", people.get("刘红梅"), "memberIds", List.of(people.get("张志强"))));
		call("POST", "/api/v1/posts", worker,
				Map.of("nodeId", tree.communityA1().id(), "name", "东门卡点", "kind", "checkpoint", "shifts",
						List.of(Map.of("start", "07:00", "end", "14:00", "headcount", 1, "skills", List.of("驾驶")))));
		// An afternoon post the driver may not take (10 h rest): the medic's, until her
		// leave changes it.
		call("POST", "/api/v1/posts", worker, Map.of("nodeId", tree.communityA1().id(), "name", "南门卡点", "kind",
				"checkpoint", "shifts", List.of(Map.of("start", "15:00", "end", "18:00", "headcount", 1))));
		LocalDate tomorrow = LocalDate.now().plusDays(1);
		long roster = call("POST", "/api/v1/rosters", worker, Map.of("code", tree.communityA1().code(), "from",
				tomorrow.toString(), "to", tomorrow.toString(), "seconds", 1))
			.body()
			.get("id")
			.asLong();
		JsonNode solved = null;
		for (int i = 0; i < 120 && (solved == null || !"DONE".equals(solved.get("state").asText())); i++) {
			Thread.sleep(500);
			solved = call("GET", "/api/v1/rosters/" + roster, worker, null).body();
		}
		assertThat(solved.get("assignments")).as(solved.toString()).hasSize(2);
		// The medic falls ill: her shift is changed (nobody else may take it) and she is
		// told.
		Reply leave = call("POST", "/api/v1/rosters/" + roster + "/leaves", worker,
				Map.of("volunteerId", people.get("刘红梅"), "from", tomorrow.toString(), "to", tomorrow.toString(), "kind",
						"SICK", "apply", true));
		assertThat(leave.body().get("applied").asBoolean()).as(leave.body().toString()).isTrue();
		// The shift began ten minutes ago and nobody checked in: the team leader is told.
		this.jdbc
			.sql("update duty_assignment set starts_at = localtimestamp - interval '10 minutes' where roster_id = :r")
			.param("r", roster)
			.update();
		assertThat(this.attendance.flagLate()).isPositive();

		// task: a 12345 work order dispatched to the community and answered to the caller
		long order = call("POST", "/api/v1/work-orders", worker, Map.of("channel", "12345", "content", "小区东门垃圾未清运",
				"callerPhone", "13900139305", "nodeId", tree.communityA1().id(), "category", "环境卫生"))
			.body()
			.get("id")
			.asLong();
		call("POST", "/api/v1/work-orders/" + order + "/dispatch", worker,
				Map.of("nodeId", tree.communityA1().id(), "days", 2));
		call("POST", "/api/v1/work-orders/" + order + "/reply", worker, Map.of("reply", "已安排当日清运"));

		// task: the overdue work order is raised to the hotline team's leader, then to
		// the
		// street's; a supply request whose volunteer went off duty, with nobody at the
		// delivery post, goes back to the queue and the post team's leader is told
		long team = this.jdbc.sql("select id from volunteer_team where node_id = :n and name = '第一突击队'")
			.param("n", tree.communityA1().id())
			.query(Long.class)
			.single();
		Reply streetPeople = upload("/api/v1/volunteers/imports", hq, "street.csv",
				"姓名,手机号,身份证号,所属单位,技能,每周最多班次\n王振华,13900139306," + TestIdNumbers.bornIn(1970) + ",街道办,,7\n陈立,13900139307,"
						+ TestIdNumbers.bornIn(1990) + ",街道办,,7\n",
				Map.of("code", tree.streetA().code()));
		assertThat(streetPeople.body().get("accepted").asInt()).as(streetPeople.body().toString()).isEqualTo(2);
		long deliverer = this.jdbc.sql("select id from volunteer where node_id = :n and name = '陈立'")
			.param("n", tree.streetA().id())
			.query(Long.class)
			.single();
		long streetLeader = this.jdbc.sql("select id from volunteer where node_id = :n and name = '王振华'")
			.param("n", tree.streetA().id())
			.query(Long.class)
			.single();
		long streetTeam = call("POST", "/api/v1/teams", hq, Map.of("nodeId", tree.streetA().id(), "name", "街道督办组",
				"kind", "WORK_TEAM", "leaderId", streetLeader, "memberIds", List.of()))
			.body()
			.get("id")
			.asLong();
		List<Map<String, Object>> shift = List.of(Map.of("start", "08:00", "end", "12:00", "headcount", 1));
		call("POST", "/api/v1/posts", worker, Map.of("nodeId", tree.communityA1().id(), "name", "社区热线", "kind",
				"hotline", "teamId", team, "shifts", shift));
		call("POST", "/api/v1/posts", hq, Map.of("nodeId", tree.streetA().id(), "name", "街道热线", "kind", "hotline",
				"teamId", streetTeam, "shifts", shift));
		java.time.Instant taken = java.time.Instant.now();
		new org.fangxian.task.internal.Escalations(this.taskBook,
				java.time.Clock.fixed(taken.plus(java.time.Duration.ofDays(3)), java.time.ZoneId.of("Asia/Shanghai")))
			.run();
		new org.fangxian.task.internal.Escalations(this.taskBook,
				java.time.Clock.fixed(taken.plus(java.time.Duration.ofDays(5)), java.time.ZoneId.of("Asia/Shanghai")))
			.run();
		long deliveryPost = call("POST", "/api/v1/posts", worker, Map.of("nodeId", tree.communityA1().id(), "name",
				"配送点", "kind", "delivery", "teamId", team, "shifts", shift))
			.body()
			.get("id")
			.asLong();
		long request = call("POST", "/api/v1/support-requests", worker,
				Map.of("residentId", resident, "kind", "GROCERIES", "detail", "米面油"))
			.body()
			.get("id")
			.asLong();
		long volunteerAccount = this.jdbc.sql("select id from account where username = :u")
			.param("u", this.data.account(Role.VOLUNTEER, tree.communityA1()))
			.query(Long.class)
			.single();
		this.jdbc.sql("update volunteer set account_id = :a where id = :v")
			.param("a", volunteerAccount)
			.param("v", deliverer)
			.update();
		call("POST", "/api/v1/support-requests/" + request + "/transitions", worker,
				Map.of("to", "ASSIGNED", "assigneeId", volunteerAccount));
		this.jdbc.sql("update task set updated_at = now() - interval '3 hours' where id = :t")
			.param("t", request)
			.update();
		this.jdbc.sql("""
				insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id)
				select :r, s.id, s.post_id, current_date, localtimestamp - interval '5 hours',
				       localtimestamp - interval '1 hour', :v
				from duty_shift s where s.post_id = :p""")
			.param("r", roster)
			.param("p", deliveryPost)
			.param("v", deliverer)
			.update();
		assertThat(this.handover.handOver(java.time.Instant.now()).returned()).isPositive();

		Map<String, String> texts = new HashMap<>();
		this.jdbc.sql("select template, body from outbox_message where path like :p order by id")
			.param("p", tree.communityA1().path() + "%")
			.query((rs, n) -> texts.putIfAbsent(rs.getString("template"), rs.getString("body")))
			.list();
		assertThat(texts.keySet()).as("every SMS template of the bundles is rendered here")
			.containsExactlyInAnyOrderElementsOf(templateKeys());

		texts.forEach((template, text) -> {
			assertThat(text).as(template)
				.startsWith("【")
				.doesNotContain("回复")
				.doesNotContain("null")
				.doesNotContain("\uFFFD")
				.doesNotContainPattern("\\{\\d")
				.hasSizeLessThanOrEqualTo(500);
			Matcher link = LINK.matcher(text);
			while (link.find()) {
				assertThat(link.group()).as(template + ": a link to where this app answers")
					.startsWith(baseUrl() + "/");
			}
		});

		assertThat(texts.get("sms.containment.sealed")).contains("3号楼").contains("封控管理").contains("月");
		assertThat(texts.get("sms.containment.extended")).contains("3号楼").contains("延长至");
		assertThat(texts.get("sms.containment.unsealed")).contains("3号楼").contains("解除");
		assertThat(texts.get("sms.testing.reminder")).as("the deadline, then the site")
			.containsPattern("请于\\d+月\\d+日\\d+:\\d\\d前到\\S+采样");
		String quarantine = texts.get("sms.containment.quarantine");
		assertThat(quarantine).as("the kind of quarantine, then where")
			.contains("您的居家隔离自")
			.contains("（地点：本人住所）")
			.doesNotContain("开始本人住所");
		assertThat(quarantine).contains("上报");
		assertThat(texts.get("family.sms.text")).contains("1位成员");
		assertThat(texts.get("sms.testing.subjectResult")).as("when, then the result")
			.containsPattern("您于\\d+月\\d+日\\d+:\\d\\d采集的核酸检测：结果为阴性。");
		assertThat(texts.get("sms.quarantine.fever")).contains("李*").contains("体温异常").doesNotContain("38.2");
		assertThat(texts.get("sms.quarantine.positive")).contains("李*").contains("第1天").contains("阳性");
		assertThat(texts.get("sms.account.initialPassword"))
			.as("the password itself is kept encrypted, never in the body")
			.contains(cadre)
			.doesNotContain("null");
		assertThat(texts.get("sms.workforce.shifts")).contains("1 个新班次").contains(tomorrow.toString());
		assertThat(texts.get("sms.workforce.late")).contains("东门卡点").contains("尚未签到");
		assertThat(texts.get("sms.workforce.changed")).contains("南门卡点").contains("15:00").contains(tomorrow.toString());
		assertThat(texts.get("sms.workforce.account")).as("the password itself is kept encrypted, never in the body")
			.contains("volunteer" + people.get("张志强"))
			.contains("******")
			.contains(baseUrl() + "/login");
		assertThat(texts.get("sms.task.workOrderReply")).contains("工单" + order).contains("已安排当日清运");
		assertThat(texts.get("sms.task.escalatedLeader")).contains("12345工单").contains("编号" + order).contains("超过办理时限");
		assertThat(texts.get("sms.task.escalatedStreet")).contains("编号" + order).contains("街道督办");
		assertThat(texts.get("sms.task.handoverUnassigned")).contains("编号" + request).contains("退回待接单");
		assertThat(this.jdbc.sql("select phone_masked from outbox_message where dedupe_key = :k")
			.param("k", "task:escalated:" + order + ":2")
			.query(String.class)
			.single()).as("the street's leader, not the community's").endsWith("9306");
		for (String template : List.of("sms.containment.quarantine", "family.sms.text", "sms.workforce.shifts",
				"sms.workforce.changed")) {
			Matcher link = LINK.matcher(texts.get(template));
			assertThat(link.find()).as(template + " carries its link").isTrue();
			HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(link.group())).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(page.statusCode()).as(template + ": the resident's link opens without an account")
				.isEqualTo(200);
		}
	}

}
