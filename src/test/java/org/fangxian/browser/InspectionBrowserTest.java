package org.fangxian.browser;

import java.io.IOException;
import java.util.List;

import org.fangxian.TestData;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inspections (巡查) on the inspector's phone: start one at a community gate, answer the
 * checklist (a failed item needs its note), and see the rectification (整改) it opened on
 * the desk board, where a re-inspection is one click away.
 */
class InspectionBrowserTest extends BrowserTestSupport {

	TestData.Tree tree;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
	}

	@Test
	void anInspectorRecordsAFailedItemAndTheDeskSeesItsRectification() throws IOException {
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		logIn(worker.username(), TestData.PASSWORD);
		open("/tasks/inspections");
		assertThat(text("h1")).isEqualTo("巡查");
		new Select(driver.findElement(By.id("kind"))).selectByVisibleText("社区卡口");
		new Select(driver.findElement(By.id("place"))).selectByVisibleText("福乐湾社区");
		screenshot("inspection-start");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#plan-form button[type=submit]")));
		assertThat(text("h1")).isEqualTo("福乐湾社区");
		List<WebElement> items = driver.findElements(By.cssSelector("#checklist fieldset.item"));
		assertThat(items).hasSizeGreaterThanOrEqualTo(3);
		for (int i = 0; i < items.size(); i++) {
			items.get(i)
				.findElement(By.cssSelector("input[type=radio][value=" + (i == 0 ? "false" : "true") + "]"))
				.click();
		}
		// a failed item without its note is refused, and the answers stay
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#checklist button[type=submit]")));
		assertThat(text("#error")).contains("须说明问题");
		assertThat(driver.findElement(By.cssSelector("#checklist fieldset.item input[value=false]")).isSelected())
			.isTrue();
		driver.findElement(By.cssSelector("#checklist fieldset.item input[type=text]")).sendKeys("卡口夜间无人值守");
		List<String> photos = driver.findElements(By.cssSelector("#checklist input[type=file]"))
			.stream()
			.map(input -> input.getAttribute("id"))
			.toList();
		assertThat(photos).as("a photo picker per item, each with its own id")
			.hasSameSizeAs(items)
			.doesNotHaveDuplicates();
		photos.forEach(photo -> assertFilePickerInChinese(photo, "拍照或选择照片"));
		chooseFile(photos.get(0), photo("卡口照片.jpg"));
		screenshot("inspection-checklist");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#checklist button[type=submit]")));
		assertThat(text("#recorded")).contains("新开整改 1 项");
		assertThat(text("#findings")).contains("不合格").contains("卡口夜间无人值守").contains("整改").contains("照片 1 张");
		assertThat(text("main")).doesNotContain("PLANNED").doesNotContain("DONE").doesNotContain("COMMUNITY_GATE");
		screenshot("inspection-done");

		driver.manage().deleteAllCookies();
		CurrentUser street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
		logIn(street.username(), TestData.PASSWORD);
		open("/tasks/rectifications");
		assertThat(text("#rectifications")).contains("福乐湾社区").contains("卡口夜间无人值守").contains("整改中");
		assertThat(text("main")).doesNotContain("OPEN");
		screenshot("rectification-board");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#rectifications form button")));
		assertThat(text("h1")).isEqualTo("福乐湾社区");
		assertThat(text(".lead")).contains("待巡查");
	}

}
