package org.fangxian.testing.internal;

import org.fangxian.IntegrationTest;
import org.fangxian.checkpoint.Passes;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sampler's rules for pooled tubes, against the real database (and its constraints).
 */
class PooledSamplingTest extends IntegrationTest {

	@Autowired
	Rounds rounds;

	@Autowired
	Tubes tubes;

	@Autowired
	ResidentService residents;

	@Autowired
	Passes passes;

	TestingFixture f;

	CurrentUser sampler;

	Round round;

	/** Barcodes are unique for ever: each test prints its own. */
	String p;

	@BeforeEach
	void setUp() {
		this.f = new TestingFixture(this.data, this.residents);
		this.sampler = this.data.user(Role.SAMPLER, this.f.tree.communityA1());
		this.round = this.f.openRound(this.rounds, 5);
		this.p = "T" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
	}

	private Tubes.TubeView add(String barcode, String person) {
		return this.tubes.addSample(this.sampler, this.round.id(), barcode, this.f.person(person));
	}

	private static void assertInvalid(Runnable call, String field, String key) {
		assertThatThrownBy(call::run).isInstanceOfSatisfying(InvalidInput.class, ex -> {
			assertThat(ex.messageKey()).isEqualTo(key);
			assertThat(ex.field()).isEqualTo(field);
		});
	}

	@Test
	void theRoundCoversPresentResidentsOfTheSubtreeOnly() {
		assertThat(this.round.memberCount()).isEqualTo(9);
		assertThat(this.jdbc
			.sql("select resident_id from round_member where round_id = :r and exempt is not null order by 1")
			.param("r", this.round.id())
			.query(Long.class)
			.list()).containsExactly(this.f.id("r4"), this.f.id("r6"));
		assertThat(this.jdbc.sql("select resident_id from round_member where round_id = :r and home_sampling")
			.param("r", this.round.id())
			.query(Long.class)
			.list()).containsExactly(this.f.id("r3"));
	}

	@Test
	void aTubeIsOpenedByItsFirstSwabAndTakesNoMoreThanThePoolSize() {
		Tubes.TubeView tube = add(this.p + "00001", "r1");
		assertThat(tube.status()).isEqualTo("OPEN");
		assertThat(tube.capacity()).isEqualTo(5);
		assertThat(tube.people()).extracting(Tubes.Person::name).containsExactly("王*");
		add(this.p.toLowerCase() + "00001", "r2");
		add(this.p + "00001", "r3");
		add(this.p + "00001", "r4");
		tube = add(this.p + "00001", "r5");
		assertThat(tube.count()).isEqualTo(5);
		assertThat(tube.people()).extracting(Tubes.Person::residentId)
			.containsExactly(this.f.id("r1"), this.f.id("r2"), this.f.id("r3"), this.f.id("r4"), this.f.id("r5"));
		assertThat(tube.people()).filteredOn(Tubes.Person::homeSampling)
			.extracting(Tubes.Person::residentId)
			.containsExactly(this.f.id("r3"));
		assertInvalid(() -> add(this.p + "00001", "r8"), "barcode", "testing.tube.full");
		assertThat(this.jdbc.sql("select count(*) from sample where tube_id = (select id from tube where barcode = :b)")
			.param("b", this.p + "00001")
			.query(Integer.class)
			.single()).isEqualTo(5);
		// The database holds the line too, whatever a future code path forgets.
		assertThatThrownBy(() -> this.jdbc.sql("update tube set sample_count = 6 where barcode = :b")
			.param("b", this.p + "00001")
			.update()).isInstanceOf(DataIntegrityViolationException.class);
	}

