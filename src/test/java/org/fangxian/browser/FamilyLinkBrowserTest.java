package org.fangxian.browser;

import java.util.List;
import java.util.Map;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community worker texts a household its family link; the family opens it on a phone,
 * without an account, and steps from one member's QR card to the next.
 */
class FamilyLinkBrowserTest extends BrowserTestSupport {

	@Autowired
	ResidentService residents;

	long household;

	long head;

	org.fangxian.security.CurrentUser worker;

	@Autowired
	org.fangxian.checkpoint.Passes passes;

	@BeforeEach
	void setUp() {
		TestData.Tree tree = this.data.tree();
		var worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		this.worker = worker;
		TestData.NodeRef unit = this.data.node(tree.communityA1().id(), "COMPOUND", null, "福乐湾小区");
		long head = this.residents.create(worker, new ResidentService.ResidentForm("王建国", null,
				TestIdNumbers.bornIn(1968), "13900139011", unit.id(), "3栋2单元501", "户主", null, "常住", null));
		this.residents.create(worker, new ResidentService.ResidentForm("欧阳秀英", null, TestIdNumbers.bornIn(1971),
				"13900139012", unit.id(), "3栋2单元501", "配偶", null, "常住", null));
		this.residents.create(worker, new ResidentService.ResidentForm("王小明", null, TestIdNumbers.bornIn(2016),
				"13900139012", unit.id(), "3栋2单元501", "子女", null, "常住", null));
		this.head = head;
		this.household = this.jdbc.sql("select household_id from resident where id = :id")
			.param("id", head)
			.query(Long.class)
			.single();
		logInAs(Role.COMMUNITY_WORKER, tree.communityA1());
	}

	@Test
	void theWorkerTextsTheLinkAndTheFamilyShowsEachCodeOnItsPhone() {
		open("/households/" + this.household + "/passes");
		clickAndWaitForNextPage(driver.findElement(By.xpath("//button[text()='短信发送家庭码']")));
		assertThat(text("#notice")).isEqualTo("已排队发送 2 条短信");
		// The texted address starts with the configured public URL; the path is what the
		// phone opens here.
		String link = java.net.URI.create(text("#familyLink")).getPath();
		screenshot("household-passes-family-link");
		// A second press the same day sends nothing more.
		clickAndWaitForNextPage(driver.findElement(By.xpath("//button[text()='短信发送家庭码']")));
		assertThat(text("#notice")).startsWith("没有新发送的短信");
		assertThat(java.net.URI.create(text("#familyLink")).getPath()).as("the same link").isEqualTo(link);

		// The family's phone: no session, no account.
		driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		open(link);
		assertThat(texts(".family-name")).containsExactly("王*国", "欧**英", "王*明");
		assertThat(texts(".family-position")).first().isEqualTo("第 1 人，共 3 人");
		assertThat(texts(".family-expires")).allSatisfy(line -> assertThat(line).startsWith("有效期至 20"));
		new WebDriverWait(driver, java.time.Duration.ofSeconds(30)).until(d -> allQrLoaded());
		// The first card, QR and date included, fits one 390×844 screen without scrolling
		// down.
		Number bottom = (Number) driver
			.executeScript("return document.querySelector('.family-card').getBoundingClientRect().bottom");
		assertThat(bottom.doubleValue()).isLessThanOrEqualTo(PHONE.height());
		Number qrWidth = (Number) driver
			.executeScript("return document.querySelector('.family-qr').getBoundingClientRect().width");
		assertThat(qrWidth.doubleValue()).as("QR big enough to scan off a phone").isGreaterThanOrEqualTo(280);
		screenshot("family-link");

		// Gloves: step with the big button rather than a swipe.
		driver.findElement(By.cssSelector("#m1 .family-nav a")).click();
		new WebDriverWait(driver, java.time.Duration.ofSeconds(10)).until(d -> visibleCard() == 2);

		open(link.substring(0, link.length() - 1) + (link.endsWith("A") ? "B" : "A"));
		assertThat(text("h1")).isEqualTo("链接无效或已过期");
		assertThat(driver.findElements(By.cssSelector(".family-card"))).isEmpty();
		screenshot("family-link-invalid");
	}

	@Test
	void aRevokedPassStaysRevokedOnTheSheetAndTheFamilyPageAndTheWorkerRevokesTheLink() {
		open("/households/" + this.household + "/passes");
		clickAndWaitForNextPage(driver.findElement(By.xpath("//button[text()='短信发送家庭码']")));
		String link = java.net.URI.create(text("#familyLink")).getPath();
		this.passes.revoke(this.worker, this.head);

		open("/households/" + this.household + "/passes");
		assertThat(texts(".pass-revoked")).singleElement().satisfies(t -> assertThat(t).contains("出入证已收回", "重新发放出入证"));
		assertThat(driver.findElements(By.cssSelector(".pass-card img"))).hasSize(2);
		screenshot("household-passes-revoked");

		driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		open(link);
		assertThat(texts(".family-revoked")).containsExactly("此人的出入证已被收回，请联系社区");
		assertThat(driver.findElements(By.cssSelector("img.family-qr"))).hasSize(2);
		screenshot("family-link-revoked-member");

		// Back at the office: the household's own worker signs in again (the phone's
		// cookies were cleared).
		logIn(this.worker.username(), TestData.PASSWORD);
		open("/households/" + this.household + "/passes");
		driver.findElement(By.id("revoke-family-link")).click();
		driver.switchTo().alert().accept();
		waitForPage();
		assertThat(text("#notice")).startsWith("已收回");
		screenshot("household-passes-link-revoked");
		driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		open(link);
		assertThat(text("h1")).isEqualTo("链接无效或已过期");
	}

	private static boolean allQrLoaded() {
		List<WebElement> images = driver.findElements(By.cssSelector("img.family-qr"));
		return !images.isEmpty() && images.stream()
			.allMatch(img -> Boolean.TRUE
				.equals(driver.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img)));
	}

	/** Which card (1-based) is centred in the sideways strip now. */
	private static int visibleCard() {
		Number index = (Number) driver.executeScript(
				"""
						const strip = document.querySelector('.family-cards');
						const middle = strip.getBoundingClientRect().left + strip.clientWidth / 2;
						return [...strip.children].findIndex(c => c.getBoundingClientRect().left <= middle && c.getBoundingClientRect().right >= middle) + 1;
						""");
		return index.intValue();
	}

}
