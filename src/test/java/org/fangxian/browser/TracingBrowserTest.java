package org.fangxian.browser;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.internal.GateScans;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.tracing.internal.CaseBook;
import org.fangxian.tracing.internal.TracingWork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community worker opens a case's page, reads the candidates with their reasons,
 * confirms the neighbour seen at the gate as a close contact, quarantines him in one
 * action, and looks at the chain.
 */
class TracingBrowserTest extends BrowserTestSupport {

	@Autowired
	ResidentService residents;

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	GateScans scans;

	@Autowired
	CaseBook cases;

	@Autowired
	TracingWork work;

	TestData.Tree tree;

	CurrentUser worker;

	final Map<String, Long> ids = new HashMap<>();

	final Map<String, String> idNumbers = new HashMap<>();

	long caseId;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		long compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		long building = this.data.node(compound, "BUILDING", null, "1栋").id();
		long unit1 = this.data.node(building, "UNIT", null, "1单元").id();
		long unit2 = this.data.node(building, "UNIT", null, "2单元").id();
		resident("case", "王建国", unit1, "101");
		resident("wife", "王秀英", unit1, "101");
		resident("neighbour", "赵国庆", unit2, "201");
		resident("friend", "钱多多", unit2, "202");
		resident("case2", "孙立新", unit2, "203");
		Checkpoint gate = this.checkpoints.create(this.worker,
				new Checkpoints.NewCheckpoint(this.tree.communityA1().id(), "东门", "07:00-21:00", 1));
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, this.tree.communityA1());
		Instant now = Instant.now();
		scan(guard, gate, "case", "IN", now.minusSeconds(50 * 60));
		scan(guard, gate, "neighbour", "OUT", now.minusSeconds(48 * 60));
		this.caseId = this.cases.open(this.worker, new CaseBook.NewCase(this.ids.get("case"), "CONFIRMED",
				"FEVER_CLINIC", now.minusSeconds(600), now.minusSeconds(86_400), "区人民医院发热门诊通报"));
		// A second case with a close contact and his secondary contact, so the chain has
		// more than one branch.
		long second = this.cases.open(this.worker, new CaseBook.NewCase(this.ids.get("case2"), "ASYMPTOMATIC",
				"COMMUNITY_SAMPLING", now.minusSeconds(3600), null, null));
		long close = this.work.decide(this.worker, second,
				new TracingWork.Decision(this.ids.get("friend"), null, "CLOSE", "同楼组，共用电梯", null, null));
		this.work.decide(this.worker, second,
				new TracingWork.Decision(this.ids.get("wife"), null, "SECONDARY", "同一菜市场", close, null));
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
	}

	private void resident(String key, String name, long node, String room) {
		Random random = new Random();
		String idNumber = TestIdNumbers.next();
		this.ids.put(key, this.residents.create(this.worker, new ResidentService.ResidentForm(name, null, idNumber,
				"1390013" + String.format("%04d", random.nextInt(10_000)), node, room, "其他", null, "常住", null)));
		this.idNumbers.put(key, idNumber);
	}

	private void scan(CurrentUser guard, Checkpoint gate, String key, String direction, Instant at) {
		this.scans.scan(guard, gate.id(), new GateScans.ScanRequest(null, this.idNumbers.get(key), direction, "36.4",
				null, UUID.randomUUID().toString(), at));
	}

	private WebElement candidate(String residentKey) {
		return driver.findElement(By.cssSelector("li.candidate[data-resident='" + this.ids.get(residentKey) + "']"));
	}

	@Test
	void aCaseItsCandidatesWithReasonsTheQuarantineAndTheChain() {
		open("/tracing");
		assertThat(texts("#cases a.row")).anySatisfy(row -> assertThat(row).contains("王*国", "确诊病例", "居家隔离"));
		screenshot("tracing-cases");

		clickAndWaitForNextPage(driver.findElement(By.xpath("//ul[@id='cases']//a[contains(., '王*国')]")));
		assertThat(text("h1")).contains("王*国", "确诊病例");
		List<String> wifeReasons = texts("li.candidate[data-resident='" + this.ids.get("wife") + "'] .reasons .tag");
		assertThat(wifeReasons).contains("同住", "同楼");
		assertThat(candidate("neighbour").getText()).contains("同卡点", "东门", "相差 2 分钟");
		assertThat(driver.findElement(By.id("candidates")).getText()).doesNotContain("王建国").doesNotContain("赵国庆");
		screenshot("tracing-case");

		WebElement neighbour = candidate("neighbour");
		new Select(neighbour.findElement(By.name("category"))).selectByValue("CLOSE");
		WebElement reason = neighbour.findElement(By.name("reason"));
		reason.clear();
		reason.sendKeys("东门同时段进出，未戴口罩");
		clickAndWaitForNextPage(neighbour.findElement(By.cssSelector("button[type=submit]")));
		assertThat(texts("#contacts li.contact")).anySatisfy(row -> assertThat(row).contains("密接", "赵*庆", "未戴口罩"));

		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#quarantine button[type=submit]")));
		assertThat(text(".alert.ok")).contains("已隔离 1 人");
		assertThat(texts("#contacts li.contact")).anySatisfy(row -> assertThat(row).contains("赵*庆", "已隔离（集中隔离）"));
		assertThat(driver.findElements(By.cssSelector("#seal a.button"))).extracting(WebElement::getText)
			.containsExactly("封控单元 1单元", "封控楼栋 1栋");
		screenshot("tracing-case-decided");

		clickAndWaitForNextPage(driver.findElement(By.linkText("传播链")));
		new WebDriverWait(driver, java.time.Duration.ofSeconds(30))
			.until(d -> !d.findElements(By.cssSelector("#chain-graph canvas")).isEmpty());
		assertThat(text("#chain-counts")).isEqualTo("病例 2 人 · 密接 2 人 · 次密接 1 人");
		screenshot("tracing-chain");
	}

	@Test
	void aChainWithoutCasesSaysWhyAndDrawsNoEmptyBox() {
		driver.manage().deleteAllCookies();
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA2());
		open("/tracing/chain");
		assertThat(text("#chain-counts")).isEqualTo("病例 0 人 · 密接 0 人 · 次密接 0 人");
		assertThat(text("main .alert")).startsWith("辖区内还没有病例");
		assertThat(driver.findElements(By.id("chain-graph"))).isEmpty();
	}

	@Test
	void theOnsetHintOfANewCaseIsPlainTextLikeOtherFormsHints() {
		open("/tracing/cases/new");
		WebElement hint = driver.findElement(By.id("onsetHint"));
		assertThat(hint.getText()).isEqualTo("无症状感染者可不填");
		assertThat(Integer.parseInt(hint.getCssValue("font-weight"))).as("not bold").isLessThan(600);
	}

}
