package org.fangxian.screening.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.DivisionTree;
import org.fangxian.screening.ScreeningFigures;
import org.fangxian.screening.ScreeningFigures.DoorToDoor;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Door-to-door progress from the read model kept by screening's triggers
 * ({@code screening_progress}) against the count the dashboard made before it, straight
 * from the doors and their knocks, at district, street, community and below, over days
 * either side of each campaign, with knocks a minute either side of midnight in China
 * Standard Time; and again after knocks are corrected or deleted, doors removed and a
 * campaign purged.
 */
class DoorToDoorProgressTest extends IntegrationTest {

	@Autowired
	ScreeningCampaigns campaigns;

	@Autowired
	ScreeningVisits visits;

	@Autowired
	ScreeningFigures figures;

	@Autowired
	ScreeningDataPurge purge;

	@Autowired
	DivisionTree divisions;

	TestData.Tree tree;

	CurrentUser hq;

	CurrentUser worker;

	TestData.NodeRef compoundA1;

	TestData.NodeRef building1;

	/** The day before today in China and today. */
	LocalDate day;

	LocalDate next;

	/** A1: 1栋1单元 101-104 and one on the compound; A2: two on its compound; B1: two. */
	long h1;

	long h2;

	long h3;

	long h4;

	long hCompound;

	long h5;

	long h6;

	long h7;

	long h8;

	/** Street A, from two days before the day to today. */
	long campaignA;

	/** Community A1, on the day only: A1's doors are in two campaigns that day. */
	long campaignA1;

	/** Community B1, ended the day before the day. */
	long campaignB;

	/** The district, from today. */
	long campaignD;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.hq = this.data.user(Role.HQ_ADMIN, this.tree.district());
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.next = ChinaStandardTime.today(java.time.Clock.systemUTC());
		this.day = this.next.minusDays(1);
		this.compoundA1 = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区");
		this.building1 = this.data.node(this.compoundA1.id(), "BUILDING", null, "1栋");
		TestData.NodeRef unit = this.data.node(this.building1.id(), "UNIT", null, "1单元");
		TestData.NodeRef compoundA2 = this.data.node(this.tree.communityA2().id(), "COMPOUND", null, "福同小区");
		TestData.NodeRef buildingB1 = this.data.node(this.tree.communityB1().id(), "BUILDING", null, "3栋");
		TestData.NodeRef unitB1 = this.data.node(buildingB1.id(), "UNIT", null, "1单元");
		this.h1 = household(unit, "101");
		this.h2 = household(unit, "102");
		this.h3 = household(unit, "103");
		this.h4 = household(unit, "104");
		this.hCompound = household(this.compoundA1, "门卫室");
		this.h5 = household(compoundA2, "1");
		this.h6 = household(compoundA2, "2");
		this.h7 = household(unitB1, "101");
		this.h8 = household(unitB1, "102");

		this.campaignA = campaign(this.tree.streetA(), this.day.minusDays(2), this.next);
		this.campaignA1 = campaign(this.tree.communityA1(), this.day, this.day);
		this.campaignB = campaign(this.tree.communityB1(), this.day.minusDays(3), this.day.minusDays(1));
		this.campaignD = campaign(this.tree.district(), this.next, this.next.plusDays(3));

