package org.fangxian.browser;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.workforce.internal.DutyLinks;
import org.fangxian.workforce.internal.Posts;
import org.fangxian.workforce.internal.Rosters;
import org.fangxian.workforce.internal.Volunteers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community worker's board and roster grid, then a volunteer's phone: their shifts
 * through the texted link, and check-in by opening the post's code as a phone camera
 * does.
 */
class WorkforceBrowserTest extends BrowserTestSupport {

	@Autowired
	Volunteers volunteers;

	@Autowired
	Posts posts;

	@Autowired
	Rosters rosters;

	@Autowired
	DutyLinks links;

	TestData.Tree tree;

	long postId;

	long rosterId;

	@BeforeEach
	void setUp() throws InterruptedException {
		this.tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		String csv = "姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + "刘志强," + TestPhoneNumbers.next() + "," + id() + ",区卫健局,采样、医疗,5\n"
				+ "陈晓梅," + TestPhoneNumbers.next() + "," + id() + ",区教育局,采样,5\n" + "赵建华," + TestPhoneNumbers.next()
				+ "," + id() + ",区交通局,驾驶,5\n";
		this.volunteers.importFile(worker, null, csv.getBytes(StandardCharsets.UTF_8));
		// A shift that is on now, so the volunteer can check in during the test.
		LocalTime start = LocalTime.now().minusMinutes(20).withSecond(0).withNano(0);
		String hhmm = start.format(DateTimeFormatter.ofPattern("HH:mm"));
		String end = start.plusHours(6).format(DateTimeFormatter.ofPattern("HH:mm"));
		LocalDate today = start.isAfter(LocalTime.now()) ? LocalDate.now().minusDays(1) : LocalDate.now();
		this.postId = this.posts
			.create(worker,
					new Posts.NewPost(this.tree.communityA1().id(), "福乐湾北门核酸采样点", "sampling point", null,
							List.of(new Posts.NewShift(hhmm, end, 1, List.of("采样")))))
			.id();
		this.posts.create(worker,
				new Posts.NewPost(this.tree.communityA1().id(), "物资配送", "delivery", null,
						List.of(new Posts.NewShift("08:00", "12:00", 1, List.of("驾驶")),
								new Posts.NewShift("14:00", "18:00", 1, List.of("医疗")))));
		this.rosterId = this.rosters
			.create(worker,
					new Rosters.NewRoster(this.tree.communityA1().code(), today.toString(),
							today.plusDays(6).toString(), 2))
			.id();
		for (int i = 0; i < 300 && !"DONE".equals(state()); i++) {
			Thread.sleep(100);
		}
		assertThat(state()).isEqualTo("DONE");
	}

	private String state() {
		return this.jdbc.sql("select state from duty_roster where id = :id")
			.param("id", this.rosterId)
			.query(String.class)
			.single();
	}

	static String id() {
		return TestIdNumbers.bornBetween(LocalDate.of(1980, 1, 1), LocalDate.of(2004, 8, 21));
	}

	@Test
	void workerSeesTheBoardAndTheRosterGrid() {
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/workforce?code=" + this.tree.communityA1().code());
		assertThat(text("#people h2")).isEqualTo("人员（3 人）");
		assertThat(text("#posts")).contains("福乐湾北门核酸采样点").contains("采样点");
		assertFilePickerInChinese("file", "选择文件");
		screenshot("workforce-board");
		open("/workforce/rosters/" + this.rosterId);
		assertThat(text("#fill")).startsWith("已排");
		assertThat(text(".roster-grid")).contains("福乐湾北门核酸采样点").containsAnyOf("刘志强", "陈晓梅");
		// Chinese on a Chinese screen: no rule codes.
		assertThat(text(".roster-grid")).doesNotContain("REQUIRED_SKILLS").doesNotContain("MAX_SHIFTS");
		screenshot("workforce-roster-grid");
		assertReadableOnPhone("workforce-roster-grid");
		open("/workforce/posts/" + this.postId + "/code");
		assertThat(text("#post-url")).contains("/p/");
		screenshot("workforce-post-code");
	}

