package org.fangxian.browser;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.fangxian.TestData;
import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as the HQ's landing page (cards two per row on a phone, a sortable
 * children table, trends, figures updated in place), the street's daily report editor,
 * and the public notices page.
 */
class ReportingBrowserTest extends BrowserTestSupport {

	private TestData.Tree tree;

	@org.springframework.beans.factory.annotation.Autowired
	RiskAreas riskAreas;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		long gateA1 = passages(this.tree.communityA1().id(), 3);
		passages(this.tree.communityA2().id(), 1);
		// A vehicle denied at a road check and a returnee's report to review, in A1.
		this.jdbc
			.sql("""
					insert into road_check (checkpoint_id, idempotency_key, plate, health_code, passengers, decision, rule, account_id)
					values (:c, gen_random_uuid()::text, '黑A12345', 'RED', 1, 'DENY', 'road.deny.red', 0)""")
			.param("c", gateA1)
			.update();
		this.jdbc
			.sql("""
					insert into returnee_report (community_id, path, name, id_type, id_cipher, id_hash, id_masked, phone_cipher,
					    phone_masked, address, origin_code, origin_name, arrival_date, transport)
					values (:n, :p, '张三', 'ID_CARD', '\\x00', sha256(random()::text::bytea), '1101**', '\\x00', '138****0000',
					        '1栋101', '310101000000', '上海市', current_date, 'TRAIN')""")
			.param("n", this.tree.communityA1().id())
			.param("p", this.tree.communityA1().path())
			.update();
		passages(this.tree.communityB1().id(), 5);
	}

	/**
	 * Gate rows straight into the checkpoint tables; the counting triggers see them like
	 * any scan.
	 */
	private long passages(long nodeId, int n) {
		long checkpoint = this.jdbc
			.sql("insert into checkpoint (node_id, path, name) values (:node, '', :name) returning id")
			.param("node", nodeId)
			.param("name", "门" + UUID.randomUUID().toString().substring(0, 6))
			.query(Long.class)
			.single();
		for (int i = 0; i < n; i++) {
			this.jdbc
				.sql("""
						insert into gate_scan (checkpoint_id, idempotency_key, direction, method, decision, reason, account_id)
						values (:c, :k, 'IN', 'QR', 'ALLOW', 'gate.allow', 0)""")
				.param("c", checkpoint)
				.param("k", UUID.randomUUID().toString())
				.update();
		}
		return checkpoint;
	}

	@Test
	void theHqLandsOnTheDashboardWhichSortsItsStreetsAndUpdatesInPlace() {
		logInAs(Role.HQ_ADMIN, this.tree.district());
		assertThat(driver.getCurrentUrl()).contains("/dashboard");
		assertThat(text("h1")).contains(this.tree.district().name());
		assertThat(text("[data-fig='gate.in']")).isEqualTo("9");
		// Road checks and the open work, each figure a link to its list.
		assertThat(text("[data-fig='more.roadChecks.deny']")).isEqualTo("1");
		assertThat(text("[data-fig='more.work.returneesPending']")).isEqualTo("1");
		assertThat(driver.findElement(By.xpath("//strong[@data-fig='more.work.returneesPending']/.."))
			.getAttribute("href")).endsWith("/returnees");
		assertThat(driver.findElement(By.xpath("//strong[@data-fig='more.work.releasesDue']/..")).getAttribute("href"))
			.endsWith("/containment");

		// Phone: the figures are cards, two per row.
		List<WebElement> cards = driver.findElements(By.cssSelector(".dash-card"));
		assertThat(cards.get(0).getLocation().getY()).isEqualTo(cards.get(1).getLocation().getY());
		assertThat(cards.get(2).getLocation().getY()).isGreaterThan(cards.get(0).getLocation().getY());

		// Sorting by "进入", most first: street B (5) before street A (4); the totals row
		// adds them up.
		driver.findElement(By.cssSelector("th[data-sort='gate.in']")).click();
		new WebDriverWait(driver, java.time.Duration.ofSeconds(10))
			.until(d -> texts("#dash-children tbody tr").get(0).contains(this.tree.streetB().name()));
		assertThat(texts("#dash-children tfoot tr").get(0)).contains("9");

		// New passages arrive; the page fetches the figures again and writes them in
		// place, no reload.
		WebElement page = driver.findElement(By.tagName("html"));
		passages(this.tree.communityA2().id(), 2);
		driver.executeScript("window.dispatchEvent(new Event('load'))");
		new WebDriverWait(driver, java.time.Duration.ofSeconds(10))
			.until(d -> "11".equals(text("[data-fig='gate.in']")));
		assertThat(page.isDisplayed()).as("the same document: updated in place").isTrue();
		new WebDriverWait(driver, java.time.Duration.ofSeconds(10))
			.until(d -> driver.findElements(By.cssSelector("#trend-chart canvas")).size() > 0);
		screenshot("dashboard");
		assertReadableOnPhone("dashboard");

		// Phone: the children's table keeps all its columns and scrolls inside its box,
		// saying so above it and fading the edge where columns are out of view.
		use(PHONE);
		WebElement box = driver.findElement(By.cssSelector(".table-scroll:has(#dash-children)"));
		assertThat(driver.findElement(By.cssSelector("#dash-children th[data-sort='more.work.releasesDue']"))
			.getCssValue("display")).as("the last column is kept on a phone").isEqualTo("table-cell");
		assertThat(text(".scroll-hint")).isEqualTo("左右滑动查看更多");
		assertThat(box.getAttribute("class")).contains("more-right").doesNotContain("more-left");
		driver.executeScript("arguments[0].scrollLeft = arguments[0].scrollWidth", box);
		new WebDriverWait(driver, java.time.Duration.ofSeconds(5))
			.until(d -> box.getAttribute("class").contains("more-left")
					&& !box.getAttribute("class").contains("more-right"));
		use(DESKTOP);
		driver.executeScript("arguments[0].scrollLeft = 0", box);
		new WebDriverWait(driver, java.time.Duration.ofSeconds(5)).until(
				d -> box.getAttribute("class")
					.contains("more-right") == (((Number) driver
						.executeScript("return arguments[0].scrollWidth - arguments[0].clientWidth", box))
						.intValue() > 1));
	}

	@Test
	void theStreetWritesAndSubmitsItsDailyReport() {
		logInAs(Role.STREET_ADMIN, this.tree.streetA());
		assertThat(driver.getCurrentUrl()).contains("/dashboard");
		open("/reports?code=" + this.tree.streetA().code());
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button.primary")));
		assertThat(text("h1")).contains(this.tree.streetA().name())
			.contains(LocalDate.now(ChinaStandardTime.ZONE).toString());
		driver.findElement(By.name("workDone")).sendKeys("完成全员核酸采样，劝返外来人员2人");
		driver.findElement(By.name("problems")).sendKeys("防护物资紧张");
		driver.findElement(By.name("plans")).sendKeys("继续入户排查");
		screenshot("daily-report-editor");
		clickAndWaitForNextPage(driver.findElement(By.id("report-submit")));
		assertThat(text("#report-state")).isEqualTo("已报送");
		assertThat(driver.findElements(By.id("report-submit"))).as("locked after submission").isEmpty();
	}

	@Test
	void thePublicNoticesPageNeedsNoSignIn() {
		// In force today only, so no other test meets it.
		LocalDate today = LocalDate.now(ChinaStandardTime.ZONE);
		this.riskAreas.add(this.data.user(Role.HQ_ADMIN, this.tree.district()),
				new RiskAreas.NewRiskArea("540102", "HIGH", today, today, null));
		open("/notices/" + this.tree.streetA().code());
		assertThat(driver.getCurrentUrl()).doesNotContain("/login");
		assertThat(text("h1")).contains(this.tree.streetA().name());
		assertThat(text("main")).as("a risk area by its place's name, as residents read it")
			.contains("西藏自治区 拉萨市 城关区")
			.doesNotContain("540102");
		screenshot("notices");
	}

}
