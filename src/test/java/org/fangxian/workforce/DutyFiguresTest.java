package org.fangxian.workforce;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.registry.DivisionTree;
import org.fangxian.reporting.FigureSource;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.workforce.internal.Posts;
import org.fangxian.workforce.internal.Volunteers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Volunteers on duty on the dashboard (issue 14): the workforce figures of a community,
 * its street and the district for today, against counts written by hand and against an
 * independent SQL count of the same seats. Tomorrow's shifts, a superseded roster and
 * other streets stay out; a person with two shifts counts once.
 */
class DutyFiguresTest extends IntegrationTest {

	@Autowired
	List<FigureSource> sources;

	@Autowired
	Volunteers volunteers;

	@Autowired
	Posts posts;

	@Autowired
	DivisionTree divisions;

	@Autowired
	Clock clock;

	Map<String, Long> people = new HashMap<>();

	Map<Long, Long> shiftOf = new HashMap<>();

	TestData.Tree tree;

	LocalDateTime now;

	LocalDate today;

	long enrol(TestData.NodeRef node, String... names) {
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, node);
		StringBuilder csv = new StringBuilder("姓名,手机号,身份证号,所属单位,技能,每周最多班次\n");
		for (String name : names) {
			csv.append(name).append(',').append(TestPhoneNumbers.next()).append(",,区卫健局,采样,7\n");
		}
		this.volunteers.importFile(worker, node.code(), csv.toString().getBytes(StandardCharsets.UTF_8));
		this.volunteers.list(worker, node.code()).forEach(v -> this.people.put(v.name(), v.id()));
		return post(node, "卡点");
	}

	long post(TestData.NodeRef node, String name) {
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, node);
		long post = this.posts
			.create(worker,
					new Posts.NewPost(node.id(), name + node.code(), "checkpoint", null,
							List.of(new Posts.NewShift("07:00", "14:00", 5, List.of()))))
			.id();
		this.shiftOf.put(post,
				this.jdbc.sql("select id from duty_shift where post_id = :p")
					.param("p", post)
					.query(Long.class)
					.single());
		return post;
	}

	long roster(TestData.NodeRef node) {
		return this.jdbc.sql("""
				insert into duty_roster (node_id, path, from_date, to_date, seconds, state, created_by)
				values (:node, :path, :from, :to, 1, 'DONE', 0) returning id""")
			.param("node", node.id())
			.param("path", node.path())
			.param("from", this.today.minusDays(1))
			.param("to", this.today.plusDays(5))
			.query(Long.class)
			.single();
	}

	/** A seat of {@code hours} from {@code starts}; in, out and late as given. */
	void seat(long roster, long post, String who, LocalDate day, LocalDateTime starts, int hours, boolean in,
			boolean out, boolean late) {
		this.jdbc.sql("""
				insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id,
				                             checked_in_at, checked_out_at, late_flagged_at)
				values (:roster, :shift, :post, :day, :starts, :ends, :v,
				        case when :in then now() end, case when :out then now() end, case when :late then now() end)""")
			.param("roster", roster)
			.param("shift", this.shiftOf.get(post))
			.param("post", post)
			.param("day", day)
			.param("starts", starts)
			.param("ends", starts.plusHours(hours))
			.param("v", this.people.get(who))
			.param("in", in)
			.param("out", out)
			.param("late", late)
			.update();
	}

	/** The same figures counted another way: sub-selects over the node's posts. */
	Map<String, Long> independently(TestData.NodeRef node) {
		String seats = """
				from duty_assignment where day = :day
				  and roster_id in (select id from duty_roster where superseded_by is null)
				  and post_id in (select id from duty_post where path like :prefix)""";
		Map<String, Long> counts = new HashMap<>();
		counts.put("scheduled", count("select count(*) from (select distinct volunteer_id " + seats + ") s", node));
		counts.put("checkedIn", count(
				"select count(*) from (select distinct volunteer_id " + seats + " and checked_in_at is not null) s",
				node));
		counts.put("onPostNow", count("select count(*) from (select distinct volunteer_id " + seats
				+ " and checked_in_at is not null and checked_out_at is null and starts_at <= cast(:now as timestamp)"
				+ " and ends_at > cast(:now as timestamp)) s", node));
		counts.put("late",
				count("select count(*) " + seats + " and late_flagged_at is not null and checked_in_at is null", node));
		return counts;
	}

	long count(String sql, TestData.NodeRef node) {
		return this.jdbc.sql(sql)
			.param("day", this.today)
			.param("prefix", node.path() + "%")
			.param("now", this.now)
			.query(Long.class)
			.single();
	}

	@Test
	void volunteersOnDutyMatchAnIndependentCountPerSubtree() {
		this.tree = this.data.tree();
		this.now = LocalDateTime.now(this.clock).withNano(0);
		this.today = this.now.toLocalDate();
		LocalDate tomorrow = this.today.plusDays(1);
		long a1 = enrol(this.tree.communityA1(), "甲一", "乙二", "丙三", "丁四", "戊五");
		long a2 = enrol(this.tree.communityA2(), "己六");
		long b1 = enrol(this.tree.communityB1(), "庚七");
		long rosterA1 = roster(this.tree.communityA1());
		long old = roster(this.tree.communityA1());
		this.jdbc.sql("update duty_roster set superseded_by = :new where id = :old")
			.param("new", rosterA1)
			.param("old", old)
			.update();
		LocalDateTime earlier = this.now.minusHours(1);
		// 甲一 is on the post now; 乙二 came and went; 丙三 has two shifts and missed one.
		seat(rosterA1, a1, "甲一", this.today, earlier, 4, true, false, false);
		seat(rosterA1, a1, "乙二", this.today, this.now.minusHours(6), 2, true, true, false);
		seat(rosterA1, a1, "丙三", this.today, this.now.minusHours(3), 2, false, false, true);
		seat(rosterA1, post(this.tree.communityA1(), "巡逻"), "丙三", this.today, this.now.plusHours(8), 2, false, false,
				false);
		seat(rosterA1, a1, "丁四", tomorrow, this.now.plusHours(24), 4, false, false, false);
		seat(old, a1, "戊五", this.today, earlier, 4, true, false, false);
		seat(roster(this.tree.communityA2()), a2, "己六", this.today, earlier, 4, true, false, false);
		seat(roster(this.tree.communityB1()), b1, "庚七", this.today, earlier, 4, true, false, false);

		FigureSource source = this.sources.stream()
			.filter(s -> s.section().equals("workforce"))
			.findFirst()
			.orElseThrow();
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, this.tree.district());
		Map<String, Long> community = source.figures(hq, this.divisions.node(hq, this.tree.communityA1().id()),
				this.today);
		assertThat(community).containsExactly(Map.entry("scheduled", 3L), Map.entry("checkedIn", 2L),
				Map.entry("onPostNow", 1L), Map.entry("late", 1L));
		Map<String, Long> street = source.figures(hq, this.divisions.node(hq, this.tree.streetA().id()), this.today);
		assertThat(street).containsEntry("scheduled", 4L)
			.containsEntry("checkedIn", 3L)
			.containsEntry("onPostNow", 2L)
			.containsEntry("late", 1L);
		Map<String, Long> district = source.figures(hq, this.divisions.node(hq, this.tree.district().id()), this.today);
		assertThat(district).containsEntry("scheduled", 5L).containsEntry("onPostNow", 3L);
		for (TestData.NodeRef node : List.of(this.tree.communityA1(), this.tree.communityA2(), this.tree.streetA(),
				this.tree.communityB1(), this.tree.district())) {
			assertThat(source.figures(hq, this.divisions.node(hq, node.id()), this.today))
				.as("figures of %s", node.code())
				.isEqualTo(independently(node));
		}
		// Tomorrow: only 丁四 is on the roster, and "now" is not tomorrow's.
		assertThat(source.figures(hq, this.divisions.node(hq, this.tree.communityA1().id()), tomorrow))
			.containsExactly(Map.entry("scheduled", 1L), Map.entry("checkedIn", 0L), Map.entry("late", 0L));
	}

}
