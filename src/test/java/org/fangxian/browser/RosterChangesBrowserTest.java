package org.fangxian.browser;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.TestData;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.workforce.internal.Posts;
import org.fangxian.workforce.internal.Volunteers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A community worker changes a published roster from its grid (调班): a manual edit (first
 * refused by a hard rule, the form keeping the choice), a swap of two people, and sick
 * leave with the proposed replacements, one of them changed to another alternative. Each
 * result shows beside the forms and in the grid, and is in the database.
 */
class RosterChangesBrowserTest extends BrowserTestSupport {

	@Autowired
	Volunteers volunteers;

	@Autowired
	Posts posts;

	TestData.Tree tree;

	Map<String, Long> people = new HashMap<>();

	long gate;

	long drive;

	long roster;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		String csv = "姓名,手机号,身份证号,所属单位,技能,每周最多班次\n" + "甲一," + TestPhoneNumbers.next() + ",,区卫健局,采样,7\n" + "乙二,"
				+ TestPhoneNumbers.next() + ",,区卫健局,采样、驾驶,7\n" + "丙三," + TestPhoneNumbers.next() + ",,区卫健局,采样,7\n"
				+ "丁四," + TestPhoneNumbers.next() + ",,区卫健局,采样,1\n";
		this.volunteers.importFile(worker, null, csv.getBytes(StandardCharsets.UTF_8));
		this.volunteers.list(worker, this.tree.communityA1().code()).forEach(v -> this.people.put(v.name(), v.id()));
		this.gate = this.posts
			.create(worker,
					new Posts.NewPost(this.tree.communityA1().id(), "北门卡点", "checkpoint", null,
							List.of(new Posts.NewShift("07:00", "14:00", 1, List.of()))))
			.id();
		this.drive = this.posts
			.create(worker,
					new Posts.NewPost(this.tree.communityA1().id(), "物资配送", "delivery", null,
							List.of(new Posts.NewShift("08:00", "12:00", 1, List.of("驾驶")))))
			.id();
		this.roster = this.jdbc.sql("""
				insert into duty_roster (node_id, path, from_date, to_date, seconds, state, created_by)
				values (:node, :path, date '2027-03-01', date '2027-03-07', 1, 'DONE', 0) returning id""")
			.param("node", this.tree.communityA1().id())
			.param("path", this.tree.communityA1().path())
			.query(Long.class)
			.single();
	}

	long seat(long post, String day, String who) {
		return this.jdbc.sql("""
				insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id)
				select :roster, s.id, s.post_id, cast(:day as date), cast(:day as date) + s.starts,
				       cast(:day as date) + s.ends, :v
				from duty_shift s where s.post_id = :post returning id""")
			.param("roster", this.roster)
			.param("post", post)
			.param("day", day)
			.param("v", this.people.get(who))
			.query(Long.class)
			.single();
	}

	String holder(long assignment) {
		Long volunteer = this.jdbc.sql("select volunteer_id from duty_assignment where id = :id")
			.param("id", assignment)
			.query(Long.class)
			.optional()
			.orElse(null);
		return this.people.entrySet()
			.stream()
			.filter(e -> e.getValue().equals(volunteer))
			.map(Map.Entry::getKey)
			.findFirst()
			.orElse(null);
	}

	static Select select(String id) {
		return new Select(driver.findElement(By.id(id)));
	}

	static void submit(String buttonId) {
		WebElement button = driver.findElement(By.id(buttonId));
		((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", button);
		clickAndWaitForNextPage(button);
	}

	@Test
	void workerEditsSwapsAndRecordsLeaveFromTheGrid() {
		long mon = seat(this.gate, "2027-03-01", "甲一");
		long tue = seat(this.gate, "2027-03-02", "乙二");
		long wed = seat(this.drive, "2027-03-03", "乙二");
		long thu = seat(this.gate, "2027-03-04", "丙三");
		logInAs(Role.COMMUNITY_WORKER, this.tree.communityA1());
		open("/workforce/rosters/" + this.roster);
		assertThat(text("#changes h2")).isEqualTo("调班");
		screenshot("workforce-roster-changes");

		// 甲一 cannot drive: the edit is refused beside the form, which keeps the choice.
		select("edit-seat").selectByValue(String.valueOf(wed));
		select("edit-person").selectByValue(String.valueOf(this.people.get("甲一")));
		submit("edit-submit");
		assertThat(text("#edit-form .alert.error")).isEqualTo("甲一不能排此班：不具备所需技能");
		assertThat(select("edit-seat").getFirstSelectedOption().getAttribute("value")).isEqualTo(String.valueOf(wed));
		assertThat(select("edit-person").getFirstSelectedOption().getText()).isEqualTo("甲一");
		assertThat(holder(wed)).isEqualTo("乙二");
		screenshot("workforce-roster-edit-refused");

		// Monday's gate to 丙三.
		select("edit-seat").selectByValue(String.valueOf(mon));
		select("edit-person").selectByValue(String.valueOf(this.people.get("丙三")));
		submit("edit-submit");
		assertThat(text("#change-done")).isEqualTo("已改排：3/1 周一 07:00–14:00 由 丙三 值班");
		assertThat(text(".roster-grid .tag.changed")).isEqualTo("丙三");
		assertThat(driver.findElement(By.cssSelector(".roster-grid [data-seat='" + mon + "']")).getText())
			.isEqualTo("丙三");
		assertThat(holder(mon)).isEqualTo("丙三");
		assertThat(driver.findElements(By.cssSelector("#changes .alert.error"))).isEmpty();

		// Tuesday (乙二) and Thursday (丙三) swap.
		select("swap-first").selectByValue(String.valueOf(tue));
		select("swap-second").selectByValue(String.valueOf(thu));
		submit("swap-submit");
		assertThat(text("#change-done")).contains("丙三 改值 3/2 周二").contains("乙二 改值 3/4 周四");
		// textContent: at phone width Thursday's column is scrolled out of the grid's
		// view.
		assertThat(driver.findElements(By.cssSelector(".roster-grid .tag.changed"))
			.stream()
			.map(e -> e.getAttribute("textContent").strip())
			.toList()).containsExactlyInAnyOrder("丙三", "乙二");
		assertThat(holder(tue)).isEqualTo("丙三");
		assertThat(holder(thu)).isEqualTo("乙二");
		screenshot("workforce-roster-swapped");

		// 丙三 falls ill for the week: two shifts (Monday, Tuesday) to replace.
		select("leave-person").selectByValue(String.valueOf(this.people.get("丙三")));
		select("leave-kind").selectByValue("SICK");
		submit("leave-submit");
		assertThat(texts("#proposal .proposal")).hasSize(2);
		assertThat(holder(mon)).as("a proposal writes nothing").isEqualTo("丙三");
		// The leave form keeps what was chosen.
		assertThat(select("leave-person").getFirstSelectedOption().getText()).isEqualTo("丙三");
		assertThat(select("leave-kind").getFirstSelectedOption().getText()).isEqualTo("病假");
		Select monday = select("pick-" + mon);
		List<String> alternatives = monday.getOptions().stream().map(WebElement::getText).toList();
		assertThat(alternatives).doesNotContain("丙三").contains("甲一", "丁四");
		String proposed = monday.getFirstSelectedOption().getText();
		String chosen = alternatives.stream().filter(name -> !name.equals(proposed)).findFirst().orElseThrow();
		monday.selectByVisibleText(chosen);
		screenshot("workforce-roster-leave-proposals");
		submit("leave-apply");
		assertThat(text("#change-done")).isEqualTo("已登记请假：2 个班次，2 个已安排替班，0 个无人可替");
		assertThat(holder(mon)).isEqualTo(chosen);
		assertThat(holder(tue)).isNotNull().isNotEqualTo("丙三");
		assertThat(holder(thu)).isEqualTo("乙二");
		assertThat(this.jdbc.sql("select kind from duty_leave where roster_id = :r")
			.param("r", this.roster)
			.query(String.class)
			.single()).isEqualTo("SICK");
		screenshot("workforce-roster-leave-applied");

		// The roster printed per post, a page each.
		open("/workforce/rosters/" + this.roster + "/print");
		assertThat(texts(".post-sheet h2")).containsExactly("北门卡点 卡点", "物资配送 配送");
		assertThat(text("#post-" + this.gate + " tbody tr:first-child")).contains("3/1 周一").contains(chosen);
		screenshot("workforce-roster-print");
	}

}
