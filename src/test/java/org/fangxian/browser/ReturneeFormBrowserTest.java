package org.fangxian.browser;

import java.time.LocalDate;
import java.util.List;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A returnee on a phone reports their arrival through the community's link, without an
 * account: a mistyped ID number and an arrival date in the future are marked beside their
 * fields and file nothing; corrected, the report is filed once and the reference shown.
 * Then a volunteer knocks on a door of a screening campaign. Expected texts are from
 * messages.properties, written out here.
 */
class ReturneeFormBrowserTest extends BrowserTestSupport {

	@org.springframework.beans.factory.annotation.Autowired
	org.fangxian.registry.ResidentService residents;

	@org.springframework.beans.factory.annotation.Autowired
	org.fangxian.security.PersonalDataProtection protection;

	private static final String CHECKSUM = "身份证号码校验位不对，请核对每一位";

	private static final String FUTURE = "到达日期不能晚于今天";

	private TestData.Tree tree;

	@BeforeEach
	void freshCommunity() {
		this.tree = this.data.tree();
	}

	private long reports() {
		return this.jdbc.sql("select count(*) from returnee_report where community_id = :c")
			.param("c", this.tree.communityA1().id())
			.query(Long.class)
			.single();
	}

	private static void type(String id, String text) {
		var field = driver.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
	}

	private static void setDate(String id, LocalDate date) {
		driver.executeScript("document.getElementById(arguments[0]).value = arguments[1]", id, date.toString());
	}

	/**
	 * The form must be on screen for a few seconds before it is accepted: a person is
	 * never faster.
	 */
	private static void submitAfterMinimumFillTime() throws InterruptedException {
		Thread.sleep(3200);
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#report-form button[type=submit]")));
	}

	@Test
	void aReturneeReportsOnAPhoneAndMistakesAreShownBesideTheirFields() throws InterruptedException {
		open("/report?c=" + this.tree.communityA1().code());
		assertThat(text("#community-name")).contains(this.tree.communityA1().name());
		assertThat(driver.findElement(By.id("website")).isDisplayed()).as("the honeypot is out of sight").isFalse();
		screenshot("returnee-form");

		String id = TestIdNumbers.next();
		String wrong = id.substring(0, 17) + (id.charAt(17) == '1' ? '2' : '1');
		type("name", "李返乡");
		type("idNumber", wrong);
		type("phone", "139 0451 2345");
		type("address", "3栋2单元501");
		new Select(driver.findElement(By.id("originCity"))).selectByValue("2301");
		new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(10))
			.until(d -> d.findElements(By.cssSelector("#originDistrict option[value='230102']")).size() == 1);
		new Select(driver.findElement(By.id("originDistrict"))).selectByValue("230102");
		setDate("arrivalDate", LocalDate.now().plusDays(1));
		type("transportNumber", "g1234");
		// Chromium itself refuses a date after the field's max; older phone browsers do
		// not, so the server must.
		driver.executeScript("document.getElementById('report-form').noValidate = true");
		submitAfterMinimumFillTime();

		assertThat(text("#idNumber-error")).isEqualTo(CHECKSUM);
		assertThat(text("#arrivalDate-error")).isEqualTo(FUTURE);
		assertThat(driver.findElement(By.id("idNumber")).getAttribute("class")).contains("invalid");
		assertThat(driver.findElement(By.id("name")).getAttribute("value")).as("what was typed is kept")
			.isEqualTo("李返乡");
		assertThat(reports()).as("nothing filed").isZero();
		screenshot("returnee-form-errors");