	@Test
	void volunteerSeesTheirShiftsAndChecksInByScanningThePostCode() {
		Map<String, Object> mine = this.jdbc.sql("""
				select a.volunteer_id, p.qr_token from duty_assignment a join duty_post p on p.id = a.post_id
				where a.roster_id = :roster and a.post_id = :post and a.starts_at <= :now and a.ends_at > :now""")
			.param("roster", this.rosterId)
			.param("post", this.postId)
			.param("now", LocalDateTime.now())
			.query()
			.singleRow();
		long volunteer = ((Number) mine.get("volunteer_id")).longValue();
		driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		open("/d/" + this.links.token(volunteer));
		assertThat(text(".lead")).endsWith("您好");
		assertThat(texts("#shifts .shift")).isNotEmpty();
		assertThat(text("#shifts")).contains("福乐湾北门核酸采样点");
		screenshot("workforce-my-shifts");

		// The phone's camera opens the address the post's code holds.
		open("/p/" + mine.get("qr_token"));
		assertThat(text("#scan")).isEqualTo("签到");
		screenshot("workforce-post-scan");
		clickAndWaitForNextPage(driver.findElement(By.id("scan")));
		assertThat(text("#outcome")).isEqualTo("已签到");
		assertThat(text("#scan")).isEqualTo("签退");
		screenshot("workforce-post-checked-in");
		assertThat(this.jdbc.sql("""
				select checked_in_at is not null from duty_assignment where roster_id = :roster and volunteer_id = :v
				  and post_id = :post and starts_at <= now()::timestamp""")
			.param("roster", this.rosterId)
			.param("v", volunteer)
			.param("post", this.postId)
			.query(Boolean.class)
			.list()).contains(true);

		// A forged link opens nothing.
		open("/d/" + volunteer + ".AAAAAAAAAAAAAAAAAAAAAA");
		assertThat(text(".alert.error")).contains("链接无效");
	}

	private void tick(String name, String value, boolean on) {
		org.openqa.selenium.WebElement box = driver
			.findElement(By.cssSelector("#preferences input[name=" + name + "][value='" + value + "']"));
		if (box.isSelected() != on) {
			box.click();
		}
	}

	private String stored(String name) {
		return this.jdbc.sql("""
				select array_to_string(preferred_kinds, '、') || ' ' || preferred_from || '-' || preferred_to
				from volunteer where name = :name and path like :path""")
			.param("name", name)
			.param("path", this.tree.communityA1().path() + "%")
			.query(String.class)
			.single();
	}

