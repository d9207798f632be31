package org.fangxian.screening.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Coverage of a door-to-door campaign: every household once, however many knocks, on the
 * real database.
 */
class ScreeningCampaignTest extends IntegrationTest {

	@Autowired
	ScreeningCampaigns campaigns;

	@Autowired
	ScreeningVisits visits;

	TestData.Tree tree;

	CurrentUser worker;

	CurrentUser volunteer;

	TestData.NodeRef building1;

	TestData.NodeRef building2;

	/**
	 * Households: 1栋1单元 101, 102, 201; 2栋1单元 101, 102; and one in the sibling community
	 * A2.
	 */
	long b1r101;

	long b1r102;

	long b1r201;

	long b2r101;

	long b2r102;

	long a2Household;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.volunteer = this.data.user(Role.VOLUNTEER, this.tree.communityA1());
		TestData.NodeRef compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区");
		this.building1 = this.data.node(compound.id(), "BUILDING", null, "1栋");
		this.building2 = this.data.node(compound.id(), "BUILDING", null, "2栋");
		TestData.NodeRef unit1 = this.data.node(this.building1.id(), "UNIT", null, "1单元");
		TestData.NodeRef unit2 = this.data.node(this.building2.id(), "UNIT", null, "1单元");
		this.b1r101 = household(unit1, "101");
		this.b1r102 = household(unit1, "102");
		this.b1r201 = household(unit1, "201");
		this.b2r101 = household(unit2, "101");
		this.b2r102 = household(unit2, "102");
		TestData.NodeRef a2Compound = this.data.node(this.tree.communityA2().id(), "COMPOUND", null, "福同小区");
		this.a2Household = household(a2Compound, "1");
	}

	long household(TestData.NodeRef node, String room) {
		return this.jdbc
			.sql("insert into household (node_id, room, address) values (:node, :room, :address) returning id")
			.param("node", node.id())
			.param("room", room)
			.param("address", node.name() + room)
			.query(Long.class)
			.single();
	}

	ScreeningCampaigns.Campaign campaign(CurrentUser user, TestData.NodeRef node) {
		return this.campaigns.create(user,
				new ScreeningCampaigns.NewCampaign("敲门行动第一轮", node.id(), LocalDate.now(), LocalDate.now().plusDays(3)));
	}

	ScreeningVisits.Recorded knock(CurrentUser user, long campaign, long household, String outcome) {
		return knock(user, campaign, household, outcome, UUID.randomUUID().toString());
	}

	ScreeningVisits.Recorded knock(CurrentUser user, long campaign, long household, String outcome, String key) {
		return this.visits.record(user, campaign, household, new ScreeningVisits.VisitReport(outcome, key, false, null,
				0, null, outcome.equals("AT_HOME"), null, List.of()));
	}

	@Test
	void aCampaignHasOneVisitPerHouseholdOfItsSubtree() {
		ScreeningCampaigns.Campaign campaign = campaign(this.worker, this.tree.communityA1());
		assertThat(campaign.households()).isEqualTo(5);
		ScreeningCampaigns.Progress progress = this.campaigns.progress(this.worker, campaign.id());
		assertThat(progress.total()).isEqualTo(new ScreeningCampaigns.Counts(5, 0, 0, 5, 0, 0, 0, 0));
		assertThat(progress.byBuilding()).extracting(ScreeningCampaigns.Line::name, l -> l.counts().households())
			.containsExactly(org.assertj.core.groups.Tuple.tuple("1栋", 3L),
					org.assertj.core.groups.Tuple.tuple("2栋", 2L));
		assertThat(this.visits.doors(this.volunteer, campaign.id(), false))
			.extracting(ScreeningVisits.Door::householdId)
			.containsExactlyInAnyOrder(this.b1r101, this.b1r102, this.b1r201, this.b2r101, this.b2r102);

		// A street-wide campaign holds both communities; each community worker sees their
		// own part.
		CurrentUser street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
		ScreeningCampaigns.Campaign wide = campaign(street, this.tree.streetA());
		assertThat(wide.households()).isEqualTo(6);
		assertThat(this.campaigns.progress(this.worker, wide.id()).total().households()).isEqualTo(5);
		assertThat(this.campaigns.list(this.volunteer)).extracting(ScreeningCampaigns.Campaign::id)
			.contains(campaign.id(), wide.id());
	}

	@Test
	void twoWorkersAtTheSameDoorCountItOnce() {
		long id = campaign(this.worker, this.tree.communityA1()).id();
		knock(this.worker, id, this.b1r101, "AT_HOME");
		ScreeningVisits.Recorded second = knock(this.volunteer, id, this.b1r101, "AT_HOME");
		assertThat(second.door().attempts()).isEqualTo(2);
		ScreeningCampaigns.Counts total = this.campaigns.progress(this.worker, id).total();
		assertThat(total.visited()).isEqualTo(1);
		assertThat(total.notVisited()).isEqualTo(4);
		assertThat(total.lettersSigned()).isEqualTo(1);
	}

	@Test
	void aRetriedSubmitIsOneAttempt() {
		long id = campaign(this.worker, this.tree.communityA1()).id();
		String key = UUID.randomUUID().toString();
		ScreeningVisits.Recorded first = knock(this.volunteer, id, this.b1r102, "NOBODY_HOME", key);
		ScreeningVisits.Recorded retry = knock(this.volunteer, id, this.b1r102, "NOBODY_HOME", key);
		assertThat(first.replayed()).isFalse();
		assertThat(retry.replayed()).isTrue();
		assertThat(retry.attemptId()).isEqualTo(first.attemptId());
		assertThat(retry.door().attempts()).isEqualTo(1);
		assertThat(this.jdbc.sql(
				"select count(*) from screening_attempt a join screening_visit v on v.id = a.visit_id where v.campaign_id = :c")
			.param("c", id)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void nobodyHomeIsToRevisitUntilSomeoneAnswersAndALaterEmptyKnockChangesNothing() {
		long id = campaign(this.worker, this.tree.communityA1()).id();
		knock(this.volunteer, id, this.b2r101, "NOBODY_HOME");
		ScreeningCampaigns.Counts afterFirst = this.campaigns.progress(this.worker, id).total();
		assertThat(afterFirst.nobodyHome()).isEqualTo(1);
		assertThat(afterFirst.visited()).isZero();
		assertThat(this.visits.doors(this.volunteer, id, false)
			.stream()
			.filter(d -> d.householdId() == this.b2r101)
			.findFirst()
			.orElseThrow()
			.needsVisit()).isTrue();

		knock(this.worker, id, this.b2r101, "AT_HOME");
		knock(this.volunteer, id, this.b2r101, "NOBODY_HOME");
		ScreeningCampaigns.Counts total = this.campaigns.progress(this.worker, id).total();
		assertThat(total.visited()).isEqualTo(1);
		assertThat(total.nobodyHome()).isZero();
		ScreeningVisits.Door door = this.visits.door(this.worker, id, this.b2r101);
		assertThat(door.outcome()).isEqualTo(ScreeningVisits.Outcome.AT_HOME);
		assertThat(door.attempts()).isEqualTo(3);
		assertThat(door.letterSigned()).isTrue();

		// The latest conclusive outcome wins: a refusal after an answer is what the door
		// is now.
		knock(this.volunteer, id, this.b2r101, "REFUSED");
		assertThat(this.visits.door(this.worker, id, this.b2r101).outcome()).isEqualTo(ScreeningVisits.Outcome.REFUSED);
		ScreeningCampaigns.Counts after = this.campaigns.progress(this.worker, id).total();
		assertThat(after.visited()).isEqualTo(1);
		assertThat(after.refused()).isEqualTo(1);
		assertThat(after.lettersSigned()).isEqualTo(1);
	}

	@Test
	void progressByBuildingAndByWorker() {
		long id = campaign(this.worker, this.tree.communityA1()).id();
		assertThat(this.campaigns.assign(this.worker, id, this.building1.id(), this.volunteer.accountId()))
			.isEqualTo(3);
		knock(this.volunteer, id, this.b1r101, "AT_HOME");
		knock(this.volunteer, id, this.b1r102, "NOBODY_HOME");
		knock(this.worker, id, this.b2r101, "REFUSED");
		ScreeningCampaigns.Progress progress = this.campaigns.progress(this.worker, id);
		assertThat(progress.byBuilding()).extracting(ScreeningCampaigns.Line::name, ScreeningCampaigns.Line::counts)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("1栋", new ScreeningCampaigns.Counts(3, 1, 1, 1, 0, 1, 0, 0)),
					org.assertj.core.groups.Tuple.tuple("2栋", new ScreeningCampaigns.Counts(2, 1, 0, 1, 1, 0, 0, 0)));
		var byWorker = progress.byWorker();
		var volunteerLine = byWorker.stream()
			.filter(w -> Long.valueOf(this.volunteer.accountId()).equals(w.accountId()))
			.findFirst()
			.orElseThrow();
		assertThat(volunteerLine.assigned().households()).isEqualTo(3);
		assertThat(volunteerLine.assigned().visited()).isEqualTo(1);
		assertThat(volunteerLine.concluded()).isEqualTo(1);
		var unassigned = byWorker.stream().filter(w -> w.accountId() == null).findFirst().orElseThrow();
		assertThat(unassigned.assigned().households()).isEqualTo(2);
		var workerLine = byWorker.stream()
			.filter(w -> Long.valueOf(this.worker.accountId()).equals(w.accountId()))
			.findFirst()
			.orElseThrow();
		assertThat(workerLine.concluded()).isEqualTo(1);
		assertThat(this.visits.doors(this.volunteer, id, true)).extracting(ScreeningVisits.Door::householdId)
			.containsExactlyInAnyOrder(this.b1r101, this.b1r102, this.b1r201);
	}

	@Test
	void twoKnocksAtOnceOnTheSameDoorAreBothKeptAndCountedOnce() throws Exception {
		long id = campaign(this.worker, this.tree.communityA1()).id();
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (CurrentUser user : List.of(this.worker, this.volunteer)) {
				futures.add(pool.submit(() -> {
					start.await();
					return knock(user, id, this.b1r201, "AT_HOME");
				}));
			}
			start.countDown();
			for (Future<?> f : futures) {
				f.get();
			}
		}
		finally {
			pool.shutdown();
		}
		ScreeningVisits.Door door = this.visits.door(this.worker, id, this.b1r201);
		assertThat(door.attempts()).isEqualTo(2);
		assertThat(this.campaigns.progress(this.worker, id).total().visited()).isEqualTo(1);
	}

	@Test
	void newcomersFoundAtTheDoorAreKeptEncryptedAndOnlyWhenSomeoneAnswered() {
		long id = campaign(this.worker, this.tree.communityA1()).id();
		String idNumber = TestIdNumbers.next();
		var report = new ScreeningVisits.VisitReport("AT_HOME", UUID.randomUUID().toString(), true, "咳嗽", 1, null, true,
				null, List.of(new ScreeningVisits.Newcomer("新租客", null, idNumber, "13812345678"),
						new ScreeningVisits.Newcomer("", null, "", "")));
		this.visits.record(this.volunteer, id, this.b1r101, report);
		var stored = this.jdbc.sql("""
				select n.name, n.id_masked, n.phone_masked, n.id_cipher from screening_newcomer n
				join screening_visit v on v.id = n.visit_id where v.campaign_id = :c""")
			.param("c", id)
			.query((rs, i) -> new Object[] { rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4) })
			.list();
		assertThat(stored).hasSize(1);
		assertThat(stored.get(0)[0]).isEqualTo("新租客");
		assertThat(stored.get(0)[2]).isEqualTo("138****5678");
		assertThat(new String((byte[]) stored.get(0)[3], java.nio.charset.StandardCharsets.ISO_8859_1))
			.doesNotContain(idNumber);
		ScreeningCampaigns.Counts total = this.campaigns.progress(this.worker, id).total();
		assertThat(total.symptoms()).isEqualTo(1);
		assertThat(total.returnees()).isEqualTo(1);

		var nobody = new ScreeningVisits.VisitReport("NOBODY_HOME", UUID.randomUUID().toString(), null, null, 0, null,
				null, null, List.of(new ScreeningVisits.Newcomer("某人", null, null, null)));
		assertThatThrownBy(() -> this.visits.record(this.volunteer, id, this.b1r102, nobody))
			.isInstanceOf(InvalidInput.class);
		var badId = new ScreeningVisits.VisitReport("AT_HOME", UUID.randomUUID().toString(), null, null, 0, null, null,
				null, List.of(new ScreeningVisits.Newcomer("某人", null, "110101199001011234", null)));
		assertThatThrownBy(() -> this.visits.record(this.volunteer, id, this.b1r102, badId))
			.isInstanceOf(InvalidInput.class);
		assertThat(this.visits.door(this.worker, id, this.b1r102).attempts()).isZero();
	}

	@Test
	void nobodyReachesDoorsOutsideTheirJurisdiction() {
		CurrentUser sibling = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		CurrentUser siblingVolunteer = this.data.user(Role.VOLUNTEER, this.tree.communityA2());
		long id = campaign(this.worker, this.tree.communityA1()).id();
		assertThatThrownBy(() -> knock(sibling, id, this.b1r101, "AT_HOME")).isInstanceOf(AccessDeniedException.class);
		assertThatThrownBy(() -> this.campaigns.progress(siblingVolunteer, id))
			.isInstanceOf(AccessDeniedException.class);
		assertThat(this.campaigns.list(sibling)).extracting(ScreeningCampaigns.Campaign::id).doesNotContain(id);
		assertThatThrownBy(() -> campaign(sibling, this.tree.communityA1())).isInstanceOf(AccessDeniedException.class);
		assertThatThrownBy(() -> campaign(this.volunteer, this.tree.communityA1()))
			.isInstanceOf(AccessDeniedException.class);
		// Doors go only to people who visit households and can reach them.
		assertThatThrownBy(
				() -> this.campaigns.assign(this.worker, id, this.building1.id(), siblingVolunteer.accountId()))
			.isInstanceOf(InvalidInput.class);
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, this.tree.communityA1());
		assertThatThrownBy(() -> this.campaigns.assign(this.worker, id, this.building1.id(), guard.accountId()))
			.isInstanceOf(InvalidInput.class);
		assertThatThrownBy(() -> knock(guard, id, this.b1r101, "AT_HOME")).isInstanceOf(AccessDeniedException.class);
		// A street campaign door in A2 is out of reach for A1's volunteer though the
		// campaign is visible.
		CurrentUser street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
		long wide = campaign(street, this.tree.streetA()).id();
		assertThatThrownBy(() -> knock(this.volunteer, wide, this.a2Household, "AT_HOME"))
			.isInstanceOf(AccessDeniedException.class);
		assertThat(this.campaigns.progress(street, wide).total().visited()).isZero();
	}

	@Autowired
	org.fangxian.registry.ResidentService residents;

	@Autowired
	org.fangxian.security.PersonalDataProtection protection;

	@Test
	void theDoorShowsItsHouseholdsReturneeReportsAndAKnockConfirmsOne() {
		long id = campaign(this.worker, this.tree.communityA1()).id();
		String idNumber = TestIdNumbers.next();
		long unit = this.jdbc.sql("select node_id from household where id = :h")
			.param("h", this.b1r101)
			.query(Long.class)
			.single();
		long resident = this.residents.create(this.worker, new org.fangxian.registry.ResidentService.ResidentForm("王建国",
				null, idNumber, null, unit, "101", "HEAD", null, "RESIDENT", null));
		long report = this.jdbc
			.sql("""
					insert into returnee_report (community_id, path, name, id_type, id_cipher, id_hash, id_masked, phone_cipher,
					    phone_masked, address, origin_code, origin_name, arrival_date, transport, resident_id)
					values (:community, :path, '王建国', 'RESIDENT_ID', :cipher, :hash, 'masked', :cipher, '139****0000', '1栋101',
					    '230102000000', '黑龙江省 哈尔滨市 道里区', current_date - 2, 'CAR', :resident) returning id""")
			.param("community", this.tree.communityA1().id())
			.param("path", this.tree.communityA1().path())
			.param("cipher", this.protection.encrypt(idNumber))
			.param("hash", this.protection.lookupHash(UUID.randomUUID().toString()))
			.param("resident", resident)
			.query(Long.class)
			.single();

		assertThat(this.visits.reportsAtDoor(this.volunteer, id, this.b1r101)).singleElement().satisfies(atDoor -> {
			assertThat(atDoor.id()).isEqualTo(report);
			assertThat(atDoor.name()).isEqualTo("王*国");
			assertThat(atDoor.originName()).contains("道里区");
		});
		assertThat(this.visits.reportsAtDoor(this.volunteer, id, this.b1r102)).as("another door").isEmpty();

		this.visits.record(this.volunteer, id, this.b1r101, new ScreeningVisits.VisitReport("AT_HOME",
				UUID.randomUUID().toString(), false, null, 0, report, true, null, List.of()));
		assertThat(this.jdbc.sql(
				"select a.returnee_report_id from screening_attempt a join screening_visit v on v.id = a.visit_id where v.household_id = :h")
			.param("h", this.b1r101)
			.query(Long.class)
			.single()).isEqualTo(report);
		assertThat(this.visits.door(this.volunteer, id, this.b1r101).returnees()).as("a confirmed report is a returnee")
			.isEqualTo(1);
	}

}