	@Test
	void theSameSwabScannedTwiceIsOneRecord() {
		add(this.p + "00002", "r1");
		Tubes.TubeView again = add(this.p + "00002", "r1");
		assertThat(again.count()).isEqualTo(1);
		assertThat(again.people()).hasSize(1);
		String qr = this.passes.current(this.f.worker, this.f.id("r1")).qr();
		Tubes.TubeView byCode = this.tubes.addSample(this.sampler, this.round.id(), this.p + "00002",
				new Tubes.SampleRequest(qr, null, null));
		assertThat(byCode.count()).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from sample where round_id = :r")
			.param("r", this.round.id())
			.query(Integer.class)
			.single()).isEqualTo(1);
	}

	@Test
	void thePersonalTestCodeIsThePassQr() {
		String qr = this.passes.current(this.f.worker, this.f.id("r9")).qr();
		Tubes.TubeView tube = this.tubes.addSample(this.sampler, this.round.id(), this.p + "00003",
				new Tubes.SampleRequest(qr, null, null));
		assertThat(tube.people()).extracting(Tubes.Person::residentId).containsExactly(this.f.id("r9"));
		assertInvalid(() -> this.tubes.addSample(this.sampler, this.round.id(), this.p + "00003",
				new Tubes.SampleRequest("FXP1.1.1.forged", null, null)), "qr", "gate.deny.passForged");
	}

	@Test
	void aPersonCannotBeInTwoOpenTubesOfTheRound() {
		add(this.p + "00004", "r1");
		assertInvalid(() -> add(this.p + "00005", "r1"), "idNumber", "testing.sample.inOpenTube");
		assertThat(this.jdbc.sql("select count(*) from tube where barcode = :b")
			.param("b", this.p + "00005")
			.query(Integer.class)
			.single()).as("the refused swab opened no tube").isZero();
		// Not only a check: the database refuses a second open sample written behind the
		// service's back.
		add(this.p + "00006", "r2");
		assertThatThrownBy(() -> this.jdbc.sql("""
				insert into sample (round_id, tube_id, resident_id, taken_by, retest)
				select :r, id, :resident, 0, true from tube where barcode = :b""")
			.param("b", this.p + "00006")
			.param("r", this.round.id())
			.param("resident", this.f.id("r1"))
			.update()).isInstanceOf(DuplicateKeyException.class);
	}

	@Test
	void aMistakenPersonIsTakenOutBeforeTheTubeIsClosed() {
		add(this.p + "00007", "r1");
		add(this.p + "00007", "r2");
		Tubes.TubeView after = this.tubes.removeSample(this.sampler, this.round.id(), this.p + "00007",
				this.f.id("r2"));
		assertThat(after.count()).isEqualTo(1);
		assertThat(after.people()).extracting(Tubes.Person::residentId).containsExactly(this.f.id("r1"));
		assertThat(state("r2")).isEqualTo("NONE");
		assertThat(state("r1")).isEqualTo("PENDING");
		assertThat(this.jdbc
			.sql("""
					select count(*) from audit_event where action = 'TESTING_SAMPLE_REMOVED' and target_id = :id and actor_id = :by""")
			.param("id", String.valueOf(this.f.id("r2")))
			.param("by", this.sampler.accountId())
			.query(Integer.class)
			.single()).as("un-scanning is on the audit trail").isEqualTo(1);
		// Free again: into another tube.
		assertThat(add(this.p + "00008", "r2").count()).isEqualTo(1);
		assertThatThrownBy(
				() -> this.tubes.removeSample(this.sampler, this.round.id(), this.p + "00007", this.f.id("r2")))
			.isInstanceOf(NotFound.class);
	}

	@Test
	void aClosedTubeTakesNobodyAndLosesNobody() {
		add(this.p + "00009", "r1");
		Tubes.TubeView closed = this.tubes.close(this.sampler, this.round.id(), this.p + "00009");
		assertThat(closed.status()).isEqualTo("CLOSED");
		assertThat(this.tubes.close(this.sampler, this.round.id(), this.p + "00009").status())
			.as("closing again is harmless")
			.isEqualTo("CLOSED");
		assertInvalid(() -> add(this.p + "00009", "r2"), "barcode", "testing.tube.closed");
		assertInvalid(() -> this.tubes.removeSample(this.sampler, this.round.id(), this.p + "00009", this.f.id("r1")),
				"barcode", "testing.tube.closed");
		// Sampled once in this round already: a second routine swab is refused.
		assertInvalid(() -> add(this.p + "00010", "r1"), "idNumber", "testing.sample.already");
	}

	@Test
	void badInputGetsAPreciseAnswer() {
		assertInvalid(() -> add("TB-1", "r1"), "barcode", "testing.tube.barcode.invalid");
		assertInvalid(() -> add(this.p + "00011", "r7"), "idNumber", "testing.sample.notInPopulation");
		assertInvalid(() -> add(this.p + "00011", "r11"), "idNumber", "testing.sample.notInPopulation");
		assertInvalid(() -> this.tubes.addSample(this.sampler, this.round.id(), this.p + "00011",
				TestingFixture.byId("110105194912310021")), "idNumber", "id.checksum");
		assertInvalid(() -> this.tubes.addSample(this.sampler, this.round.id(), this.p + "00011",
				new Tubes.SampleRequest(null, null, null)), "qr", "testing.sample.identity.required");
		assertThatThrownBy(() -> this.tubes.close(this.sampler, this.round.id(), this.p + "99999"))
			.isInstanceOf(NotFound.class);
		add(this.p + "00012", "r1");
		Round other = this.f.openRound(this.rounds, 10);
		assertInvalid(() -> this.tubes.addSample(this.sampler, other.id(), this.p + "00012", this.f.person("r2")),
				"barcode", "testing.tube.otherRound");
		this.rounds.close(this.f.worker, other.id());
		assertInvalid(() -> this.tubes.addSample(this.sampler, other.id(), this.p + "00013", this.f.person("r2")),
				"roundId", "testing.round.closed");
	}

	@Test
	void aSamplerOfAnotherCommunityCannotTouchTheRound() {
		CurrentUser neighbour = this.data.user(Role.SAMPLER, this.f.tree.communityA2());
		assertThatThrownBy(
				() -> this.tubes.addSample(neighbour, this.round.id(), this.p + "00014", this.f.person("r1")))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, this.f.tree.communityA1());
		assertThatThrownBy(() -> this.tubes.addSample(guard, this.round.id(), this.p + "00014", this.f.person("r1")))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	private String state(String person) {
		return this.jdbc.sql("select state from round_member where round_id = :r and resident_id = :p")
			.param("r", this.round.id())
			.param("p", this.f.id(person))
			.query(String.class)
			.single();
	}

}
