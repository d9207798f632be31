package org.fangxian.screening.internal;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

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
 * People found at doors and not in the registry: listed, registered into their household,
 * or dismissed.
 */
class NewcomersTest extends IntegrationTest {

	@Autowired
	ScreeningCampaigns campaigns;

	@Autowired
	ScreeningVisits visits;

	@Autowired
	Newcomers newcomers;

	TestData.Tree tree;

	CurrentUser worker;

	CurrentUser volunteer;

	TestData.NodeRef unit;

	long household;

	long campaign;

	String idNumber;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.volunteer = this.data.user(Role.VOLUNTEER, this.tree.communityA1());
		TestData.NodeRef compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区");
		TestData.NodeRef building = this.data.node(compound.id(), "BUILDING", null, "1栋");
		this.unit = this.data.node(building.id(), "UNIT", null, "1单元");
		this.household = this.jdbc
			.sql("insert into household (node_id, room, address) values (:node, '101', '福乐湾小区1栋1单元101') returning id")
			.param("node", this.unit.id())
			.query(Long.class)
			.single();
		this.campaign = this.campaigns
			.create(this.worker,
					new ScreeningCampaigns.NewCampaign("敲门行动第一轮", this.tree.communityA1().id(), LocalDate.now(),
							LocalDate.now().plusDays(3)))
			.id();
		this.idNumber = TestIdNumbers.next();
		this.visits.record(this.volunteer, this.campaign, this.household,
				new ScreeningVisits.VisitReport("AT_HOME", UUID.randomUUID().toString(), false, null, 0, null, true,
						null, List.of(new ScreeningVisits.Newcomer("新租客", null, this.idNumber, "13812345678"))));
	}

	private long onlyNewcomer() {
		List<Newcomers.Newcomer> pending = this.newcomers.pending(this.worker);
		assertThat(pending).hasSize(1);
		return pending.get(0).id();
	}

	@Test
	void theListShowsThemMaskedAndAViewIsAudited() {
		Newcomers.Newcomer listed = this.newcomers.pending(this.worker).get(0);
		assertThat(listed.name()).isEqualTo("新租客");
		assertThat(listed.phone()).isEqualTo("138****5678");
		assertThat(listed.idNumber()).doesNotContain(this.idNumber.substring(6, 14));
		assertThat(listed.room()).isEqualTo("101");
		assertThat(listed.householdNodeId()).isEqualTo(this.unit.id());
		Newcomers.Newcomer revealed = this.newcomers.reveal(this.worker, listed.id());
		assertThat(revealed.idNumber()).isEqualTo(this.idNumber);
		assertThat(revealed.phone()).isEqualTo("13812345678");
		assertThat(
				this.jdbc.sql("select count(*) from audit_event where action = 'NEWCOMER_REVEALED' and target_id = :id")
					.param("id", String.valueOf(listed.id()))
					.query(Integer.class)
					.single())
			.isEqualTo(1);
	}

	@Test
	void registeringMakesThemAResidentOfTheHouseholdAndTakesThemOffTheList() {
		long id = onlyNewcomer();
		long residentId = this.newcomers.register(this.worker, id, "TENANT", "RENTING");
		assertThat(this.jdbc.sql(
				"select r.name || ' ' || r.status || ' ' || h.room from resident r join household h on h.id = r.household_id where r.id = :id")
			.param("id", residentId)
			.query(String.class)
			.single()).isEqualTo("新租客 RENTING 101");
		assertThat(this.newcomers.pending(this.worker)).isEmpty();
		assertThat(this.jdbc.sql("select resident_id from screening_newcomer where id = :id")
			.param("id", id)
			.query(Long.class)
			.single()).isEqualTo(residentId);
		// Twice (a double tap): refused, and no second resident.
		assertThatThrownBy(() -> this.newcomers.register(this.worker, id, "TENANT", "RENTING"))
			.isInstanceOf(InvalidInput.class);
		assertThat(this.jdbc.sql("select count(*) from resident where name = '新租客' and household_id = :h")
			.param("h", this.household)
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aRefusedRegistrationLeavesThemOnTheList() {
		long id = onlyNewcomer();
		assertThatThrownBy(() -> this.newcomers.register(this.worker, id, "TENANT", "NO_SUCH_STATUS"))
			.isInstanceOf(InvalidInput.class);
		assertThat(this.newcomers.pending(this.worker)).extracting(Newcomers.Newcomer::id).containsExactly(id);
		assertThat(this.jdbc.sql("select count(*) from resident where household_id = :h")
			.param("h", this.household)
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void dismissingNeedsAReason() {
		long id = onlyNewcomer();
		assertThatThrownBy(() -> this.newcomers.handle(this.worker, id, null, " ")).isInstanceOfSatisfying(
				InvalidInput.class, ex -> assertThat(ex.messageKey()).isEqualTo("screening.newcomer.noteRequired"));
		this.newcomers.handle(this.worker, id, null, "探亲访客，已离开");
		assertThat(this.newcomers.pending(this.worker)).isEmpty();
		assertThat(this.jdbc.sql("select handled_note from screening_newcomer where id = :id")
			.param("id", id)
			.query(String.class)
			.single()).as("kept, full-width punctuation normalised as all typed text is").isEqualTo("探亲访客,已离开");
	}

	@Test
	void onlyTheCommunityItBelongsToSeesOrHandlesThem() {
		long id = onlyNewcomer();
		CurrentUser neighbour = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		assertThat(this.newcomers.pending(neighbour)).isEmpty();
		assertThatThrownBy(() -> this.newcomers.reveal(neighbour, id)).isInstanceOf(AccessDeniedException.class);
		assertThatThrownBy(() -> this.newcomers.handle(neighbour, id, null, "x"))
			.isInstanceOf(AccessDeniedException.class);
		assertThatThrownBy(() -> this.newcomers.pending(this.volunteer)).as("volunteers knock, they do not register")
			.isInstanceOf(AccessDeniedException.class);
		assertThat(this.newcomers.pending(this.worker)).hasSize(1);
	}

}
