package org.fangxian.browser;

import java.nio.file.Files;
import java.util.List;

import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell around every page (issue 13 "Phone and desk ergonomics", issue 14 nav link):
 * a one-row phone header with the navigation in a menu, a 看板 link for those who may view
 * the dashboard, English navigation on one line at 1440 px, and a favicon.
 */
class ShellBrowserTest extends BrowserTestSupport {

	static final Viewport WIDE = new Viewport("wide", 1440, 900, false);

	static double height(String cssSelector) {
		return ((Number) driver
			.executeScript("return document.querySelector(arguments[0]).getBoundingClientRect().height", cssSelector))
			.doubleValue();
	}

	/** The visible part of the page as it is now (the menu open, a given width). */
	static void save(String file) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Files.write(SCREENSHOTS.resolve(file), driver.getScreenshotAs(OutputType.BYTES));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Test
	void thePhoneHeaderIsOneRowWithTheNavigationInAMenu() {
		TestData.Tree tree = this.data.tree();
		logInAs(Role.STREET_ADMIN, tree.streetA());
		assertThat(driver.getCurrentUrl()).as("a street administrator lands on the dashboard").contains("/dashboard");
		assertThat(height(".topbar")).as("phone header height").isLessThanOrEqualTo(64);
		WebElement dashboard = driver.findElement(By.cssSelector(".topnav a[href='/dashboard']"));
		assertThat(dashboard.isDisplayed()).as("navigation folded away").isFalse();
		screenshot("shell-phone-closed");

		driver.findElement(By.cssSelector(".menu-toggle")).click();
		assertThat(dashboard.isDisplayed()).isTrue();
		assertThat(dashboard.getText()).isEqualTo("看板");
		assertThat(driver.findElement(By.cssSelector(".menu-toggle")).getAttribute("aria-expanded")).isEqualTo("true");
		save("shell-phone-menu-open.png");

		WebElement icon = driver.findElement(By.cssSelector("link[rel=icon]"));
		assertThat(icon.getAttribute("href")).endsWith("/favicon.svg");
		driver.get(icon.getAttribute("href"));
		assertThat(driver.getPageSource()).contains("<svg");
	}

	@Test
	void englishNavigationFitsOneLineAt1440AndGuardsSeeNoDashboardLink() {
		TestData.Tree tree = this.data.tree();
		logInAs(Role.HQ_ADMIN, tree.district());
		use(WIDE);
		open("/residents?lang=en");
		save("shell-nav-en-1440.png");
		List<WebElement> links = driver.findElements(By.cssSelector(".topnav a"));
		assertThat(links).extracting(WebElement::getText).contains("Dashboard", "Import roster", "Audit log");
		assertThat(links.stream().map(l -> l.getRect().getY()).distinct().count()).as("navigation rows at 1440 px")
			.isEqualTo(1);
		assertThat(height(".topbar")).isLessThanOrEqualTo(64);
		assertThat(driver.findElement(By.cssSelector(".menu-toggle")).isDisplayed()).isFalse();
		screenshot("shell-nav-en");
		open("/language?lang=zh_CN");

		driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
		use(PHONE);
		logInAs(Role.CHECKPOINT_GUARD, tree.communityA2());
		assertThat(driver.findElements(By.cssSelector(".topnav a[href='/dashboard']"))).isEmpty();
	}

}
