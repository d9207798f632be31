package org.fangxian.browser;

import java.io.IOException;
import java.time.LocalDate;
import java.util.Random;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.task.internal.SupportRequests;
import org.fangxian.task.internal.WorkOrders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Supply requests (生活保障) on phones: a resident asks through their link and follows the
 * status; a volunteer takes the request from the delivery list, buys and delivers it with
 * a signature note; the resident's page then says delivered.
 */
class SupportBrowserTest extends BrowserTestSupport {

	@Autowired
	ResidentService residents;

	@Autowired
	SupportRequests requests;

	@Autowired
	WorkOrders orders;

	TestData.Tree tree;

	long resident;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		long compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		Random random = new Random();
		this.resident = this.residents.create(worker, new ResidentService.ResidentForm("王秀英", null,
				TestIdNumbers.bornBetween(LocalDate.of(1940, 1, 1), LocalDate.of(1964, 8, 21)),
				"139" + String.format("%08d", random.nextInt(100_000_000)), compound, "101", "其他", "独居老人", "常住", null));
	}

	@Test
	void aResidentAsksAndAVolunteerDelivers() throws IOException {
		String link = this.requests.residentLink(this.resident);
		open(link);
		assertThat(text("h1")).isEqualTo("生活物资需求");
		driver.findElement(By.cssSelector("input[name=kind][value=MEDICINE]")).click();
		driver.findElement(By.name("detail")).sendKeys("降压药（硝苯地平）两盒");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#ask-form button[type=submit]")));
		assertThat(text("#asked")).contains("已收到");
		assertThat(text("#requests")).contains("药品").contains("已收到，等待安排").contains("硝苯地平");
		screenshot("support-resident-asked");
		assertReadableOnPhone("support-resident-asked");

		driver.manage().deleteAllCookies();
		logInAs(Role.VOLUNTEER, this.tree.communityA1());
		open("/tasks/deliveries");
		WebElement waiting = driver.findElement(By.id("waiting"));
		assertThat(waiting.getText()).as("medicine for an elderly person living alone")
			.contains("王*英")
			.contains("硝苯地平")
			.contains("紧急")
			.as("the door to bring it to")
			.contains("送至：")
			.contains("福乐湾小区")
			.contains("101");
		screenshot("support-deliveries-waiting");
		clickAndWaitForNextPage(waiting.findElement(By.cssSelector("form button[type=submit]")));
		assertThat(text("#moved")).contains("已接单");
		assertThat(text("#mine")).contains("硝苯地平").contains("送至：").contains("101");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#mine form button.primary")));
		assertThat(text("#moved")).contains("已购买");
		driver.findElement(By.cssSelector("#mine input[name=note]")).sendKeys("本人签收");
		driver.findElement(By.cssSelector("#mine input[name=moneyReceived]")).sendKeys("36.5");
		String photo = driver.findElement(By.cssSelector("#mine input[type=file][name=photo]")).getAttribute("id");
		assertThat(photo).as("one photo input per request, each its own id").startsWith("photo-");
		assertFilePickerInChinese(photo, "拍照或选择照片");
		chooseFile(photo, photo("送达照片.jpg"));
		screenshot("support-deliveries-bought");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#mine form[enctype] button.primary")));
		assertThat(text("#moved")).contains("已送达");
		assertThat(text("#mine")).doesNotContain("硝苯地平");
		// no English codes on a Chinese screen
		assertThat(text("main")).doesNotContain("MEDICINE").doesNotContain("ASSIGNED");

		driver.manage().deleteAllCookies();
		open(link);
		assertThat(text("#requests")).contains("已送达").contains("本人签收");
		screenshot("support-resident-delivered");

		open("/s/" + this.resident + ".AAAAAAAAAAAAAAAAAAAAAA");
		assertThat(text(".alert.error")).contains("链接无效");
	}

	@Test
	void aWorkerFilesForAResidentFromTheirPageWithoutKnowingANumber() {
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/residents/" + this.resident);
		clickAndWaitForNextPage(driver.findElement(By.id("file-support")));
		assertThat(text("#file-for")).as("the person and the door, not a number to type")
			.contains("王*英")
			.contains("福乐湾小区")
			.contains("101");
		assertThat(driver.findElements(By.cssSelector("#file-form input[type=number]"))).isEmpty();
		driver.findElement(By.cssSelector("#file-form input[name=detail]")).sendKeys("米面油各一份");
		screenshot("tasks-deliveries-file-for");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#file-form button[type=submit]")));
		assertThat(text("#filed")).contains("已登记");
		assertThat(text("main")).contains("米面油各一份");

		// Typed by hand, the number form still explains where the number comes from.
		open("/tasks/deliveries");
		assertThat(text("#file-form")).contains("居民详情页");
	}

	@Test
	void theWorkOrderBoardShowsOverdueOrdersFirst() {
		CurrentUser street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
		long late = this.orders
			.take(street,
					new WorkOrders.NewOrder("12345", "小区东门快递堆放，无人消杀", "13800138123", this.tree.communityA1().id(),
							"疫情防控"))
			.id();
		this.orders.take(street,
				new WorkOrders.NewOrder("12345", "楼下广场舞噪音扰民", "13800138124", this.tree.communityA1().id(), "噪音"));
		this.jdbc.sql("update task set due_at = now() - interval '1 hour' where id = :id").param("id", late).update();
		logIn(street.username(), TestData.PASSWORD);
		open("/tasks/work-orders");
		assertThat(text("#orders")).contains("快递堆放").contains("噪音扰民").doesNotContain("13800138123");
		assertThat(text("#order-" + late)).contains("已超时");
		assertThat(text("#overdue-count")).isEqualTo("1");
		assertThat(text("#by-category")).contains("疫情防控").contains("噪音");
		screenshot("work-order-board");
		clickAndWaitForNextPage(driver.findElement(By.id("only-overdue")));
		assertThat(text("#orders")).contains("快递堆放").doesNotContain("噪音扰民");
		assertThat(text("main")).doesNotContain("DISPATCHED").doesNotContain("NEW");
	}

}
