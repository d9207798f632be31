package org.fangxian.testing.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sites, their pace and the public queue board's wait estimate, against the real
 * database.
 */
class SiteQueueTest extends IntegrationTest {

	@Autowired
	Rounds rounds;

	@Autowired
	Tubes tubes;

	@Autowired
	Sites sites;

	@Autowired
	ResidentService residents;

	TestingFixture f;

	CurrentUser sampler;

	Round round;

	Sites.Site site;

	long ordinary;

	long green;

	String p;

	@BeforeEach
	void setUp() {
		this.f = new TestingFixture(this.data, this.residents);
		this.sampler = this.data.user(Role.SAMPLER, this.f.tree.communityA1());
		this.round = this.f.openRound(this.rounds, 10);
		this.p = "S" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
		this.site = this.sites.create(this.f.worker,
				new Sites.NewSite(this.f.tree.communityA1().id(), "福乐湾广场", "共乐街1号", "07:00-19:00"));
		this.sites.addPoint(this.f.worker, this.site.id(), new Sites.NewPoint("1号台", false, null, "张医生"));
		this.site = this.sites.addPoint(this.f.worker, this.site.id(), new Sites.NewPoint("绿色通道", true, null, null));
		this.ordinary = this.site.points()
			.stream()
			.filter(point -> !point.greenChannel())
			.findFirst()
			.orElseThrow()
			.id();
		this.green = this.site.points().stream().filter(Sites.Point::greenChannel).findFirst().orElseThrow().id();
	}

	private void swab(String barcode, String person, long point) {
		Tubes.SampleRequest byId = this.f.person(person);
		this.tubes.addSample(this.sampler, this.round.id(), barcode,
				new Tubes.SampleRequest(null, byId.idNumber(), point));
	}

	@Test
	void theGreenChannelIsListedFirstAndMarked() {
		assertThat(this.site.points()).extracting(Sites.Point::name).containsExactly("绿色通道", "1号台");
		assertThat(this.site.greenChannel()).isTrue();
	}

	@Test
	void thePaceCountsSwabsOfTheLastFifteenMinutesPerPoint() {
		swab(this.p + "01", "r1", this.ordinary);
		swab(this.p + "01", "r2", this.ordinary);
		swab(this.p + "01", "r5", this.ordinary);
		swab(this.p + "02", "r10", this.green);
		swab(this.p + "02", "r8", this.green);
		swab(this.p + "02", "r9", this.green);
		// One of the green channel's swabs was taken 20 minutes ago: no longer part of
		// the pace.
		this.jdbc.sql(
				"update sample set taken_at = now() - interval '20 minutes' where tube_id = (select id from tube where barcode = :b) and resident_id = :r")
			.param("b", this.p + "02")
			.param("r", this.f.id("r10"))
			.update();
		Sites.Site now = this.sites.get(this.sampler, this.site.id());
		assertThat(now.perMinute()).as("5 swabs in 15 minutes").isEqualTo(0.3);
		assertThat(now.points()).extracting(Sites.Point::perMinute).containsExactly(0.1, 0.2);
	}

	@Test
	void theWaitIsTheQueueDividedByThePace() {
		for (String person : List.of("r1", "r2", "r5", "r8", "r9", "r10")) {
			swab(this.p + "03", person, this.ordinary);
		}
		// 6 swabs in 15 minutes = 0.4 a minute; 30 waiting = 75 minutes.
		Sites.Site counted = this.sites.countQueue(this.sampler, this.site.id(), 30);
		assertThat(counted.waiting()).isEqualTo(30);
		assertThat(counted.countedAt()).isNotNull();
		assertThat(counted.waitMinutes()).isEqualTo(75);
		assertThat(this.sites.countQueue(this.sampler, this.site.id(), 0).waitMinutes()).as("nobody waiting").isZero();
		assertThat(this.sites.board(this.f.tree.communityA1().code())).singleElement().satisfies(onBoard -> {
			assertThat(onBoard.waiting()).isZero();
			assertThat(onBoard.waitMinutes()).isZero();
		});
	}

