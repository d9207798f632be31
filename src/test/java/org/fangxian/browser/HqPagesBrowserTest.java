package org.fangxian.browser;

import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HQ administrator's pages (accounts, audit log, official divisions) work and fit a
 * phone: the command post is often a phone too.
 */
class HqPagesBrowserTest extends BrowserTestSupport {

	private TestData.Tree tree;

	private String admin;

	@BeforeEach
	void signInAsHqAdministrator() {
		this.tree = this.data.tree();
		this.admin = logInAs(Role.HQ_ADMIN, this.tree.district());
	}

	@Test
	void accountsPageListsTheDistrictsAccountsWithTheirRoles() {
		String worker = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1());

		openMenu();
		clickAndWaitForNextPage(driver.findElement(By.linkText("账号")));

		assertThat(text("h1")).isEqualTo("账号管理");
		assertThat(texts("table tbody tr")).as("accounts in the district")
			.anySatisfy(row -> assertThat(row).contains(worker, "社区工作者"))
			.anySatisfy(row -> assertThat(row).contains(this.admin, "指挥部管理员"));
		assertThat(texts("#nodeId option")).as("jurisdictions to bind a new account to")
			.anySatisfy(option -> assertThat(option).contains(this.tree.communityA1().name()));
		WebElement disable = driver.findElement(By.xpath("//tr[td/span='" + worker + "']//button"));
		assertThat(disable.isDisplayed()).as("an account can be disabled from a phone (lost phone, left the job)")
			.isTrue();
		assertThat(disable.getText()).isEqualTo("停用");
		screenshot("accounts");
	}

	@Test
	void auditLogShowsWhoSearchedResidents() {
		open("/residents?node=" + this.tree.district().id());
		openMenu();
		clickAndWaitForNextPage(driver.findElement(By.linkText("审计日志")));
		assertThat(text("h1")).isEqualTo("审计日志");
		screenshot("audit");

		driver.findElement(By.name("actor")).sendKeys(this.admin);
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form.search button")));

		assertThat(texts("table tbody tr")).as("entries of %s", this.admin)
			.isNotEmpty()
			.allSatisfy(row -> assertThat(row).contains(this.admin))
			.anySatisfy(row -> assertThat(row).contains("查询居民"))
			.noneSatisfy(row -> assertThat(row).contains("RESIDENTS_SEARCHED"));
		screenshot("audit-filtered");
	}

	@Test
	void divisionsPageSaysWhenACodeIsNotAnOfficialDivision() {
		open("/divisions");
		assertThat(text("h1")).isEqualTo("导入官方行政区划");
		assertThat(driver.findElements(By.cssSelector(".alert.error"))).isEmpty();
		screenshot("divisions");

		driver.findElement(By.id("code")).sendKeys("990101");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button.primary")));

		assertThat(text("[role=alert]")).contains("990101");
		screenshot("divisions-error");
	}

}