	@Test
	void workerAndVolunteerSeeAndChangeTheVolunteersWishes() {
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/workforce?code=" + this.tree.communityA1().code());
		// The board's column of wishes is one a phone folds away (the person's page has
		// them).
		use(DESKTOP);
		assertThat(text("#people thead")).contains("意向");
		assertThat(text("#people tbody")).contains("不限");
		use(PHONE);
		clickAndWaitForNextPage(driver.findElement(By.xpath("//a[@class='person' and text()='刘志强']")));
		assertThat(text("h1")).isEqualTo("刘志强");
		assertThat(text("#person")).contains("区卫健局").contains("采样").contains("每天");
		tick("kinds", "PATROL", true);
		tick("slots", "晚班", true);
		tick("slots", "夜班", true);
		clickAndWaitForNextPage(driver.findElement(By.id("save-preferences")));
		assertThat(text("#preferences-saved")).contains("已保存").contains("巡逻").contains("晚班、夜班");
		assertThat(stored("刘志强")).isEqualTo("PATROL 1020-300");
		// Chinese on a Chinese screen: no kind codes.
		assertThat(text("#preferences")).doesNotContain("PATROL").doesNotContain("CHECKPOINT");
		screenshot("workforce-volunteer-preferences");

		// A gap between the times is refused beside the form, with what was ticked and
		// typed kept.
		tick("slots", "晚班", false);
		tick("slots", "夜班", false);
		tick("slots", "早班", true);
		tick("kinds", "HOTLINE", true);
		driver.findElement(By.id("other")).sendKeys("18:00-20:00");
		clickAndWaitForNextPage(driver.findElement(By.id("save-preferences")));
		assertThat(text("#preferences-error")).contains("空档");
		assertThat(driver.findElement(By.cssSelector("#preferences input[value='早班']")).isSelected()).isTrue();
		assertThat(driver.findElement(By.cssSelector("#preferences input[value='HOTLINE']")).isSelected()).isTrue();
		assertThat(driver.findElement(By.cssSelector("#preferences input[value='PATROL']")).isSelected()).isTrue();
		assertThat(driver.findElement(By.id("other")).getAttribute("value")).isEqualTo("18:00-20:00");
		assertThat(stored("刘志强")).isEqualTo("PATROL 1020-300");
		screenshot("workforce-volunteer-preferences-refused");

		open("/workforce?code=" + this.tree.communityA1().code());
		use(DESKTOP);
		assertThat(text("#people tbody")).contains("巡逻").contains("晚班").contains("夜班");
		use(PHONE);

		// The volunteer on their phone, through the texted link: their own wishes.
		long volunteer = this.jdbc.sql("select id from volunteer where name = '陈晓梅' and path like :path")
			.param("path", this.tree.communityA1().path() + "%")
			.query(Long.class)
			.single();
		driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
		open("/d/" + this.links.token(volunteer));
		assertThat(text("#preferences h2")).isEqualTo("我的意向");
		tick("kinds", "SAMPLING_POINT", true);
		driver.findElement(By.id("other")).sendKeys("07:00-12:00");
		clickAndWaitForNextPage(driver.findElement(By.id("save-preferences")));
		assertThat(text("#preferences-saved")).contains("采样点").contains("07:00-12:00");
		assertThat(driver.findElement(By.id("other")).getAttribute("value")).isEqualTo("07:00-12:00");
		assertThat(stored("陈晓梅")).isEqualTo("SAMPLING_POINT 420-720");
		assertThat(texts("#shifts .shift")).isNotEmpty();
		screenshot("workforce-my-preferences");
		assertThat(this.jdbc.sql("""
				select count(*) from audit_event where action = 'VOLUNTEER_PREFERENCES_CHANGED'
				  and target_id = :id and actor = 'duty-link'""")
			.param("id", String.valueOf(volunteer))
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aVolunteerSignedInWithTheirAccountReachesTheirOwnShifts() {
		String username = logInAs(Role.VOLUNTEER, this.tree.communityA1());
		open("/workforce/mine");
		assertThat(text("#not-enrolled")).contains("没有对应的志愿者登记");

		long account = this.jdbc.sql("select id from account where username = :u")
			.param("u", username)
			.query(Long.class)
			.single();
		this.jdbc.sql("update volunteer set account_id = :a where name = '赵建华' and path like :path")
			.param("a", account)
			.param("path", this.tree.communityA1().path() + "%")
			.update();
		open("/workforce/mine");
		assertThat(driver.getCurrentUrl()).contains("/d/");
		assertThat(text(".lead")).isEqualTo("赵建华，您好");
		assertThat(text("#preferences h2")).isEqualTo("我的意向");
		screenshot("workforce-mine-signed-in");
		// Enrolled, the volunteer lands on their shifts after signing in, and the menu
		// leads back to them.
		open("/");
		assertThat(driver.getCurrentUrl()).contains("/d/");
		assertThat(driver.findElements(By.cssSelector("nav.topnav a[href='/workforce/mine']"))).hasSize(1);
	}

}
