package org.fangxian.browser;

import java.util.UUID;

import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Account management in the browser: the new-account form defaults to the least powerful
 * role and confirms what it did; a reset password is shown once and must be replaced at
 * the next sign-in.
 */
class AccountBrowserTest extends BrowserTestSupport {

	@Test
	void aStreetAdministratorOpensAnAccountAndResetsItsPassword() {
		TestData.Tree tree = this.data.tree();
		logInAs(Role.STREET_ADMIN, tree.streetA());
		open("/accounts");
		assertThat(text("#own-jurisdiction")).as("the caller's own jurisdiction is shown")
			.contains(tree.streetA().name());
		Select role = new Select(driver.findElement(By.id("role")));
		assertThat(role.getFirstSelectedOption().getText()).as("the least powerful role is the default")
			.isEqualTo("卡点值守");
		assertThat(role.getOptions()).extracting(o -> o.getText())
			.as("a street administrator cannot hand out the community worker's reveal right")
			.doesNotContain("社区工作者", "指挥部管理员");

		String username = "guard-" + UUID.randomUUID().toString().substring(0, 6);
		driver.findElement(By.id("username")).sendKeys(username.toUpperCase());
		driver.findElement(By.id("displayName")).sendKeys("北门值守");
		driver.findElement(By.id("password")).sendKeys("Harbor-Pine-Whistle-73");
		new Select(driver.findElement(By.id("nodeId"))).selectByVisibleText(tree.communityA1().name());
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form.card button.primary")));
		assertThat(text("[role=status]")).contains(username).contains("已创建");
		assertThat(text("tr.just-created")).as("the new account stands out in the list").contains(username);
		assertThat(texts("table tbody tr"))
			.anySatisfy(row -> assertThat(row).contains(username, "卡点值守", tree.communityA1().name()));
		screenshot("accounts-created");
		assertReadableOnPhone("accounts-created");

		clickAndWaitForNextPage(driver.findElement(By.xpath("//tr[td/span='" + username + "']//a")));
		assertThat(text("h1")).contains(username);
		clickAndWaitForNextPage(driver.findElement(By.xpath("//form[contains(@action,'password-reset')]//button")));
		String temporary = text(".secret");
		assertThat(temporary).hasSize(16);
		screenshot("account-reset");

		driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
		logIn(username, temporary);
		assertThat(driver.getCurrentUrl()).endsWith("/account/password");
		open("/checkpoints");
		assertThat(driver.getCurrentUrl()).as("nothing else until the password is changed")
			.endsWith("/account/password");
		assertThat(text("[role=alert]")).contains("管理员已重置您的密码");
		screenshot("password-forced");
		driver.findElement(By.id("current")).sendKeys(temporary);
		driver.findElement(By.id("password")).sendKeys("Copper-Lantern-Orchid-58");
		driver.findElement(By.id("repeat")).sendKeys("Copper-Lantern-Orchid-58");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form.card button.primary")));
		assertThat(driver.getCurrentUrl()).doesNotContain("/account/password");
		open("/checkpoints");
		assertThat(driver.getCurrentUrl()).endsWith("/checkpoints");
	}

}