		type("idNumber", id);
		setDate("arrivalDate", LocalDate.now().minusDays(1));
		submitAfterMinimumFillTime();
		assertThat(driver.getCurrentUrl()).endsWith("/report/done");
		String reference = text("#reference");
		assertThat(reference).matches("[A-Z2-9]{4}-[A-Z2-9]{4}");
		assertThat(text("#receipt")).contains(this.tree.communityA1().name());
		assertThat(reports()).isEqualTo(1);
		assertThat(this.jdbc.sql("select origin_name from returnee_report where community_id = :c")
			.param("c", this.tree.communityA1().id())
			.query(String.class)
			.single()).isEqualTo("黑龙江省 哈尔滨市 道里区");
		screenshot("returnee-done");
	}

	@Test
	void aVolunteerKnocksOnADoorWithBigButtons() {
		var worker = this.data.user(org.fangxian.security.Role.COMMUNITY_WORKER, this.tree.communityA1());
		TestData.NodeRef building = this.data
			.node(this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id(), "BUILDING", null, "1栋");
		TestData.NodeRef unit = this.data.node(building.id(), "UNIT", null, "1单元");
		for (String room : List.of("101", "102", "201", "202", "301", "302")) {
			this.jdbc.sql("insert into household (node_id, room, address) values (:n, :r, :a)")
				.param("n", unit.id())
				.param("r", room)
				.param("a", "福乐湾小区1栋1单元" + room)
				.update();
		}
		long campaign = this.jdbc.sql("""
				insert into screening_campaign (node_id, path, name, starts_on, ends_on, created_by)
				values (:n, :p, '第一轮敲门行动', current_date, current_date + 6, :by) returning id""")
			.param("n", this.tree.communityA1().id())
			.param("p", this.tree.communityA1().path())
			.param("by", worker.accountId())
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into screening_visit (campaign_id, household_id, path, group_id)
				select :c, h.id, h.path, :b from household h where h.node_id = :u""")
			.param("c", campaign)
			.param("b", building.id())
			.param("u", unit.id())
			.update();

		// 101's resident reported coming back two days ago: the visitor sees it at the
		// door and confirms it.
		String idNumber = TestIdNumbers.next();
		long resident = this.residents.create(worker, new org.fangxian.registry.ResidentService.ResidentForm("王建国",
				null, idNumber, null, unit.id(), "101", "HEAD", null, "RESIDENT", null));
		long report = this.jdbc
			.sql("""
					insert into returnee_report (community_id, path, name, id_type, id_cipher, id_hash, id_masked, phone_cipher,
					    phone_masked, address, origin_code, origin_name, arrival_date, transport, resident_id)
					values (:community, :path, '王建国', 'RESIDENT_ID', :cipher, :hash, 'masked', :cipher, '139****0000', '1栋101',
					    '230102000000', '黑龙江省 哈尔滨市 道里区', current_date - 2, 'CAR', :resident) returning id""")
			.param("community", this.tree.communityA1().id())
			.param("path", this.tree.communityA1().path())
			.param("cipher", this.protection.encrypt(idNumber))
			.param("hash", this.protection.lookupHash(java.util.UUID.randomUUID().toString()))
			.param("resident", resident)
			.query(Long.class)
			.single();

		logInAs(org.fangxian.security.Role.VOLUNTEER, this.tree.communityA1());
		open("/screening/" + campaign + "/doors");
		// every door names its unit (issue 13: two units' 1001 must not look alike)
		assertThat(texts(".door strong")).containsExactly("1单元 101", "1单元 102", "1单元 201", "1单元 202", "1单元 301",
				"1单元 302");
		screenshot("screening-doors");
		clickAndWaitForNextPage(driver.findElements(By.cssSelector(".door")).get(0));
		assertThat(text("#reports")).contains("王*国，从 黑龙江省 哈尔滨市 道里区 返回");
		driver.findElement(By.cssSelector("#reports input[value='" + report + "']")).click();
		screenshot("screening-visit");
		driver.findElement(By.id("letterSigned")).click();
		clickAndWaitForNextPage(driver.findElement(By.id("at-home")));
		assertThat(text("#notice")).contains("在家");
		assertThat(text("#left")).contains("5");
		assertThat(driver.findElements(By.cssSelector(".door.AT_HOME"))).hasSize(1);
		assertThat(this.jdbc.sql(
				"select count(*) from screening_visit where campaign_id = :c and outcome = 'AT_HOME' and letter_signed")
			.param("c", campaign)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql(
				"select returnee_report_id from screening_attempt a join screening_visit v on v.id = a.visit_id where v.campaign_id = :c")
			.param("c", campaign)
			.query(Long.class)
			.single()).as("the report confirmed at the door").isEqualTo(report);
		// Back and send the same form again: one knock, not two.
		driver.navigate().back();
		waitForPage();
		assertThat(this.jdbc
			.sql("""
					select count(*) from screening_attempt a join screening_visit v on v.id = a.visit_id where v.campaign_id = :c""")
			.param("c", campaign)
			.query(Long.class)
			.single()).isEqualTo(1);

		// Door 102: a tenant the roster does not know. The volunteer writes them down at
		// the door ...
		String tenantId = TestIdNumbers.next();
		open("/screening/" + campaign + "/doors");
		clickAndWaitForNextPage(driver.findElements(By.cssSelector(".door")).get(1));
		driver.findElement(By.cssSelector("details.more summary")).click();
		driver.findElement(By.id("newcomerName")).sendKeys("刘新来");
		driver.findElement(By.id("newcomerId")).sendKeys(tenantId);
		driver.findElement(By.id("newcomerPhone")).sendKeys("13812345678");
		clickAndWaitForNextPage(driver.findElement(By.id("at-home")));
		// ... and the community worker registers them in that household from the
		// newcomers' page.
		driver.manage().deleteAllCookies();
		logInAs(org.fangxian.security.Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/screening/newcomers");
		assertThat(texts(".newcomer h2")).containsExactly("刘新来");
		assertThat(text(".newcomer [data-field=phone]")).isEqualTo("138****5678");
		screenshot("screening-newcomers");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector(".newcomer .register-form button")));
		assertThat(driver.getCurrentUrl()).contains("/residents/");
		assertThat(this.jdbc.sql("""
				select count(*) from resident r join household h on h.id = r.household_id
				where r.name = '刘新来' and h.room = '102' and h.node_id = :u""")
			.param("u", unit.id())
			.query(Long.class)
			.single()).isEqualTo(1);
		open("/screening/newcomers");
		assertThat(driver.findElements(By.cssSelector(".newcomer"))).isEmpty();
	}

}
