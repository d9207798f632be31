package org.fangxian.browser;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community worker seals a building from its page and unseals it; quarantines a
 * resident, and the resident checks in through their own link on a phone without an
 * account.
 */
class ContainmentBrowserTest extends BrowserTestSupport {

	@Autowired
	ResidentService residents;

	TestData.NodeRef building;

	long resident;

	@BeforeEach
	void setUp() {
		TestData.Tree tree = this.data.tree();
		TestData.NodeRef compound = this.data.node(tree.communityA1().id(), "COMPOUND", null, "福乐湾小区");
		this.building = this.data.node(compound.id(), "BUILDING", null, "3号楼");
		String id = TestIdNumbers.next();
		this.resident = this.residents.create(this.data.user(Role.COMMUNITY_WORKER, tree.communityA1()),
				new ResidentService.ResidentForm("李秀英", null, id, "13900139002", this.building.id(), "502", "户主", null,
						"常住", null));
		logInAs(Role.COMMUNITY_WORKER, tree.communityA1());
	}

	@Test
	void sealABuildingFromItsPageThenUnsealIt() {
		open("/nodes/" + this.building.id());
		clickAndWaitForNextPage(driver.findElement(By.linkText("封控")));
		assertThat(text("h1")).isEqualTo("新建封控");
		screenshot("seal-new");

		driver.findElement(By.id("reason")).sendKeys("发现阳性病例");
		driver.findElement(By.id("order")).sendKeys("道指〔2022〕15号");
		// Sealing asks first, naming how many people will get a text; declining keeps the
		// form.
		driver.executeScript("window.confirm = function (q) { sessionStorage.setItem('asked', q); return false; };");
		driver.findElement(By.cssSelector("form button.primary")).click();
		assertThat(driver.executeScript("return sessionStorage.getItem('asked');")).isEqualTo("确认实施封控？将短信通知区域内 1 人。");
		assertThat(text("h1")).isEqualTo("新建封控");
		driver.executeScript("window.confirm = function () { return true; };");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button.primary")));

		assertThat(text("h1")).contains("3号楼").contains("封控");
		assertThat(texts(".stat strong")).contains("1");
		assertThat(texts("ol.rows li")).singleElement().satisfies(row -> assertThat(row).contains("开始封控", "已通知 1 人"));
		screenshot("seal");

		openMenu();
		clickAndWaitForNextPage(driver.findElement(By.linkText("封控隔离")));
		assertThat(texts("#sealed li")).anySatisfy(row -> assertThat(row).contains("3号楼", "封控", "人数 1"));
		screenshot("containment-board");

		clickAndWaitForNextPage(driver.findElement(By.xpath("//section[@id='sealed']//a[contains(., '3号楼')]")));
		driver.executeScript("window.confirm = function () { return true; };");
		driver.findElement(By.id("endNote")).sendKeys("各位，解封！");
		clickAndWaitForNextPage(driver.findElement(By.xpath("//button[text()='解除封控']")));
		assertThat(texts("ol.rows li")).hasSize(2).last().satisfies(row -> assertThat(row).contains("提前解除", "各位，解封！"));
		assertThat(driver.findElements(By.xpath("//button[text()='解除封控']"))).as("nothing left to unseal").isEmpty();
	}

	@Test
	void quarantineAResidentWhoChecksInThroughTheirLink() {
		open("/residents/" + this.resident);
		clickAndWaitForNextPage(driver.findElement(By.linkText("隔离")));
		assertThat(text("h1")).isEqualTo("登记隔离");
		driver.findElement(By.id("reason")).sendKeys("中风险地区返回");
		driver.findElement(By.id("place")).sendKeys("3号楼502");
		screenshot("quarantine-new");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button.primary")));

		assertThat(text("h1")).contains("李**", "居家隔离");
		// The quarantine page leads to the person's record.
		assertThat(driver.findElement(By.id("resident")).getAttribute("href")).endsWith("/residents/" + this.resident);
		driver.findElement(By.id("temperature")).sendKeys("36.7");
		clickAndWaitForNextPage(driver.findElement(By.xpath("//button[text()='记录体温']")));
		assertThat(text("[role=status]")).isEqualTo("已保存");
		assertThat(texts("table tbody tr")).singleElement()
			.satisfies(row -> assertThat(row).contains("36.7", "工作人员记录"));
		screenshot("quarantine");
		String link = driver.findElement(By.cssSelector("a.mono")).getAttribute("href");

		// The person, on their own phone, signed out.
		driver.manage().deleteAllCookies();
		driver.get(link);
		waitForPage();
		assertThat(text("p.big")).contains("李**");
		driver.findElement(By.id("temperature")).sendKeys("abc");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button.primary")));
		assertThat(text("[role=alert]")).contains("体温");
		driver.findElement(By.id("temperature")).clear();
		driver.findElement(By.id("temperature")).sendKeys("36.6");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button.primary")));
		assertThat(text("[role=status]")).contains("已收到");
		screenshot("quarantine-check-in");

		driver.get(link.replaceAll(".$", link.endsWith("A") ? "B" : "A"));
		waitForPage();
		assertThat(text("[role=alert]")).contains("链接无效");
	}

	@Test
	void screeningCampaignOverTheCommunityCountsItsDoors() {
		openMenu();
		clickAndWaitForNextPage(driver.findElement(By.linkText("敲门排查")));
		screenshot("screening-list");
		driver.findElement(By.id("name")).sendKeys("第一轮敲门行动");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#new-campaign button.primary")));

		assertThat(text("h1")).isEqualTo("第一轮敲门行动");
		assertThat(text("main")).as("the one household of the community, not yet visited").contains("3号楼");
		screenshot("screening-progress");

		open("/returnees");
		assertThat(text("h1")).isEqualTo("返乡人员报备");
		screenshot("returnee-list");
	}

}
