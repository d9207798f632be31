package org.fangxian.browser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sampler on a phone fills a pooled tube: scans the tube, types (as a handheld scanner
 * does) the ID numbers of the people in front of them, takes a mistaken one out, and
 * closes the tube; then the community worker imports the lab's result and reads the
 * round's coverage. Checked on the screen and in the database, with screenshots at phone
 * and desktop size.
 */
class SamplingBrowserTest extends BrowserTestSupport {

	@Autowired
	ResidentService residents;

	TestData.Tree tree;

	CurrentUser worker;

	long roundId;

	String[] idNumbers = new String[3];

	String barcode;

	@BeforeEach
	void roundOverAFreshCommunity() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		String[] names = { "王建国", "李秀英", "张伟" };
		for (int i = 0; i < names.length; i++) {
			this.idNumbers[i] = TestIdNumbers.next();
			this.residents.create(this.worker, new ResidentService.ResidentForm(names[i], null, this.idNumbers[i],
					"1390000000" + i, this.tree.communityA1().id(), "10" + i, "户主", null, "常住", null));
		}
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1()));
		String round = RestClient.create(baseUrl())
			.post()
			.uri("/api/v1/testing/rounds")
			.header("Authorization", "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("nodeId", this.tree.communityA1().id(), "name", "第1轮全员核酸", "poolSize", 5, "startsAt",
					Instant.now().minus(1, ChronoUnit.HOURS).toString(), "endsAt",
					Instant.now().plus(1, ChronoUnit.DAYS).toString()))
			.retrieve()
			.body(String.class);
		this.roundId = JsonMapper.shared().readTree(round).get("id").asLong();
		this.barcode = "S" + UUID.randomUUID().toString().replace("-", "").substring(0, 9).toUpperCase();
	}

	private void scanPerson(String code) {
		int before = driver.findElements(By.cssSelector("#people li")).size();
		driver.findElement(By.id("person")).sendKeys(code, Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(20))
			.until(d -> d.findElements(By.cssSelector("#people li")).size() != before
					|| d.findElement(By.id("message")).isDisplayed());
	}

	@Test
	void aSamplerFillsRemovesFromAndClosesAPooledTubeOnAPhone() throws Exception {
		logInAs(Role.SAMPLER, this.tree.communityA1());
		open("/testing");
		assertThat(text("#rounds")).contains("第1轮全员核酸");
		clickAndWaitForNextPage(driver.findElement(By.linkText("去采样")));
		assertThat(driver.getCurrentUrl()).endsWith("/testing/rounds/" + this.roundId + "/sampling");
		screenshot("sampling");

		driver.findElement(By.id("tube")).sendKeys(this.barcode.toLowerCase(), Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("tube-card")).isDisplayed());
		assertThat(text("#tube-count")).isEqualTo("0 / 5 人");

		scanPerson(this.idNumbers[0]);
		scanPerson(this.idNumbers[1]);
		scanPerson(this.idNumbers[2]);
		assertThat(texts("#people li strong")).containsExactly("王**", "李**", "张*");
		assertThat(text("#tube-count")).isEqualTo("3 / 5 人");
		screenshot("sampling-tube");

		// Someone unknown: the same answer as for another jurisdiction's resident (it
		// tells nothing about where
		// an ID number is registered), nothing added. One scan at a time: two answers in
		// flight may arrive in
		// either order, and a success clears the message.
		driver.findElement(By.id("person")).sendKeys(TestIdNumbers.next(), Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> d.findElement(By.id("message")).isDisplayed());
		assertThat(text("#message")).isEqualTo("此人不在本轮检测范围内（或不属于您的辖区）");
		assertThat(texts("#people li strong")).hasSize(3);
		screenshot("sampling-error");
		// The same person again: still one swab.
		driver.findElement(By.id("person")).sendKeys(this.idNumbers[0], Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> !d.findElement(By.id("message")).isDisplayed());
		assertThat(texts("#people li strong")).hasSize(3);

		// 李秀英 was scanned by mistake: out she goes before the tube is closed.
		driver.findElements(By.cssSelector("#people li")).get(1).findElement(By.tagName("button")).click();
		new WebDriverWait(driver, Duration.ofSeconds(20))
			.until(d -> d.findElements(By.cssSelector("#people li")).size() == 2);
		assertThat(texts("#people li strong")).containsExactly("王**", "张*");

		driver.findElement(By.id("close-tube")).click();
		new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.findElement(By.id("tube-card")).isDisplayed());
		assertThat(text("#message")).isEqualTo("已封管 " + this.barcode + "，请扫下一支试管");
		assertThat(this.jdbc.sql("select status || ' ' || sample_count from tube where barcode = :b")
			.param("b", this.barcode)
			.query(String.class)
			.single()).isEqualTo("CLOSED 2");
		assertThat(this.jdbc.sql(
				"select count(*) from sample where tube_id = (select id from tube where barcode = :b) and not tube_open")
			.param("b", this.barcode)
			.query(Integer.class)
			.single()).isEqualTo(2);
	}

	/**
	 * The worker sets up a site with a green channel; the sampler picks their point once
	 * and swabs; the volunteer at the end of the line reports the queue; a resident,
	 * signed out, reads the expected wait.
	 */
	@Test
	void aSiteWithItsPointsPaceQueueAndPublicWait() throws Exception {
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/testing/sites");
		new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("site-node")))
			.selectByValue(String.valueOf(this.tree.communityA1().id()));
		driver.findElement(By.id("site-name")).sendKeys("福乐湾广场采样点");
		driver.findElement(By.id("site-address")).sendKeys("共乐街 1 号");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#new-site button[type=submit]")));
		assertThat(text("#notice")).contains("福乐湾广场采样点");
		long site = this.jdbc.sql("select id from testing_site where name = '福乐湾广场采样点' and node_id = :n")
			.param("n", this.tree.communityA1().id())
			.query(Long.class)
			.single();
		for (String point : List.of("1号台", "绿色通道")) {
			driver.findElement(By.cssSelector("#site-" + site + " details summary")).click();
			driver.findElement(By.id("point-name-" + site)).sendKeys(point);
			if (point.equals("绿色通道")) {
				driver.findElement(By.cssSelector("#site-" + site + " details input[name=greenChannel]")).click();
			}
			clickAndWaitForNextPage(
					driver.findElement(By.cssSelector("#site-" + site + " details button[type=submit]")));
		}
		assertThat(texts("#site-" + site + " .rows li strong")).containsExactly("绿色通道", "1号台");
		screenshot("testing-sites");

		driver.manage().deleteAllCookies();
		logInAs(Role.SAMPLER, this.tree.communityA1());
		open("/testing/rounds/" + this.roundId + "/sampling");
		new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("point"))).selectByVisibleText("1号台");
		driver.findElement(By.id("tube")).sendKeys(this.barcode, Keys.ENTER);
		new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("tube-card")).isDisplayed());
		scanPerson(this.idNumbers[0]);
		scanPerson(this.idNumbers[1]);
		assertThat(this.jdbc
			.sql("select p.name from tube t join sampling_point p on p.id = t.point_id where t.barcode = :b")
			.param("b", this.barcode)
			.query(String.class)
			.single()).as("the tube is the chosen point's").isEqualTo("1号台");
		// The choice is remembered on this phone for the next tubes.
		open("/testing/rounds/" + this.roundId + "/sampling");
		assertThat(
				new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("point"))).getFirstSelectedOption()
					.getText())
			.isEqualTo("1号台");

		open("/testing/sites");
		driver.findElement(By.id("waiting-" + site)).sendKeys("２０");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#site-" + site + " .queue-form button")));
		assertThat(text("#notice")).isEqualTo("已上报：福乐湾广场采样点 排队 20 人");
		assertThat(text("#site-" + site + " [data-count=waiting]")).isEqualTo("20");

		// 2 swabs in 15 minutes: 0.1 a minute, so 20 waiting is 200 minutes, honestly
		// said.
		driver.manage().deleteAllCookies();
		open("/sites?c=" + this.tree.communityA1().code());
		assertThat(text("#site-" + site + " .wait")).isEqualTo("预计等候约 200 分钟（排队 20 人）");
		assertThat(text("#site-" + site + " .green-note")).contains("绿色通道");
		screenshot("testing-board");
	}

	@Test
	void theWorkerImportsTheLabFileAndReadsTheCoverage() throws Exception {
		this.jdbc.sql(
				"insert into tube (round_id, barcode, capacity, opened_by, status, sample_count) values (:r, :b, 5, 0, 'CLOSED', 1)")
			.param("r", this.roundId)
			.param("b", this.barcode)
			.update();
		this.jdbc
			.sql("""
					insert into sample (round_id, tube_id, resident_id, taken_by, tube_open)
					select :r, t.id, m.resident_id, 0, false from tube t, round_member m
					where t.barcode = :b and m.round_id = :r and m.resident_id = (select min(resident_id) from round_member where round_id = :r)""")
			.param("r", this.roundId)
			.param("b", this.barcode)
			.update();
		this.jdbc.sql(
				"update round_member set state = 'PENDING' where round_id = :r and resident_id = (select min(resident_id) from round_member where round_id = :r)")
			.param("r", this.roundId)
			.update();

		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/testing");
		screenshot("testing-home");
		open("/testing/imports");
		Path file = Files.createTempFile("lab-", ".csv");
		Files.writeString(file, "试管条码,结果,时间\n" + this.barcode + ",阳性,2022-04-12 08:30\nNOSUCH0001,阴性,\n",
				StandardCharsets.UTF_8);
		assertFilePickerInChinese("file", "选择文件");
		chooseFile("file", file);
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("main form button[type=submit]")));
		assertThat(driver.findElements(By.id("report"))).as(driver.getPageSource()).isNotEmpty();
		assertThat(text("#report .alert")).isEqualTo("已录入 1 条，未变化 0 条，有问题 1 条");
		assertThat(text("#positives")).contains(this.barcode).contains("王**");
		assertThat(texts("#rejected tbody td")).containsExactly("3", "NOSUCH0001", "没有这支试管");
		screenshot("testing-import");

		open("/testing/rounds/" + this.roundId);
		assertThat(text("[data-count=expected]")).isEqualTo("3");
		assertThat(text("[data-count=positive]")).isEqualTo("1");
		assertThat(text("[data-count=missing]")).isEqualTo("2");
		assertThat(texts("#missing li strong")).containsExactlyInAnyOrder("李秀英", "张伟");
		// The hour-by-hour chart is drawn (ECharts, from the page's own numbers): one
		// swab so far.
		assertThat(driver.findElement(By.id("progress-chart")).getAttribute("data-totals")).isEqualTo("1");
		new WebDriverWait(driver, Duration.ofSeconds(20))
			.until(d -> !d.findElements(By.cssSelector("#progress-chart canvas")).isEmpty());
		screenshot("testing-round");
		Files.deleteIfExists(file);
		List<String> followups = this.jdbc.sql("select kind from testing_followup where round_id = :r")
			.param("r", this.roundId)
			.query(String.class)
			.list();
		assertThat(followups).containsExactly("RETEST");
	}

}
