package org.fangxian.browser;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.RoomOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's testing items, tried as the people in the field use them: the round page of
 * a community with one positive pooled tube and a long missing list, and the sampler's
 * phone at 390×844, online and with the network cut.
 */
class TestingFieldBrowserTest extends BrowserTestSupport {

	private static final String GREEN = "rgba(20, 108, 46, 1)";

	@Autowired
	ResidentService residents;

	TestData.Tree tree;

	CurrentUser worker;

	TestData.NodeRef unit1;

	TestData.NodeRef unit2;

	TestData.NodeRef unit3;

	final List<String> unit1Ids = new ArrayList<>();

	final List<String> unit2Ids = new ArrayList<>();

	String unit3Id;

	String token;

	@BeforeEach
	void aBuildingOfThreeUnits() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		TestData.NodeRef building = this.data.node(this.tree.communityA1().id(), "BUILDING", null, "1栋");
		this.unit1 = this.data.node(building.id(), "UNIT", null, "1单元");
		this.unit2 = this.data.node(building.id(), "UNIT", null, "2单元");
		this.unit3 = this.data.node(building.id(), "UNIT", null, "3单元");
		this.token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1()));
	}

	@AfterEach
	void backOnline() {
		network(true);
	}

	/** Rooms that sort wrongly as text: 1001 and 1101 before 201 and 301. */
	private void residentsInUnits(int perUnit) {
		for (int i = 0; i < perUnit; i++) {
			String room = (i % 11 + 1) + "0" + (i / 11 + 1);
			this.unit1Ids.add(resident("甲" + i, this.unit1, room));
			this.unit2Ids.add(resident("乙" + i, this.unit2, room));
		}
		this.unit3Id = resident("丙丙", this.unit3, "101");
	}

	private String resident(String name, TestData.NodeRef node, String room) {
		String id = TestIdNumbers.next();
		this.residents.create(this.worker,
				new ResidentService.ResidentForm(name, null, id,
						"1390000" + String.format("%04d", new Random().nextInt(10000)), node.id(), room, "户主", null,
						"常住", null));
		return id;
	}

	private RestClient api() {
		return RestClient.builder().baseUrl(baseUrl()).defaultHeader("Authorization", "Bearer " + this.token).build();
	}

	private long openRound(int poolSize) {
		String round = api().post()
			.uri("/api/v1/testing/rounds")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("nodeId", this.tree.communityA1().id(), "name", "第2轮全员核酸", "poolSize", poolSize, "startsAt",
					Instant.now().minus(1, ChronoUnit.HOURS).toString(), "endsAt",
					Instant.now().plus(1, ChronoUnit.DAYS).toString()))
			.retrieve()
			.body(String.class);
		return JsonMapper.shared().readTree(round).get("id").asLong();
	}

	private static String barcode() {
		return "F" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
	}

	private void sampleAndClose(long round, String tube, List<String> idNumbers) {
		for (String id : idNumbers) {
			api().post()
				.uri("/api/v1/testing/rounds/{r}/tubes/{t}/samples", round, tube)
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("idNumber", id))
				.retrieve()
				.toBodilessEntity();
		}
		api().post().uri("/api/v1/testing/rounds/{r}/tubes/{t}/close", round, tube).retrieve().toBodilessEntity();
	}

	private void labResult(String tube, String result) {
		LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
		parts.add("file", new ByteArrayResource(("试管条码,结果\n" + tube + "," + result + "\n").getBytes()) {
			@Override
			public String getFilename() {
				return "lab.csv";
			}
		});
		api().post()
			.uri("/api/v1/testing/results/imports")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.retrieve()
			.toBodilessEntity();
	}

	@Test
	void theRoundPageCountsTubesAndPeopleApartPagesItsMissingListByDoorAndShowsDoneInGreen() {
		residentsInUnits(30);
		long round = openRound(10);
		String positive = barcode();
		sampleAndClose(round, positive, this.unit1Ids.subList(0, 10));
		labResult(positive, "阳性");
		sampleAndClose(round, barcode(), List.of(this.unit3Id));

		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/testing/rounds/" + round);
		// One positive pooled tube of ten: one tube, ten people to re-test, never "阳性 10"
		// alone.
		assertThat(text("[data-count=positiveTubes]")).isEqualTo("1");
		assertThat(text("[data-count=positive]")).isEqualTo("10");
		assertThat(texts("#coverage .stat span")).contains("阳性管", "阳性管内人员").doesNotContain("阳性");
		assertThat(text("[data-count=missing]")).isEqualTo("50");

		// 61 expected, 11 sampled: 50 missing, the first page shows 50, by door.
		assertThat(text("#missing-range")).isEqualTo("第 1–50 人，共 50 人");
		assertThat(driver.findElements(By.cssSelector("#missing li"))).hasSize(50);
		assertThat(driver.findElements(By.cssSelector("#missing-pager a[rel=next]"))).isEmpty();
		List<String> doors = texts("#missing li .addr");
		assertThat(doors).allMatch(d -> d.contains("单元"), "every door names its unit");
		assertThat(doors).isSortedAccordingTo(RoomOrder.ROOMS);
		assertThat(doors.get(0)).isEqualTo("1栋1单元102室");
		assertThat(doors).containsSubsequence("1栋1单元902室", "1栋1单元1002室", "1栋1单元1101室");
		assertThat(driver.findElement(By.id("missing-export")).getAttribute("href"))
			.endsWith("/testing/rounds/" + round + "/coverage.xlsx?code=" + this.tree.communityA1().id());
		// The unit whose one resident was sampled reads 100 % and green.
		WebElement done = driver.findElement(By.xpath("//table[contains(@class,'coverage-table')]//tr[td/a='1栋 3单元']"));
		assertThat(done.getAttribute("class")).contains("complete");
		assertThat(done.findElement(By.cssSelector(".done")).getText()).startsWith("100%");
		assertThat(done.findElement(By.cssSelector(".done")).getCssValue("color")).isEqualTo(GREEN);
		screenshot("testing-round-missing-page");

		open("/testing/rounds/" + round + "?code=" + this.unit3.id());
		assertThat(text("[data-count=percent]")).isEqualTo("100%");
		assertThat(driver.findElement(By.cssSelector("[data-count=percent]")).getCssValue("color")).isEqualTo(GREEN);
		assertThat(text("#missing-section")).contains("没有未检人员");
		screenshot("testing-round-done");

		// Bad page numbers are the user's mistake, said in Chinese.
		open("/testing/rounds/" + round + "?page=abc");
		assertThat(text("main")).contains("页码应为从 1 开始的数字");
	}

	@Test
	void aLongMissingListIsPagedAndTheFullListHasItsOwnPage() {
		residentsInUnits(40);
		long round = openRound(10);
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/testing/rounds/" + round);
		assertThat(text("#missing-range")).isEqualTo("第 1–50 人，共 81 人");
		assertThat(driver.findElements(By.cssSelector("#missing li"))).hasSize(50);
		long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
		assertThat(height).as("one page of the list, not the whole street").isLessThan(9000);
		List<String> first = texts("#missing li .addr");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#missing-pager a[rel=next]")));
		assertThat(text("#missing-range")).isEqualTo("第 51–81 人，共 81 人");
		assertThat(driver.findElements(By.cssSelector("#missing li"))).hasSize(31);
		List<String> second = texts("#missing li .addr");
		assertThat(RoomOrder.compare(first.get(first.size() - 1), second.get(0))).as("page 2 goes on where 1 ended")
			.isLessThanOrEqualTo(0);
		assertThat(driver.findElements(By.cssSelector("#missing-pager a[rel=prev]"))).hasSize(1);

		clickAndWaitForNextPage(driver.findElement(By.id("missing-all")));
		assertThat(driver.getCurrentUrl()).contains("/testing/rounds/" + round + "/missing");
		assertThat(text("h1")).isEqualTo("未检人员（81）");
		List<String> all = texts("#missing tbody td.addr");
		assertThat(all).hasSize(81).isSortedAccordingTo(RoomOrder.ROOMS).allMatch(d -> d.contains("单元"));
		assertThat(driver.findElement(By.id("missing-export")).getAttribute("href")).contains("/coverage.xlsx");
		screenshot("testing-missing-full");
		assertReadableOnPhone("testing-missing-full");
	}

	private void scanPerson(String code) {
		int before = driver.findElements(By.cssSelector("#people li")).size();
		driver.findElement(By.id("person")).sendKeys(code, Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(20))
			.until(d -> d.findElements(By.cssSelector("#people li")).size() != before
					|| d.findElement(By.id("message")).isDisplayed());
	}

	private void chooseTube(String tube) {
		driver.findElement(By.id("tube")).sendKeys(tube, Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("tube-card")).isDisplayed()
				&& d.findElement(By.id("tube-barcode")).getText().equals(tube));
	}

	private Map<String, Number> rect(String css) {
		@SuppressWarnings("unchecked")
		Map<String, Number> r = (Map<String, Number>) driver.executeScript(
				"const r = document.querySelector(arguments[0]).getBoundingClientRect(); return {top: r.top, bottom: r.bottom};",
				css);
		return r;
	}

	@Test
	void onAPhoneTheTubeIsOnTopTenPeopleFitAndCloseIsAlwaysReachable() {
		residentsInUnits(5);
		long round = openRound(10);
		logInAs(Role.SAMPLER, this.tree.communityA1());
		open("/testing/rounds/" + round + "/sampling");
		boolean detector = Boolean.TRUE.equals(driver.executeScript("return 'BarcodeDetector' in window"));
		assertThat(driver.findElement(By.id("camera-tube")).isDisplayed())
			.as("a camera button for the tube where the browser reads codes")
			.isEqualTo(detector);
		assertThat(driver.findElements(By.id("camera-person"))).as("and one for the people").hasSize(1);

		String tube = barcode();
		chooseTube(tube);
		List<String> people = new ArrayList<>(this.unit1Ids);
		people.addAll(this.unit2Ids);
		for (String id : people) {
			scanPerson(id);
		}
		assertThat(driver.findElements(By.cssSelector("#people li"))).hasSize(10);
		assertThat(text("#tube-count")).isEqualTo("10 / 10 人");
		driver.executeScript("window.scrollTo(0, 0)");
		long viewport = ((Number) driver.executeScript("return window.innerHeight")).longValue();
		// The header is the platform's (64 px at most, issue 13); below it the tube's
		// card comes first, under one line of title and the tube's field.
		double header = rect("header.topbar").get("bottom").doubleValue();
		assertThat(rect("#tube-card").get("top").doubleValue() - header).as("the tube card at the top").isLessThan(120);
		Map<String, Number> close = rect("#close-tube");
		assertThat(close.get("bottom").doubleValue()).as("封管 on screen without scrolling")
			.isLessThanOrEqualTo(viewport);
		assertThat(rect("#people li:last-child").get("bottom").doubleValue()).as("all ten people on one screen")
			.isLessThanOrEqualTo(close.get("top").doubleValue());
		screenshot("sampling-ten");

		// A long page (the point list open, a message): 封管 stays stuck to the bottom
		// edge.
		driver.executeScript("document.querySelector('.tube-card').style.marginTop = '600px'; window.scrollTo(0, 300)");
		Map<String, Number> stuck = rect("#close-tube");
		assertThat(stuck.get("bottom").doubleValue()).isLessThanOrEqualTo(viewport);
		assertThat(stuck.get("top").doubleValue()).isGreaterThan(viewport - 120);
		driver.executeScript("document.querySelector('.tube-card').style.marginTop = ''");

		driver.findElement(By.id("close-tube")).click();
		new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.findElement(By.id("tube-card")).isDisplayed());
		assertThat(this.jdbc.sql("select status || ' ' || sample_count from tube where barcode = :b")
			.param("b", tube)
			.query(String.class)
			.single()).isEqualTo("CLOSED 10");
	}

	@Test
	void swabsTakenWithoutNetworkWaitOnThePhoneAndAreRecordedOnceEvenWhenSentAgain() {
		residentsInUnits(2);
		long round = openRound(5);
		String queueKey = "fangxian.sampling.queue." + round;
		logInAs(Role.SAMPLER, this.tree.communityA1());
		open("/testing/rounds/" + round + "/sampling");
		assertThat(driver.findElement(By.id("pending")).isDisplayed()).isFalse();

		String tube = barcode();
		network(false);
		chooseTube(tube);
		scanPerson(this.unit1Ids.get(0));
		scanPerson(this.unit1Ids.get(1));
		scanPerson(this.unit2Ids.get(0));
		assertThat(text("#message")).isEqualTo("网络断开：记录已保存在手机上，联网后自动上传");
		assertThat(texts("#people li strong")).as("the phone shows what it holds, never a whole ID number")
			.containsExactly("证件尾号 " + this.unit1Ids.get(0).substring(14), "证件尾号 " + this.unit1Ids.get(1).substring(14),
					"证件尾号 " + this.unit2Ids.get(0).substring(14));
		assertThat(text("#tube-count")).isEqualTo("3 / 5 人");
		screenshot("sampling-offline");
		driver.findElement(By.id("close-tube")).click();
		new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.findElement(By.id("tube-card")).isDisplayed());
		assertThat(text("#message")).isEqualTo("已封管 " + tube + "（待上传），请扫下一支试管");
		assertThat(text("#pending")).isEqualTo("有 4 条采样记录等待上传");
		assertThat(tubeState(tube)).as("nothing reached the server").isEmpty();
		String queued = (String) driver.executeScript("return localStorage.getItem(arguments[0])", queueKey);
		@SuppressWarnings("unchecked")
		List<String> keys = (List<String>) driver.executeScript(
				"return JSON.parse(arguments[0]).filter(i => i.kind === 'add').map(i => i.body.idempotencyKey)",
				queued);
		assertThat(keys).hasSize(3).doesNotHaveDuplicates();

		Instant backOnline = Instant.now();
		network(true);
		driver.executeScript("window.dispatchEvent(new Event('online'))");
		waitUntilSent(queueKey);
		assertThat(tubeState(tube)).containsExactly("CLOSED 3");
		assertThat(clientKeys(tube)).containsExactlyInAnyOrderElementsOf(keys);
		assertThat(this.jdbc.sql("select max(taken_at) from sample where client_key = any(:k)")
			.param("k", keys.toArray(String[]::new))
			.query(java.sql.Timestamp.class)
			.single()
			.toInstant()).as("the time of the swab, not of the upload").isBefore(backOnline);

		// The upload was cut after the server recorded everything but before the phone
		// heard: the whole queue goes again. And once more cut mid-way: only its second
		// half.
		driver.executeScript("localStorage.setItem(arguments[0], arguments[1])", queueKey, queued);
		driver.executeScript("window.dispatchEvent(new Event('online'))");
		waitUntilSent(queueKey);
		driver.executeScript("localStorage.setItem(arguments[0], JSON.stringify(JSON.parse(arguments[1]).slice(2)))",
				queueKey, queued);
		driver.executeScript("window.dispatchEvent(new Event('online'))");
		waitUntilSent(queueKey);
		assertThat(tubeState(tube)).as("sent three times, recorded once").containsExactly("CLOSED 3");
		assertThat(clientKeys(tube)).containsExactlyInAnyOrderElementsOf(keys);
		assertThat(text("#message")).as("no refusal on the way").doesNotContain("上传未成功");
	}

	private List<String> tubeState(String tube) {
		return this.jdbc.sql(
				"select t.status || ' ' || (select count(*) from sample s where s.tube_id = t.id) from tube t where barcode = :b")
			.param("b", tube)
			.query(String.class)
			.list();
	}

	private List<String> clientKeys(String tube) {
		return this.jdbc.sql("select s.client_key from sample s join tube t on t.id = s.tube_id where t.barcode = :b")
			.param("b", tube)
			.query(String.class)
			.list();
	}

	private static void network(boolean online) {
		driver.executeCdpCommand("Network.enable", Map.of());
		driver.executeCdpCommand("Network.emulateNetworkConditions",
				Map.of("offline", !online, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
	}

	private static List<?> queue(String queueKey) {
		return (List<?>) driver.executeScript("return JSON.parse(localStorage.getItem(arguments[0]) || '[]')",
				queueKey);
	}

	private static void waitUntilSent(String queueKey) {
		WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(50));
		wait.withMessage(() -> "queue emptied; left: " + queue(queueKey)).until(d -> queue(queueKey).isEmpty());
	}

}