	@Test
	void theBoardSaysInPlainWordsWhenTheQueueWasCountedAndHowFastItMoves() throws Exception {
		for (String person : List.of("r1", "r2", "r5", "r8", "r9", "r10")) {
			swab(this.p + "03", person, this.ordinary);
		}
		this.sites.countQueue(this.sampler, this.site.id(), 30);
		HttpResponse<String> board = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/sites?c=" + this.f.tree.communityA1().code()))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(board.statusCode()).isEqualTo(200);
		assertThat(board.body()).containsPattern("\\d\\d:\\d\\d 更新排队人数，最近每分钟采样 0.4 人");
	}

	@Test
	void withoutSwabsOrWithAnOldCountTheWaitIsNotGuessed() {
		Sites.Site counted = this.sites.countQueue(this.sampler, this.site.id(), 12);
		assertThat(counted.waiting()).isEqualTo(12);
		assertThat(counted.waitMinutes()).as("no swabs yet: the wait cannot be told").isNull();
		this.jdbc.sql("update testing_site set queue_reported_at = now() - interval '31 minutes' where id = :id")
			.param("id", this.site.id())
			.update();
		Sites.Site stale = this.sites.get(this.sampler, this.site.id());
		assertThat(stale.waiting()).isNull();
		assertThat(stale.countedAt()).isNull();
		assertThat(stale.waitMinutes()).isNull();
	}

	@Test
	void aBadCountIsRefusedAndChangesNothing() {
		this.sites.countQueue(this.sampler, this.site.id(), 8);
		for (Integer bad : new Integer[] { null, -1, Sites.MAX_WAITING + 1 }) {
			assertThatThrownBy(() -> this.sites.countQueue(this.sampler, this.site.id(), bad))
				.isInstanceOfSatisfying(InvalidInput.class, ex -> {
					assertThat(ex.field()).isEqualTo("waiting");
					assertThat(ex.messageKey()).isEqualTo("testing.site.queue.invalid");
				});
		}
		assertThat(this.sites.get(this.sampler, this.site.id()).waiting()).isEqualTo(8);
	}

	@Test
	void onlyPeopleWorkingThereMayCountTheQueue() {
		CurrentUser neighbour = this.data.user(Role.SAMPLER, this.f.tree.communityA2());
		assertThatThrownBy(() -> this.sites.countQueue(neighbour, this.site.id(), 5))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, this.f.tree.communityA1());
		assertThatThrownBy(() -> this.sites.countQueue(guard, this.site.id(), 5))
			.isInstanceOf(AccessDeniedException.class);
		assertThat(this.sites.get(this.sampler, this.site.id()).waiting()).isNull();
		// Volunteers help at sites (they may sample): they may count.
		CurrentUser volunteer = this.data.user(Role.VOLUNTEER, this.f.tree.communityA1());
		assertThat(this.sites.countQueue(volunteer, this.site.id(), 5).waiting()).isEqualTo(5);
	}

	@Test
	void theBoardShowsTheSitesServingAPlace() {
		Sites.Site streetSite = this.sites.create(this.f.street,
				new Sites.NewSite(this.f.tree.streetA().id(), "街道体育馆", null, null));
		assertThat(this.sites.board(this.f.tree.communityA1().code())).extracting(Sites.Site::id)
			.containsExactlyInAnyOrder(this.site.id(), streetSite.id());
		assertThat(this.sites.board(this.f.tree.communityA2().code())).extracting(Sites.Site::id)
			.as("the sibling community sees the street's site, not A1's")
			.containsExactly(streetSite.id());
		assertThat(this.sites.board(this.f.tree.streetA().code())).extracting(Sites.Site::id)
			.containsExactlyInAnyOrder(this.site.id(), streetSite.id());
		assertThatThrownBy(() -> this.sites.board("999999999999")).isInstanceOf(NotFound.class);
	}

}
