package org.fangxian.browser;

import java.time.LocalDate;

import org.fangxian.TestData;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A road officer types places by name; the risk-area list and the decision name places,
 * never codes or enum names.
 */
class RoadPageBrowserTest extends BrowserTestSupport {

	@Autowired
	private Checkpoints checkpoints;

	@Autowired
	private RiskAreas riskAreas;

	@Test
	void placesAreTypedAndShownByName() {
		TestData.Tree tree = this.data.tree();
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, tree.district());
		Checkpoint road = this.checkpoints.create(hq,
				new Checkpoints.NewCheckpoint(tree.district().id(), "高速入口", "24h", 2, "ROAD"));
		// A remote county, in force today only, so other tests' routes never cross it.
		this.riskAreas.add(hq, new RiskAreas.NewRiskArea("542526", "高", LocalDate.now(), LocalDate.now(), "浏览器测试"));

		logInAs(Role.HQ_ADMIN, tree.district());
		open("/risk-areas");
		assertThat(text("main table")).contains("西藏自治区 阿里地区 改则县").contains("高风险");
		assertFilePickerInChinese("file", "选择文件");
		screenshot("risk-areas");
		assertReadableOnPhone("risk-areas");

		open("/checkpoints/" + road.id() + "/road");
		driver.findElement(By.id("plate")).sendKeys("京A12345");
		driver.findElement(By.id("origin")).sendKeys("朝阳区");
		driver.findElement(By.id("itinerary")).sendKeys("改则县");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("main form button[type=submit]")));
		assertThat(text(".alert.error")).contains("北京朝阳区").contains("长春朝阳区");
		assertThat(driver.findElement(By.id("plate")).getAttribute("value")).as("kept").isEqualTo("京A12345");
		assertThat(driver.findElement(By.id("itinerary")).getAttribute("value")).isEqualTo("改则县");
		screenshot("road-ambiguous");
		assertReadableOnPhone("road-ambiguous");

		driver.findElement(By.id("origin")).clear();
		driver.findElement(By.id("origin")).sendKeys("北京朝阳区");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("main form button[type=submit]")));
		String decision = text(".decision");
		assertThat(decision).contains("引导分流").contains("改则县").contains("高风险");
		assertThat(decision).doesNotContain("542526").doesNotContain("HIGH").doesNotContain("DIVERT");
		screenshot("road-divert");
	}

}
