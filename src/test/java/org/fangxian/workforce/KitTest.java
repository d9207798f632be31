package org.fangxian.workforce;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.stock.internal.Stores;
import org.fangxian.workforce.WorkforceFixture.Answer;
import org.fangxian.workforce.internal.Attendance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protective kit per shift: issued at check-in from the nearest store up the tree, booked
 * in the stock ledger once per shift and item; a short store does not stop the check-in.
 */
class KitTest extends IntegrationTest {

	@Autowired
	Attendance attendance;

	@Autowired
	Stores stores;

	@Autowired
	Clock clock;

	TestData.Tree tree;

	WorkforceFixture api;

	CurrentUser street;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.api = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA1())));
		this.street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
	}

	long post(String kit) {
		Answer created = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"北门卡点\",\"kind\":\"checkpoint\",\"shifts\":[{\"start\":\"07:00\",\"end\":\"14:00\",\"headcount\":3}]"
				+ ",\"kit\":" + kit + "}");
		assertThat(created.status()).as("%s", created).isEqualTo(201);
		return created.body().get("id").asLong();
	}

	long volunteer(String name) {
		return this.jdbc
			.sql("""
					insert into volunteer (node_id, path, name, phone_hash) values (:node, :path, :name, :hash) returning id""")
			.param("node", this.tree.communityA1().id())
			.param("path", this.tree.communityA1().path())
			.param("name", name)
			.param("hash", java.util.UUID.randomUUID().toString().getBytes())
			.query(Long.class)
			.single();
	}

	/** A shift on now for the person at the post, in a finished roster. */
	long shiftNow(long post, long volunteer) {
		long roster = this.jdbc.sql("""
				insert into duty_roster (node_id, path, from_date, to_date, seconds, state, created_by)
				values (:node, :path, current_date, current_date, 1, 'DONE', 0) returning id""")
			.param("node", this.tree.communityA1().id())
			.param("path", this.tree.communityA1().path())
			.query(Long.class)
			.single();
		LocalDateTime now = LocalDateTime.now(this.clock);
		return this.jdbc.sql("""
				insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id)
				select :roster, s.id, s.post_id, :day, :starts, :ends, :volunteer
				from duty_shift s where s.post_id = :post returning id""")
			.param("roster", roster)
			.param("post", post)
			.param("day", now.toLocalDate())
			.param("starts", now.minusMinutes(10))
			.param("ends", now.plusHours(6))
			.param("volunteer", volunteer)
			.query(Long.class)
			.single();
	}

	int balance(long store, String item) {
		return this.stores.balances(this.street, store)
			.stream()
			.filter(b -> b.item().equals(item))
			.findFirst()
			.orElseThrow()
			.quantity();
	}

	@Test
	void checkInIssuesTheKitFromTheNearestStoreOnceAndGoesOnWhenShort() {
		long store = this.stores.create(this.street, new Stores.NewStore(this.tree.streetA().id(), "街道物资库", false))
			.id();
		this.stores.move(this.street, store, new Stores.NewMovement("N95口罩", 5, "区里调拨", null, null));
		this.stores.move(this.street, store, new Stores.NewMovement("防护服", 10, "区里调拨", null, null));
		long post = post("[{\"item\":\"N95口罩\",\"quantity\":2},{\"item\":\"防护服\",\"quantity\":1}]");
		long first = volunteer("刘志强");
		long second = volunteer("陈晓梅");
		long third = volunteer("赵建华");
		long firstShift = shiftNow(post, first);
		shiftNow(post, second);
		long thirdShift = shiftNow(post, third);

		assertThat(this.attendance.scan(first, post)).isEqualTo(Attendance.Outcome.CHECKED_IN);
		assertThat(balance(store, "N95口罩")).isEqualTo(3);
		assertThat(balance(store, "防护服")).isEqualTo(9);
		// Checking out issues nothing more.
		assertThat(this.attendance.scan(first, post)).isEqualTo(Attendance.Outcome.CHECKED_OUT);
		assertThat(balance(store, "N95口罩")).isEqualTo(3);
		assertThat(this.jdbc.sql("""
				select count(*) from duty_kit_issue where assignment_id = :a and outcome = 'ISSUED'""")
			.param("a", firstShift)
			.query(Long.class)
			.single()).isEqualTo(2);

		this.attendance.scan(second, post);
		assertThat(balance(store, "N95口罩")).isEqualTo(1);
		// The third finds the store short of masks: checked in all the same, the line
		// says
		// so, the ledger holds no overdraw.
		assertThat(this.attendance.scan(third, post)).isEqualTo(Attendance.Outcome.CHECKED_IN);
		assertThat(balance(store, "N95口罩")).isEqualTo(1);
		assertThat(balance(store, "防护服")).isEqualTo(7);
		assertThat(this.jdbc.sql("select outcome from duty_kit_issue where assignment_id = :a order by item")
			.param("a", thirdShift)
			.query(String.class)
			.list()).containsExactly("SHORT", "ISSUED");
		assertThat(this.jdbc.sql("select checked_in_at is not null from duty_assignment where id = :a")
			.param("a", thirdShift)
			.query(Boolean.class)
			.single()).isTrue();
		// The ledger names the person and the post.
		List<Stores.Movement> ledger = this.stores.ledger(this.street, store, 10);
		assertThat(ledger.get(0).reason()).startsWith("值班防护：北门卡点");
		assertThat(ledger).extracting(Stores.Movement::recipient).contains("刘志强", "陈晓梅", "赵建华");

		// Recorded again by a worker for the team leader: already issued lines stay, the
		// short one was recorded too.
		Answer again = this.api.postJson("/api/v1/duty/assignments/" + thirdShift + "/kit", "");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body()).isEmpty();
		assertThat(balance(store, "防护服")).isEqualTo(7);
	}

	@Test
	void aWorkerRecordsTheKitOfAShiftNobodyScanned() {
		long store = this.stores.create(this.street, new Stores.NewStore(this.tree.communityA1().id(), "社区库", false))
			.id();
		this.stores.move(this.street, store, new Stores.NewMovement("医用外科口罩", 10, "调拨", null, null));
		long post = post("[{\"item\":\"医用外科口罩\",\"quantity\":3}]");
		long shift = shiftNow(post, volunteer("孙丽"));
		Answer recorded = this.api.postJson("/api/v1/duty/assignments/" + shift + "/kit", "");
		assertThat(recorded.status()).isEqualTo(200);
		assertThat(recorded.body().get(0).get("outcome").asString()).isEqualTo("ISSUED");
		assertThat(balance(store, "医用外科口罩")).isEqualTo(7);
		// Another community's worker may not.
		WorkforceFixture other = new WorkforceFixture(baseUrl(),
				this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, this.tree.communityA2())));
		assertThat(other.postJson("/api/v1/duty/assignments/" + shift + "/kit", "").status()).isEqualTo(403);
	}

	@Test
	void aKitItemMustBeInTheStockCatalogue() {
		Answer bad = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"南门\",\"kind\":\"checkpoint\",\"shifts\":[{\"start\":\"07:00\",\"end\":\"14:00\",\"headcount\":1}]"
				+ ",\"kit\":[{\"item\":\"金钟罩\",\"quantity\":1}]}");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.body().get("code").asString()).isEqualTo("workforce.kit.item");
		Answer zero = this.api.postJson("/api/v1/posts", "{\"nodeId\":" + this.tree.communityA1().id()
				+ ",\"name\":\"南门\",\"kind\":\"checkpoint\",\"shifts\":[{\"start\":\"07:00\",\"end\":\"14:00\",\"headcount\":1}]"
				+ ",\"kit\":[{\"item\":\"N95口罩\",\"quantity\":0}]}");
		assertThat(zero.status()).isEqualTo(400);
		assertThat(zero.body().get("code").asString()).isEqualTo("workforce.kit.quantity");
	}

}
