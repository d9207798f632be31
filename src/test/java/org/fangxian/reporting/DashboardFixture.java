package org.fangxian.reporting;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.UUID;

import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.internal.GateScans;
import org.fangxian.checkpoint.internal.GateVisits;
import org.fangxian.checkpoint.Passes;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.seal.Seals;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;

/**
 * A district written through the modules' own services: gates in A1, A2 and B1 with scans
 * and turn-backs on both sides of midnight in China Standard Time between {@link #day}
 * (yesterday in China) and the next day, a testing round over street A, a seal over A1
 * and a quarantine in A2.
 */
class DashboardFixture {

	final TestData.Tree tree;

	final CurrentUser hq;

	/** Yesterday in China Standard Time; {@link #next} is today there. */
	final LocalDate day;

	final LocalDate next;

	final long roundId;

	private final Random random = new Random();

	DashboardFixture(TestData data, JdbcClient jdbc, ResidentService residents, Checkpoints checkpoints, Passes passes,
			GateScans scans, GateVisits visits, Seals seals, Quarantines quarantines, String baseUrl) {
		this.tree = data.tree();
		this.hq = data.user(Role.HQ_ADMIN, this.tree.district());
		this.next = LocalDate.now(ChinaStandardTime.ZONE);
		this.day = this.next.minusDays(1);
		CurrentUser a1 = data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		CurrentUser a2 = data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		CurrentUser b1 = data.user(Role.COMMUNITY_WORKER, this.tree.communityB1());
		Checkpoint gA1 = checkpoints.create(a1,
				new Checkpoints.NewCheckpoint(this.tree.communityA1().id(), "东门", null, 1, null));
		Checkpoint gA2 = checkpoints.create(a2,
				new Checkpoints.NewCheckpoint(this.tree.communityA2().id(), "南门", null, 1, null));
		Checkpoint gB1 = checkpoints.create(b1,
				new Checkpoints.NewCheckpoint(this.tree.communityB1().id(), "北门", null, 1, null));
		long rA1 = resident(residents, a1, this.tree.communityA1().id(), "王建国");
		long rA1b = resident(residents, a1, this.tree.communityA1().id(), "王秀英");
		long rA2 = resident(residents, a2, this.tree.communityA2().id(), "李明");
		long rB1 = resident(residents, b1, this.tree.communityB1().id(), "赵丽");
		String qA1 = passes.current(a1, rA1).qr();
		String qA2 = passes.current(a2, rA2).qr();
		String qB1 = passes.current(b1, rB1).qr();

		Instant lastMinute = cst(this.day, 23, 59);
		Instant firstMinute = cst(this.next, 0, 1);
		// A1: in at 23:59 (day), a fever at 23:58 (day), no identity at noon (day), out
		// at 00:01 (next)
		scan(scans, a1, gA1, qA1, "IN", 36.4, lastMinute, "k1");
		scan(scans, a1, gA1, qA1, "IN", 36.4, lastMinute, "k1"); // the same upload again:
																	// one passage
		scan(scans, a1, gA1, qA1, "IN", 38.2, lastMinute.minusSeconds(60), null);
		scan(scans, a1, gA1, null, "IN", null, cst(this.day, 12, 0), null);
		scan(scans, a1, gA1, qA1, "OUT", 36.5, firstMinute, null);
		visits.register(a1, gA1.id(), new GateVisits.VisitRequest("TURN_BACK", null, null, null, null, null, "外来人员",
				UUID.randomUUID().toString(), lastMinute));
		// A2: in and out on the day, a visitor
		scan(scans, a2, gA2, qA2, "IN", 36.6, cst(this.day, 10, 0), null);
		scan(scans, a2, gA2, qA2, "OUT", null, lastMinute.plusSeconds(59), null);
		visits.register(a2, gA2.id(), new GateVisits.VisitRequest("VISITOR", "访客甲", null, "探亲", "3栋", null, null,
				UUID.randomUUID().toString(), cst(this.day, 9, 0)));
		// B1: everything on the next day
		scan(scans, b1, gB1, qB1, "IN", 36.6, firstMinute, null);
		scan(scans, b1, gB1, qB1, "OUT", 39.0, firstMinute.plusSeconds(60), null);
		visits.register(b1, gB1.id(), new GateVisits.VisitRequest("TURN_BACK", null, null, null, null, null, "无通行证",
				UUID.randomUUID().toString(), firstMinute));

		// The round is opened through testing's API, as a planner would.
		String streetAdmin = data.account(Role.STREET_ADMIN, this.tree.streetA());
		record Opened(long id) {
		}
		this.roundId = RestClient.create(baseUrl)
			.post()
			.uri("/api/v1/testing/rounds")
			.header("Authorization", "Bearer " + data.token(baseUrl, streetAdmin))
			.contentType(MediaType.APPLICATION_JSON)
			.body(java.util.Map.of("nodeId", this.tree.streetA().id(), "name", "街道全员", "poolSize", 10, "startsAt",
					ChinaStandardTime.startOf(this.day).plusSeconds(8 * 3600).toString(), "endsAt",
					Instant.now().plus(2, ChronoUnit.DAYS).toString()))
			.retrieve()
			.body(Opened.class)
			.id();
		// Sampling and results are testing's business (and tested there); its member
		// states are what counts here.
		jdbc.sql("update round_member set state = 'POSITIVE' where round_id = :r and resident_id = :p")
			.param("r", this.roundId)
			.param("p", rA1b)
			.update();
		jdbc.sql("update round_member set state = 'PENDING' where round_id = :r and resident_id = :p")
			.param("r", this.roundId)
			.param("p", rA2)
			.update();

		seals.seal(a1,
				new Seals.NewSeal(this.tree.communityA1().id(), "SEALED", "阳性病例", "指挥部令〔2022〕1号", null, null, 48));
		quarantines.start(a2, new Quarantines.NewQuarantine(rA2, null, "HOME", "密接", "住所", this.day.minusDays(2), 14,
				null, "1,7,14"));
	}

	static Instant cst(LocalDate day, int hour, int minute) {
		return day.atTime(LocalTime.of(hour, minute)).atZone(ChinaStandardTime.ZONE).toInstant();
	}

	private void scan(GateScans scans, CurrentUser user, Checkpoint gate, String qr, String direction,
			Double temperature, Instant at, String key) {
		scans.scan(user, gate.id(), new GateScans.ScanRequest(qr, null, direction, temperature, null,
				key == null ? UUID.randomUUID().toString() : key + "-" + gate.id(), at));
	}

	private long resident(ResidentService residents, CurrentUser user, long node, String name) {
		return residents.create(user,
				new ResidentService.ResidentForm(name, null, TestIdNumbers.next(),
						"138" + String.format("%08d", this.random.nextInt(100_000_000)), node,
						"10" + this.random.nextInt(10), "户主", null, "常住", null));
	}

}
