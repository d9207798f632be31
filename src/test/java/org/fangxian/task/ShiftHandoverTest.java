package org.fangxian.task;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.task.internal.ShiftHandover;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing dropped at shift end: as the clock passes the end of the volunteer's shift, a
 * supply request they hold goes to the volunteer on duty at the delivery post covering
 * the place; with nobody on duty it goes back to the queue and the post team's leader is
 * texted; a request taken after the shift ended stays.
 */
class ShiftHandoverTest extends IntegrationTest {

	static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

	@Autowired
	ShiftHandover handover;

	@Autowired
	PersonalDataProtection protection;

	TestData.Tree tree;

	long roster;

	long post;

	long shift;

	long compound;

	Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		TestData.NodeRef community = this.tree.communityA1();
		long leader = volunteer("刘红梅", "13900139401", null);
		long team = this.jdbc
			.sql("""
					insert into volunteer_team (node_id, path, name, kind, created_by) values (:n, :p, :name, 'SHOCK_TEAM', 0)
					returning id""")
			.param("n", community.id())
			.param("p", community.path())
			.param("name", "配送队" + UUID.randomUUID())
			.query(Long.class)
			.single();
		this.jdbc.sql("insert into volunteer_team_member (team_id, volunteer_id, role) values (:t, :v, 'LEADER')")
			.param("t", team)
			.param("v", leader)
			.update();
		this.post = this.jdbc.sql("""
				insert into duty_post (node_id, path, name, kind, team_id, qr_token, created_by)
				values (:n, :p, '配送点', 'DELIVERY', :t, :qr, 0) returning id""")
			.param("n", community.id())
			.param("p", community.path())
			.param("t", team)
			.param("qr", UUID.randomUUID().toString().substring(0, 30))
			.query(Long.class)
			.single();
		this.shift = this.jdbc.sql("""
				insert into duty_shift (post_id, seq, starts, ends, headcount) values (:p, 1, '08:00', '12:00', 2)
				returning id""").param("p", this.post).query(Long.class).single();
		this.roster = this.jdbc.sql("""
				insert into duty_roster (node_id, path, from_date, to_date, seconds, state, created_by)
				values (:n, :p, current_date - 1, current_date + 1, 1, 'DONE', 0) returning id""")
			.param("n", community.id())
			.param("p", community.path())
			.query(Long.class)
			.single();
	}

	long account() {
		String username = this.data.account(Role.VOLUNTEER, this.tree.communityA1());
		return this.jdbc.sql("select id from account where username = :u")
			.param("u", username)
			.query(Long.class)
			.single();
	}

	long volunteer(String name, String phone, Long account) {
		return this.jdbc.sql("""
				insert into volunteer (node_id, path, name, phone_cipher, phone_hash, phone_masked, account_id)
				values (:n, :p, :name, :cipher, :hash, '139****0000', :account) returning id""")
			.param("n", this.tree.communityA1().id())
			.param("p", this.tree.communityA1().path())
			.param("name", name)
			.param("cipher", this.protection.encrypt(phone))
			.param("hash", UUID.randomUUID().toString().getBytes())
			.param("account", account)
			.query(Long.class)
			.single();
	}

	void onDuty(long volunteer, Instant from, Instant to) {
		this.jdbc.sql("""
				insert into duty_assignment (roster_id, shift_id, post_id, day, starts_at, ends_at, volunteer_id)
				values (:r, :s, :p, current_date, :from, :to, :v)""")
			.param("r", this.roster)
			.param("s", this.shift)
			.param("p", this.post)
			.param("from", LocalDateTime.ofInstant(from, CHINA))
			.param("to", LocalDateTime.ofInstant(to, CHINA))
			.param("v", volunteer)
			.update();
	}

	/** A request at a compound of community A1, held by the account since {@code at}. */
	long heldRequest(long account, Instant at) {
		if (this.compound == 0) {
			this.compound = this.data.node(this.tree.communityA1().id(), "COMPOUND", null, "福乐湾小区").id();
		}
		long compound = this.compound;
		long task = this.jdbc.sql("""
				insert into task (type, node_id, path, subject_kind, subject_id, state, assignee_id, due_at, created_at,
				                  updated_at)
				select 'SUPPORT', id, path, 'RESIDENT', 1, 'BOUGHT', :a, :due, :at, :at from division_node where id = :n
				returning id""")
			.param("a", account)
			.param("due", Timestamp.from(at.plus(Duration.ofHours(6))))
			.param("at", Timestamp.from(at))
			.param("n", compound)
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into support_request (task_id, resident_id, kind, detail, filed_by)
				values (:t, 1, 'GROCERIES', '米面油', 'WORKER')""").param("t", task).update();
		return task;
	}

	Object column(String column, long task) {
		return this.jdbc.sql("select " + column + " from task where id = :id")
			.param("id", task)
			.query()
			.singleRow()
			.get(column);
	}

	@Test
	void aRequestHeldPastTheShiftGoesToWhoeverIsOnDutyAtTheDeliveryPost() {
		long first = account();
		long second = account();
		onDuty(volunteer("张志强", "13900139402", first), this.now.minus(Duration.ofHours(4)),
				this.now.plus(Duration.ofHours(1)));
		onDuty(volunteer("李明", "13900139403", second), this.now.minus(Duration.ofHours(1)),
				this.now.plus(Duration.ofHours(5)));
		long task = heldRequest(first, this.now.minus(Duration.ofHours(3)));
		// still on shift: nothing moves
		this.handover.handOver(this.now);
		assertThat(column("assignee_id", task)).isEqualTo(first);
		// the clock passes the end of the shift
		ShiftHandover.Handed handed = this.handover.handOver(this.now.plus(Duration.ofHours(2)));
		assertThat(handed.reassigned()).isPositive();
		assertThat(column("assignee_id", task)).isEqualTo(second);
		assertThat(column("state", task)).isEqualTo("BOUGHT");
		assertThat(this.jdbc.sql("select note from task_event where task_id = :t and kind = 'REASSIGNED'")
			.param("t", task)
			.query(String.class)
			.single()).contains("交接班");
		// and the new holder is on duty: the next run leaves it
		this.handover.handOver(this.now.plus(Duration.ofHours(3)));
		assertThat(column("assignee_id", task)).isEqualTo(second);
	}

	@Test
	void withNobodyOnDutyItGoesBackToTheQueueAndTheLeaderIsTexted() {
		long first = account();
		onDuty(volunteer("王强", "13900139404", first), this.now.minus(Duration.ofHours(5)),
				this.now.minus(Duration.ofHours(1)));
		long held = heldRequest(first, this.now.minus(Duration.ofHours(2)));
		// taken after the shift ended: the volunteer chose to, it stays theirs
		long takenLater = heldRequest(first, this.now.minus(Duration.ofMinutes(30)));
		this.handover.handOver(this.now);
		assertThat(column("state", held)).isEqualTo("NEW");
		assertThat(column("assignee_id", held)).isNull();
		assertThat(column("assignee_id", takenLater)).isEqualTo(first);
		String text = this.jdbc.sql(
				"select body from outbox_message where template = 'sms.task.handoverUnassigned' and dedupe_key like :k")
			.param("k", "task:handover:" + held + ":%")
			.query(String.class)
			.single();
		assertThat(text).contains("编号" + held).contains("退回待接单").doesNotContain("回复");
		assertThat(this.jdbc.sql("select phone_masked from outbox_message where dedupe_key like :k")
			.param("k", "task:handover:" + held + ":%")
			.query(String.class)
			.single()).startsWith("139").doesNotContain("13900139401");
		// a second run changes nothing more, texts nobody twice
		this.handover.handOver(this.now.plus(Duration.ofMinutes(5)));
		assertThat(this.jdbc.sql("select count(*) from outbox_message where dedupe_key like :k")
			.param("k", "task:handover:" + held + ":%")
			.query(Integer.class)
			.single()).isOne();
	}

}