		// Street A: 101 at home at 23:59 on the day; 102 nobody home at noon, refused at
		// 00:01 today; 103 at home two days before and again on the day (one door, its
		// first day); 104 nobody home; the compound's door knocked now through the
		// service; A2's first door refused at midnight exactly (today's), its second not
		// knocked.
		knock(this.campaignA, this.h1, "AT_HOME", cst(this.day, 23, 59));
		knock(this.campaignA, this.h2, "NOBODY_HOME", cst(this.day, 12, 0));
		knock(this.campaignA, this.h2, "REFUSED", cst(this.next, 0, 1));
		knock(this.campaignA, this.h3, "AT_HOME", cst(this.day.minusDays(2), 10, 0));
		knock(this.campaignA, this.h3, "AT_HOME", cst(this.day, 9, 0));
		knock(this.campaignA, this.h4, "NOBODY_HOME", cst(this.day.minusDays(1), 15, 0));
		this.visits.record(this.worker, this.campaignA, this.hCompound, new ScreeningVisits.VisitReport("AT_HOME",
				UUID.randomUUID().toString(), false, null, 0, null, true, null, List.of()));
		knock(this.campaignA, this.h5, "REFUSED", cst(this.next, 0, 0));
		// A1's one-day campaign: 102 at home in the morning.
		knock(this.campaignA1, this.h2, "AT_HOME", cst(this.day, 8, 0));
		// B1's ended campaign, and the district's from today.
		knock(this.campaignB, this.h7, "AT_HOME", cst(this.day.minusDays(2), 10, 0));
		knock(this.campaignB, this.h8, "REFUSED", cst(this.day.minusDays(1), 23, 59));
		knock(this.campaignD, this.h7, "AT_HOME", cst(this.next, 0, 1));
		this.visits.record(this.worker, this.campaignD, this.h1, new ScreeningVisits.VisitReport("REFUSED",
				UUID.randomUUID().toString(), false, null, 0, null, false, null, List.of()));
	}

	@Test
	void theReadModelMatchesTheDirectCountAtEveryLevelOnEveryDay() {
		assertEveryFigureMatchesTheDirectCount("as recorded");
	}

	@Test
	void aKnockAMinuteBeforeMidnightInChinaCountsThatDayAndOneAfterTheNext() {
		// The day: street A's 7 doors and A1's 5 again; visited 101 (23:59) and 103 in A,
		// 102 (08:00) in A1; 102's refusal at 00:01 and A2's at 00:00 are today's.
		assertThat(districtOn(this.day)).isEqualTo(new DoorToDoor(12, 3));
		// Today: street A's 7 and the district's 9; A: 101, 102, 103, the compound's
		// door,
		// A2's first; the district's: B1's 101 at 00:01 and 101 of A1 now.
		assertThat(districtOn(this.next)).isEqualTo(new DoorToDoor(16, 7));
		assertThat(districtOn(this.day.minusDays(1))).as("B1's 102 at 23:59 that day").isEqualTo(new DoorToDoor(9, 3));
		assertThat(districtOn(this.next.plusDays(1))).isEqualTo(new DoorToDoor(9, 2));
	}

	@Test
	void aDoorKnockedTwiceIsOneDoorVisitedOnItsFirstDay() {
		// 103 at home two days before the day and again on the day: one door, visited
		// since the first.
		assertThat(progressRows(this.campaignA)).contains(
				row(this.tree.communityA1().path(), this.day.minusDays(2), 0, 1),
				row(this.tree.communityA1().path(), null, 5, 0), row(this.tree.communityA2().path(), null, 2, 0));
		assertThat(progressRows(this.campaignA).stream().mapToLong(r -> r.visited()).sum()).isEqualTo(5);
	}

	@Test
	void correctedAndDeletedKnocksRemovedDoorsAndThePurgeKeepTheFiguresRight() {
		// A knock's time corrected: 101's 23:59 was in fact 00:01 today.
		this.jdbc.sql("""
				update screening_attempt set visited_at = :at
				where visit_id = (select id from screening_visit where campaign_id = :c and household_id = :h)""")
			.param("at", Timestamp.from(cst(this.next, 0, 1)))
			.param("c", this.campaignA)
			.param("h", this.h1)
			.update();
		assertEveryFigureMatchesTheDirectCount("after a knock's time is corrected");
		assertThat(districtOn(this.day)).isEqualTo(new DoorToDoor(12, 2));
		// A knock's outcome corrected: B1's 102 was nobody home.
		this.jdbc.sql("""
				update screening_attempt set outcome = 'NOBODY_HOME'
				where visit_id = (select id from screening_visit where campaign_id = :c and household_id = :h)""")
			.param("c", this.campaignB)
			.param("h", this.h8)
			.update();
		assertEveryFigureMatchesTheDirectCount("after a knock's outcome is corrected");
		// 103's first knock deleted: visited from the day, not before.
		this.jdbc.sql("""
				delete from screening_attempt where visited_at = :at
				and visit_id = (select id from screening_visit where campaign_id = :c and household_id = :h)""")
			.param("at", Timestamp.from(cst(this.day.minusDays(2), 10, 0)))
			.param("c", this.campaignA)
			.param("h", this.h3)
			.update();
		assertEveryFigureMatchesTheDirectCount("after a knock is deleted");
		assertThat(progressRows(this.campaignA))
			.doesNotContain(row(this.tree.communityA1().path(), this.day.minusDays(2), 0, 1));
		// A2's door never knocked taken off the campaign.
		this.jdbc.sql("delete from screening_visit where campaign_id = :c and household_id = :h")
			.param("c", this.campaignA)
			.param("h", this.h6)
			.update();
		assertEveryFigureMatchesTheDirectCount("after a door is removed");

		// The purge of street B: its ended campaign's doors and knocks go, and with them
		// its rows; the district's campaign, still running, stays.
		this.purge.purge(Instant.now(), this.tree.streetB().path(),
				this.divisions.node(this.hq, this.tree.streetB().id()).subtreeEnd());
		assertThat(progressRows(this.campaignB)).isEmpty();
		assertThat(progressRows(this.campaignD)).isNotEmpty();
		assertEveryFigureMatchesTheDirectCount("after street B's purge");
	}

	private void assertEveryFigureMatchesTheDirectCount(String when) {
		List<TestData.NodeRef> nodes = List.of(this.tree.district(), this.tree.streetA(), this.tree.streetB(),
				this.tree.communityA1(), this.tree.communityA2(), this.tree.communityB1(), this.compoundA1,
				this.building1);
		List<String> checked = new ArrayList<>();
		for (LocalDate d = this.day.minusDays(4); !d.isAfter(this.next.plusDays(4)); d = d.plusDays(1)) {
			for (TestData.NodeRef ref : nodes) {
				DoorToDoor expected = directCount(ref.path(), d);
				assertThat(figures(ref, d)).as("%s, %s on %s", when, ref.name(), d).isEqualTo(expected);
				checked.add(ref.name() + d);
			}
		}
		assertThat(checked).hasSize(8 * 10);
	}

	private DoorToDoor districtOn(LocalDate d) {
		return figures(this.tree.district(), d);
	}

	private DoorToDoor figures(TestData.NodeRef ref, LocalDate d) {
		return this.figures.doorToDoor(this.hq, this.divisions.node(this.hq, ref.id()), d);
	}

	/**
	 * The dashboard's count before the read model, kept as the independent one: every
	 * door of the campaigns running that day in the subtree, visited if a conclusive
	 * knock came before the end of the day in China.
	 */
	private DoorToDoor directCount(String path, LocalDate d) {
		return this.jdbc.sql("""
				select count(*) as doors,
				       count(*) filter (where exists (select 1 from screening_attempt a where a.visit_id = v.id
				           and a.outcome in ('AT_HOME', 'REFUSED') and a.visited_at < :dayEnd)) as visited
				from screening_visit v join screening_campaign c on c.id = v.campaign_id
				where v.path like :p and c.starts_on <= :day and c.ends_on >= :day""")
			.param("p", path + "%")
			.param("day", d)
			.param("dayEnd", Timestamp.from(ChinaStandardTime.startOf(d.plusDays(1))))
			.query((rs, i) -> new DoorToDoor(rs.getLong("doors"), rs.getLong("visited")))
			.single();
	}

	record Row(String areaPath, LocalDate day, long doors, long visited) {
	}

	private static Row row(String areaPath, LocalDate day, long doors, long visited) {
		return new Row(areaPath, day, doors, visited);
	}

	/** The campaign's rows; the doors' row (day -infinity) with a null day. */
	private List<Row> progressRows(long campaign) {
		return this.jdbc.sql("""
				select area_path, case when day = '-infinity' then null else day end as day, doors, visited
				from screening_progress where campaign_id = :c""").param("c", campaign).query(Row.class).list();
	}

	static Instant cst(LocalDate day, int hour, int minute) {
		return day.atTime(LocalTime.of(hour, minute)).atZone(ChinaStandardTime.ZONE).toInstant();
	}

	private long household(TestData.NodeRef node, String room) {
		return this.jdbc
			.sql("insert into household (node_id, room, address) values (:node, :room, :address) returning id")
			.param("node", node.id())
			.param("room", room)
			.param("address", node.name() + room)
			.query(Long.class)
			.single();
	}

	private long campaign(TestData.NodeRef node, LocalDate from, LocalDate to) {
		return this.campaigns
			.create(this.hq, new ScreeningCampaigns.NewCampaign("敲门行动" + node.name(), node.id(), from, to))
			.id();
	}

	/** A knock at a chosen time, written as the service writes it (with its summary). */
	private void knock(long campaign, long household, String outcome, Instant at) {
		this.jdbc.sql("""
				insert into screening_attempt (visit_id, idempotency_key, outcome, visited_at, account_id)
				select id, gen_random_uuid()::text, :o, :at, :by from screening_visit
				where campaign_id = :c and household_id = :h""")
			.param("c", campaign)
			.param("h", household)
			.param("o", outcome)
			.param("at", Timestamp.from(at))
			.param("by", this.worker.accountId())
			.update();
		this.jdbc.sql("""
				update screening_visit set attempts = attempts + 1, last_visited_at = :at
				where campaign_id = :c and household_id = :h""")
			.param("c", campaign)
			.param("h", household)
			.param("at", Timestamp.from(at))
			.update();
	}

}
