package org.fangxian.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.fangxian.TestData;
import org.fangxian.registry.MessyRosterFixture;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community worker on a phone imports the community's messy Excel roster (see
 * {@link MessyRosterFixture} for what is wrong in which row), then finds a resident with
 * the ID number masked until asked for in full. Expected numbers come from the fixture's
 * defect table, never from the application itself.
 */
class RosterImportBrowserTest extends BrowserTestSupport {

	/** A full ID number: the masked form keeps 4 characters, 10 asterisks, the last 4. */
	private static final String MASKED_ID = "\\d{4}\\*{10}[\\dX]{4}";

	private TestData.Tree tree;

	@Autowired
	private PersonalDataProtection protection;

	@BeforeEach
	void freshCommunity() {
		this.tree = this.data.tree();
	}

	/**
	 * An ID number is registered once in the whole installation, and every test shares
	 * one database: residents an earlier test imported from the same roster would make
	 * these rows "registered in another jurisdiction". Those tests are over, so their
	 * copies go; and this test's copies go when it ends, so a later test can import the
	 * roster too.
	 */
	@BeforeEach
	@AfterEach
	void freeTheFixtureIdNumbers() throws IOException {
		String csv;
		try (InputStream in = getClass().getResourceAsStream("/" + MessyRosterFixture.CSV_UTF8)) {
			csv = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\uFEFF", "");
		}
		for (CSVRecord record : CSVFormat.EXCEL.parse(new StringReader(csv))) {
			IdNumberCheck id = (record.size() > 3) ? IdNumber.check(record.get(3), null) : null;
			if (id != null && id.valid()) {
				this.jdbc.sql("delete from resident where id_type = 'RESIDENT_ID' and id_hash = :hash")
					.param("hash", this.protection.lookupHash("RESIDENT_ID:" + id.normalized()))
					.update();
			}
		}
	}

	@Test
	void communityWorkerImportsMessyRosterAndSeesRejectedRowsByRowNumber() throws Exception {
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		assertThat(text("h1")).as("a community worker lands on today's work").contains("今日待办");
		clickAndWaitForNextPage(driver.findElement(By.linkText("本社区概况")));
		assertThat(text("h1")).as("and reaches the community's page from it").contains("福乐湾社区");

		clickAndWaitForNextPage(driver.findElement(By.linkText("导入花名册")));
		assertThat(driver.getCurrentUrl()).contains("/imports/new");
		assertThat(text("h1")).isEqualTo("导入居民花名册");
		assertFilePickerInChinese("file", "选择文件");
		screenshot("import-upload");
		new Select(driver.findElement(By.id("community"))).selectByValue(String.valueOf(this.tree.communityA1().id()));
		chooseFile("file", fixture());
		screenshot("import-upload-chosen");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button.primary")));

		assertThat(text("h1")).as("preview page").isEqualTo("导入前核对");
		assertThat(text("main")).contains("messy-roster.xlsx", "福乐湾社区", "在第 3 行找到表头");
		assertThat(mapping()).as("each header of row 3 mapped to its field")
			.containsEntry("姓名", "NAME")
			.containsEntry("性别", "SEX")
			.containsEntry("身份证号码", "ID_NUMBER")
			.containsEntry("联系电话", "PHONE")
			.containsEntry("小区", "COMPOUND")
			.containsEntry("楼栋", "BUILDING")
			.containsEntry("单元", "UNIT")
			.containsEntry("门牌号", "ROOM")
			.containsEntry("与户主关系", "RELATION")
			.containsEntry("人员类别", "TAGS")
			.containsEntry("居住状态", "STATUS")
			.containsEntry("备注", "NOTE");
		Map<String, Integer> preview = counts();
		assertThat(rejectedRows().keySet()).as("rows the preview says it will not import").contains(13, 14, 16);
		assertThat(residentCount(this.tree.communityA1())).as("a preview writes nothing").isZero();
		assertThat(texts("tr.new-place strong")).as("compounds the community does not have yet, to confirm")
			.contains("福乐湾小区", "共乐新苑");
		assertThat(driver.findElements(By.cssSelector("tr.new-place input[type=checkbox]:checked")))
			.as("nothing is created unless ticked")
			.isEmpty();
		screenshot("import-preview");
		confirmEveryNewPlace();

		clickAndWaitForNextPage(driver.findElement(By.cssSelector("button[name=action][value=commit]")));

		assertThat(text("h1")).as("report page").isEqualTo("导入结果");
		Map<String, Integer> report = counts();
		Map<Integer, String> rejected = rejectedRows();
		assertThat(report.get("accepted")).as("new residents").isGreaterThanOrEqualTo(15);
		assertThat(rejected).as("rejected rows by Excel row number")
			.containsKeys(13, 14, 16, 25)
			.doesNotContainKeys(4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 18, 20, 21, 22, 23, 24, 26, 28, 29);
		assertThat(rejected.get(13)).as("row 13: wrong check character").contains("校验位");
		assertThat(rejected.get(14)).as("row 14: born in 2091").contains("出生日期在今天之后");
		assertThat(rejected.get(16)).as("row 16: no name").contains("姓名不能为空");
		assertThat(rejected.get(25)).as("row 25: ID rounded by Excel").contains("证件号码");
		assertThat(rejected.containsKey(17) || duplicateRows().getOrDefault(17, "").equals("证件号码相同"))
			.as("row 17 (ID of row 4 again) is not imported: rejected or reported as the same ID number; duplicates %s",
					duplicateRows())
			.isTrue();
		assertThat(report.get("rejected")).as("rejected count matches the table of rejected rows")
			.isEqualTo(rejected.size());
		assertThat(report).as("the report imports what the preview promised").isEqualTo(preview);
		assertThat(residentCount(this.tree.communityA1())).as("residents now in the community")
			.isEqualTo(report.get("accepted"));
		if (!duplicateRows().isEmpty()) {
			assertThat(driver.findElements(By.xpath("//section[h2='发现的重复']//tbody/tr/td[3]/a"))
				.stream()
				.map(a -> a.getText().strip())
				.toList()).as("a matched resident is a link in words, not an internal number")
				.isNotEmpty()
				.allSatisfy(t -> assertThat(t).isEqualTo("查看该居民"));
		}
		screenshot("import-report");

		clickAndWaitForNextPage(
				driver.findElement(By.cssSelector("main a[href$='/nodes/" + this.tree.communityA1().id() + "']")));
		assertThat(texts(".rows .row strong")).as("compounds created from the roster").contains("福乐湾小区", "共乐新苑");
		screenshot("node");
	}

