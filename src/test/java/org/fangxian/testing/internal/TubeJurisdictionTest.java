package org.fangxian.testing.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.NotFound;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A round over a whole street does not widen a community's reach: a sampler of community
 * A2 sees of a tube only their own people (and the number of the others), and may not
 * take anyone out of, add to or close a tube holding community A1's people.
 */
class TubeJurisdictionTest extends IntegrationTest {

	@Autowired
	Rounds rounds;

	@Autowired
	Tubes tubes;

	@Autowired
	ResidentService residents;

	TestingFixture f;

	CurrentUser streetSampler;

	CurrentUser samplerA1;

	CurrentUser samplerA2;

	Round round;

	String p;

	@BeforeEach
	void setUp() {
		this.f = new TestingFixture(this.data, this.residents);
		this.streetSampler = this.data.user(Role.SAMPLER, this.f.tree.streetA());
		this.samplerA1 = this.data.user(Role.SAMPLER, this.f.tree.communityA1());
		this.samplerA2 = this.data.user(Role.SAMPLER, this.f.tree.communityA2());
		this.round = this.rounds.open(this.f.street, new Rounds.NewRound(this.f.tree.streetA().id(), null, "街道全员", 10,
				Instant.now().minus(1, ChronoUnit.HOURS), Instant.now().plus(1, ChronoUnit.DAYS), false, false));
		this.p = "J" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
	}

	@Test
	void aMixedTubeShowsTheOtherCommunitysPeopleAsANumberOnly() {
		this.tubes.addSample(this.streetSampler, this.round.id(), this.p + "1", this.f.person("r1"));
		this.tubes.addSample(this.streetSampler, this.round.id(), this.p + "1", this.f.person("r11"));

		Tubes.TubeView seenByA2 = this.tubes.get(this.samplerA2, this.round.id(), this.p + "1");
		assertThat(seenByA2.count()).isEqualTo(2);
		assertThat(seenByA2.othersCount()).isEqualTo(1);
		assertThat(seenByA2.people()).extracting(Tubes.Person::residentId).containsExactly(this.f.id("r11"));

		Tubes.TubeView seenByStreet = this.tubes.get(this.streetSampler, this.round.id(), this.p + "1");
		assertThat(seenByStreet.othersCount()).isZero();
		assertThat(seenByStreet.people()).hasSize(2);
	}

	@Test
	void anotherCommunityMayNotUnscanCloseOrAddToATubeHoldingForeignPeople() {
		this.tubes.addSample(this.samplerA1, this.round.id(), this.p + "2", this.f.person("r1"));
		this.tubes.addSample(this.samplerA1, this.round.id(), this.p + "2", this.f.person("r2"));

		// Read: a tube with none of the caller's people in it answers as if it did not
		// exist.
		assertThatThrownBy(() -> this.tubes.get(this.samplerA2, this.round.id(), this.p + "2"))
			.isInstanceOf(NotFound.class);
		assertThatThrownBy(
				() -> this.tubes.removeSample(this.samplerA2, this.round.id(), this.p + "2", this.f.id("r1")))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		assertThatThrownBy(() -> this.tubes.close(this.samplerA2, this.round.id(), this.p + "2"))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		assertThatThrownBy(
				() -> this.tubes.addSample(this.samplerA2, this.round.id(), this.p + "2", this.f.person("r11")))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);

		// Nothing changed: both still in the open tube, r11 in none.
		Tubes.TubeView tube = this.tubes.get(this.samplerA1, this.round.id(), this.p + "2");
		assertThat(tube.status()).isEqualTo("OPEN");
		assertThat(tube.people()).extracting(Tubes.Person::residentId)
			.containsExactly(this.f.id("r1"), this.f.id("r2"));
		assertThat(this.jdbc.sql("select count(*) from sample where round_id = :r and resident_id = :p")
			.param("r", this.round.id())
			.param("p", this.f.id("r11"))
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void aMixedTubeIsChangedOnlyByAnAccountCoveringEveryoneInIt() {
		this.tubes.addSample(this.streetSampler, this.round.id(), this.p + "3", this.f.person("r1"));
		this.tubes.addSample(this.streetSampler, this.round.id(), this.p + "3", this.f.person("r11"));

		assertThatThrownBy(
				() -> this.tubes.removeSample(this.samplerA2, this.round.id(), this.p + "3", this.f.id("r11")))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		assertThatThrownBy(() -> this.tubes.close(this.samplerA1, this.round.id(), this.p + "3"))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);

		Tubes.TubeView closed = this.tubes.close(this.streetSampler, this.round.id(), this.p + "3");
		assertThat(closed.status()).isEqualTo("CLOSED");
	}

	@Test
	void overTheApiAForeignTubeIsNotFoundAndItsChangesForbidden() {
		this.tubes.addSample(this.samplerA1, this.round.id(), this.p + "4", this.f.person("r1"));
		String username = this.jdbc.sql("select username from account where id = :id")
			.param("id", this.samplerA2.accountId())
			.query(String.class)
			.single();
		String token = this.data.token(baseUrl(), username);
		org.springframework.web.client.RestClient client = org.springframework.web.client.RestClient.builder()
			.baseUrl(baseUrl())
			.defaultHeader("Authorization", "Bearer " + token)
			.defaultStatusHandler(s -> true, (req, res) -> {
			})
			.build();
		String tube = "/api/v1/testing/rounds/" + this.round.id() + "/tubes/" + this.p + "4";
		assertThat(client.get().uri(tube).retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(404);
		assertThat(client.delete()
			.uri(tube + "/samples/" + this.f.id("r1"))
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value()).isEqualTo(403);
		assertThat(client.post().uri(tube + "/close").retrieve().toBodilessEntity().getStatusCode().value())
			.isEqualTo(403);
	}

	@Test
	void aSamplerCannotTellAnotherJurisdictionsResidentFromSomeoneUnregistered() {
		Round a1Round = this.f.openRound(this.rounds, 10);
		// Born on a day no fixture uses: registered nowhere.
		String unknown = "11010519491231777" + org.fangxian.shared.IdNumber.checkChar("11010519491231777");
		var foreign = org.assertj.core.api.Assertions.catchThrowableOfType(org.fangxian.shared.InvalidInput.class,
				() -> this.tubes.addSample(this.samplerA1, a1Round.id(), this.p + "5", this.f.person("r11")));
		var missing = org.assertj.core.api.Assertions.catchThrowableOfType(org.fangxian.shared.InvalidInput.class,
				() -> this.tubes.addSample(this.samplerA1, a1Round.id(), this.p + "5", TestingFixture.byId(unknown)));
		assertThat(foreign.messageKey()).isEqualTo("testing.sample.notInPopulation");
		assertThat(missing.messageKey()).isEqualTo(foreign.messageKey());
		assertThat(missing.field()).isEqualTo(foreign.field());
	}

}