	@Test
	void residentListShowsIdNumbersMaskedAndRevealShowsTheFullNumber() throws Exception {
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		importFixture();
		open("/residents?node=" + this.tree.communityA1().id());

		assertThat(text("h1")).isEqualTo("居民");
		List<WebElement> rows = driver.findElements(By.cssSelector("tr.resident-row"));
		assertThat(rows).as("residents listed").hasSizeGreaterThanOrEqualTo(15);
		assertThat(text("#residents-total")).as("the table's total").isEqualTo("共 18 人");
		List<String> ids = texts("tr.resident-row .id-number");
		assertThat(ids).as("ID numbers shown in the list")
			.filteredOn(id -> !id.isEmpty())
			.hasSizeGreaterThanOrEqualTo(15)
			.allMatch(id -> id.matches(MASKED_ID), "masked as " + MASKED_ID);
		String fullId = MessyRosterFixture.id("23010219520315011");
		assertThat(text("main")).as("no full ID number anywhere on the list").doesNotContain(fullId);
		WebElement wang = rows.stream().filter(r -> r.getText().contains("王建国")).findFirst().orElseThrow();
		assertThat(wang.findElement(By.cssSelector(".id-number")).getText()).isEqualTo("2301**********0118");
		assertThat(text("main")).as("no English codes on the Chinese page")
			.doesNotContainPattern("\\b[A-Z]{2,}(_[A-Z]+)*\\b");
		screenshot("residents");

		// The table's filters: a status and a category, with the total of what matches.
		new Select(driver.findElement(By.name("status"))).selectByValue("MOVED_OUT");
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("#resident-filters button.primary")));
		assertThat(texts("tr.resident-row strong")).containsExactly("何军");
		assertThat(text("#residents-total")).isEqualTo("共 1 人");
		screenshot("residents-filtered");
		open("/residents?node=" + this.tree.communityA1().id());
		rows = driver.findElements(By.cssSelector("tr.resident-row"));
		wang = rows.stream().filter(r -> r.getText().contains("王建国")).findFirst().orElseThrow();

		clickAndWaitForNextPage(wang.findElement(By.tagName("a")));
		assertThat(text("h1")).isEqualTo("王建国");
		assertThat(text("dd.mono")).as("ID number on the detail page, masked").isEqualTo("2301**********0118");
		assertThat(driver.findElements(By.cssSelector(".alert.warn"))).as("no reveal notice before revealing")
			.isEmpty();
		screenshot("resident");

		clickAndWaitForNextPage(driver.findElement(By.xpath("//button[normalize-space()='查看完整证件号和电话']")));
		assertThat(text("dd.mono")).as("full ID number after reveal").isEqualTo(fullId);
		assertThat(text("main")).as("phone in full, normalised from \"+86 138-0451-0001\"").contains("13804510001");
		assertThat(text(".alert.warn")).as("worker told the reveal is recorded").contains("审计日志");
		screenshot("resident-revealed");
	}

	@Test
	void wrongPasswordShowsTheErrorAndKeepsTheWorkerOnTheLoginPage() {
		String worker = this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/login");
		assertThat(driver.findElements(By.cssSelector(".alert.error"))).as("no error before trying").isEmpty();
		screenshot("login");

		logIn(worker, TestData.PASSWORD + "x");

		assertThat(driver.getCurrentUrl()).contains("/login?error");
		assertThat(text("[role=alert]")).isEqualTo("用户名或密码错误；同一地址连续输错 5 次需稍候再试");
		assertThat(driver.findElements(By.id("password"))).as("login form shown again").hasSize(1);
		screenshot("login-failed");
	}

	@Test
	void languageLinkInTheTopBarSwitchesToEnglishAndBack() {
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		clickAndWaitForNextPage(driver.findElement(By.linkText("本社区概况")));
		openMenu();
		assertThat(texts(".topnav a")).as("Chinese by default").contains("居民", "导入花名册");

		String before = driver.getCurrentUrl();
		openMenu();
		clickAndWaitForNextPage(driver.findElement(By.cssSelector(".topbar a.lang")));

		assertThat(driver.getCurrentUrl()).as("back on the same page").isEqualTo(before);
		assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
		openMenu();
		assertThat(texts(".topnav a")).containsExactly("Dashboard", "Checkpoints", "Testing", "Containment",
				"Screening", "Tracing", "Duty", "Stock", "Deliveries", "12345", "Residents", "Import roster", "Texts");
		assertThat(text(".actions")).contains("Residents", "Import roster");
		assertThat(text(".topbar button.link")).isEqualTo("Log out");
		screenshot("node-en");

		open("/imports/new?community=" + this.tree.communityA1().id());
		assertThat(text("label.button[for=file]")).as("the file picker follows the page's language")
			.isEqualTo("Choose a file");
		assertThat(text("#file-chosen")).isEqualTo("No file chosen");

		open("/residents?node=" + this.tree.communityA1().id());
		assertThat(text("h1")).as("the choice sticks on the next page").isEqualTo("Residents");

		openMenu();
		clickAndWaitForNextPage(driver.findElement(By.cssSelector(".topbar a.lang")));
		assertThat(text("h1")).as("back to Chinese").isEqualTo("居民");
	}

	/** Uploads the messy roster to community A1 and confirms it, through the pages. */
	private void importFixture() throws URISyntaxException {
		open("/imports/new?community=" + this.tree.communityA1().id());
		driver.findElement(By.id("file")).sendKeys(fixture().toString());
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("form button.primary")));
		confirmEveryNewPlace();
		clickAndWaitForNextPage(driver.findElement(By.cssSelector("button[name=action][value=commit]")));
		assertThat(text("h1")).isEqualTo("导入结果");
	}

	/** Ticks every new compound and building the preview lists. */
	private static void confirmEveryNewPlace() {
		driver.findElements(By.cssSelector("tr.new-place input[type=checkbox]")).forEach(WebElement::click);
	}

	private static Path fixture() throws URISyntaxException {
		return Path.of(RosterImportBrowserTest.class.getResource("/" + MessyRosterFixture.XLSX).toURI());
	}

	/** Header text → selected field of the preview's column mapping. */
	private static Map<String, String> mapping() {
		return driver.findElements(By.cssSelector(".mapping .map-row"))
			.stream()
			.collect(Collectors.toMap(row -> row.findElement(By.tagName("label")).getText().strip(),
					row -> new Select(row.findElement(By.tagName("select"))).getFirstSelectedOption()
						.getAttribute("value")));
	}

	/**
	 * The numbers of the report box: accepted, updated, unchanged, rejected, duplicates.
	 */
	private static Map<String, Integer> counts() {
		return driver.findElements(By.cssSelector("[data-count]"))
			.stream()
			.collect(Collectors.toMap(e -> e.getAttribute("data-count"),
					e -> Integer.valueOf(e.getText().strip().replace(",", ""))));
	}

	/** Excel row number → reason, from the table of rejected rows. */
	private static Map<Integer, String> rejectedRows() {
		return driver.findElements(By.cssSelector("tr.rejected-row"))
			.stream()
			.collect(Collectors.toMap(
					tr -> Integer.valueOf(tr.findElement(By.cssSelector("td:nth-child(1)")).getText().strip()),
					tr -> tr.findElement(By.cssSelector("td:nth-child(2)")).getText().strip()));
	}

	/** Excel row number → rule, from the table of duplicates. */
	private static Map<Integer, String> duplicateRows() {
		return driver.findElements(By.xpath("//section[h2='发现的重复']//tbody/tr"))
			.stream()
			.collect(Collectors.toMap(
					tr -> Integer.valueOf(tr.findElement(By.cssSelector("td:nth-child(1)")).getText().strip()),
					tr -> tr.findElement(By.cssSelector("td:nth-child(2)")).getText().strip()));
	}

	private int residentCount(TestData.NodeRef community) {
		return this.jdbc.sql("""
				select count(*) from resident r join division_node n on n.id = r.node_id
				where n.path like :path || '%'""").param("path", community.path()).query(Integer.class).single();
	}

}
