package org.fangxian.demo.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Direction;
import org.fangxian.checkpoint.GateRecording;
import org.fangxian.checkpoint.Passes;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.returnee.SelfReports;
import org.fangxian.screening.Campaigns;
import org.fangxian.seal.Seals;
import org.fangxian.security.AccountService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.security.SecretFiles;
import org.fangxian.shared.IdNumber;
import org.fangxian.testing.Sampling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Started with {@code --demo} after the demo district (registry's DemoDistrict, order 10)
 * has its people: makes 福乐湾社区 look lived in, each step through the owning module's API as
 * a worker, guard or sampler would, and opens one demo account per role, all with the one
 * demo password README.md states (never logged). Each step is done once: its record in
 * {@code demo_step} commits with it, so starting again adds nothing and a step cut
 * half-way is done again whole.
 */
@Component
@Order(20)
public class LivedInDemo implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(LivedInDemo.class);

	/**
	 * The demo accounts' shared password, documented in README.md; demo installations
	 * only (it opens accounts of every role).
	 */
	static final String PASSWORD = "Lantern-4817-Harbin";

	static final String COMMUNITY_CODE = "230102004001";

	/** The roles' accounts: the user name's suffix, the role, and where it sits. */
	enum Seat {

		HQ("hq", Role.HQ_ADMIN, "道里区指挥部（演示）", 2), STREET("street", Role.STREET_ADMIN, "共乐街道管理员（演示）", 1),
		TRACER("tracer", Role.TRACER, "共乐街道流调人员（演示）", 1), WORKER("worker", Role.COMMUNITY_WORKER, "福乐湾社区工作者（演示）", 0),
		GUARD("guard", Role.CHECKPOINT_GUARD, "福乐湾卡点值守（演示）", 0), SAMPLER("sampler", Role.SAMPLER, "共乐街道采样人员（演示）", 1),
		VOLUNTEER("volunteer", Role.VOLUNTEER, "福乐湾志愿者（演示）", 0);

		final String suffix;

		final Role role;

		final String displayName;

		/** 0: the community, 1: its street, 2: the district. */
		final int levelsUp;

		Seat(String suffix, Role role, String displayName, int levelsUp) {
			this.suffix = suffix;
			this.role = role;
			this.displayName = displayName;
			this.levelsUp = levelsUp;
		}

	}

	/** What a load did: the steps done now (empty when everything was there). */
	public record Summary(List<String> done) {
	}

	private final boolean enabled;

	private final AccountService accounts;

	private final DivisionTree tree;

	private final ResidentDirectory directory;

	private final Checkpoints checkpoints;

	private final GateRecording gate;

	private final Passes passes;

	private final Sampling sampling;

	private final Seals seals;

	private final Quarantines quarantines;

	private final SelfReports returnees;

	private final Campaigns campaigns;

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final SecretFiles secrets;

	LivedInDemo(@Value("${fangxian.demo:false}") boolean enabled, AccountService accounts, DivisionTree tree,
			ResidentDirectory directory, Checkpoints checkpoints, GateRecording gateRecording, Passes passes,
			Sampling sampling, Seals seals, Quarantines quarantines, SelfReports returnees, Campaigns campaigns,
			JdbcClient jdbc, TransactionTemplate tx, Clock clock, SecretFiles secrets) {
		this.secrets = secrets;
		this.enabled = enabled;
		this.accounts = accounts;
		this.tree = tree;
		this.directory = directory;
		this.checkpoints = checkpoints;
		this.gate = gateRecording;
		this.passes = passes;
		this.sampling = sampling;
		this.seals = seals;
		this.quarantines = quarantines;
		this.returnees = returnees;
		this.campaigns = campaigns;
		this.jdbc = jdbc;
		this.tx = tx;
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (!this.enabled && !args.containsOption("demo")) {
			return;
		}
		Optional<CurrentUser> admin = this.accounts.firstAdministrator();
		if (admin.isEmpty()) {
			log.warn("Lived-in demo skipped: no installation-wide administrator");
			return;
		}
		Node community;
		try {
			community = this.tree.nodeByCode(admin.get(), COMMUNITY_CODE);
		}
		catch (RuntimeException ex) {
			log.warn("Lived-in demo skipped: the demo district ({}) is not there", COMMUNITY_CODE);
			return;
		}
		Summary summary = load(admin.get(), community, "demo-");
		if (summary.done().contains("accounts")) {
			// The demo district wrote generated passwords here; they no longer open
			// anything.
			StringBuilder list = new StringBuilder("Demo accounts; every one uses the demo password in README.md\n");
			for (Seat seat : Seat.values()) {
				list.append(String.format("demo-%-10s %-17s %s%n", seat.suffix, seat.role, seat.displayName));
			}
			this.secrets.write("demo-accounts.txt", list.toString());
		}
		log.info("Lived-in demo: {} steps done now ({}); demo accounts demo-hq … demo-volunteer, password in README.md",
				summary.done().size(), String.join(", ", summary.done()));
	}

	/**
	 * Makes {@code community} lived in, as {@code admin} (who covers its district), with
	 * the demo accounts named {@code prefix + suffix}.
	 */
	public Summary load(CurrentUser admin, Node community, String prefix) {
		List<String> done = new ArrayList<>();
		Node street = this.tree.node(admin, community.parentId());
		Node district = this.tree.node(admin, street.parentId());
		Map<Seat, CurrentUser> people = new java.util.EnumMap<>(Seat.class);
		once(prefix, "accounts", done, () -> openAccounts(admin, List.of(community, street, district), prefix));
		for (Seat seat : Seat.values()) {
			people.put(seat, signedIn(admin, prefix + seat.suffix));
		}
		CurrentUser worker = people.get(Seat.WORKER);
		// People with a phone, in a stable order: the gate, the tubes and the quarantines
		// pick from them.
		List<ResidentDirectory.Contact> residents = this.directory.contactsWithin(community.path())
			.stream()
			.sorted(java.util.Comparator.comparingLong(ResidentDirectory.Contact::residentId))
			.toList();
		if (residents.size() < 40) {
			log.warn("Lived-in demo: {} has only {} residents with a phone; the demo needs 40", community.name(),
					residents.size());
			return new Summary(done);
		}
		Instant now = this.clock.instant();
		LocalDate today = LocalDate.now(this.clock);
		once(prefix, "gate", done, () -> gateDay(worker, people.get(Seat.GUARD), community, residents, now));
		once(prefix, "testing", done, () -> testingRound(worker, people.get(Seat.SAMPLER), community, residents, now));
		once(prefix, "seal", done, () -> sealUnit(worker, community, now));
		once(prefix, "quarantine", done, () -> quarantines(worker, residents, today));
		once(prefix, "returnee", done, () -> returneeReport(community, today));
		once(prefix, "screening", done, () -> doorToDoor(worker, community, today));
		return new Summary(done);
	}

	/** Runs {@code step} with its record, in one transaction, unless it was done. */
	private void once(String prefix, String step, List<String> done, Runnable work) {
		String name = prefix + step;
		Boolean ran = this.tx.execute(status -> {
			int claimed = this.jdbc.sql("insert into demo_step (name) values (:name) on conflict do nothing")
				.param("name", name)
				.update();
			if (claimed == 0) {
				return false;
			}
			work.run();
			return true;
		});
		if (Boolean.TRUE.equals(ran)) {
			done.add(step);
		}
	}

	/**
	 * One account per role with the demo password. Accounts the demo district opened
	 * before with generated passwords get the demo password instead (reset, then changed
	 * as their owner would).
	 */
	private void openAccounts(CurrentUser admin, List<Node> levels, String prefix) {
		Map<String, AccountService.AccountSummary> existing = this.accounts.list(admin)
			.stream()
			.collect(Collectors.toMap(a -> a.username().toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a));
		for (Seat seat : Seat.values()) {
			String username = prefix + seat.suffix;
			AccountService.AccountSummary account = existing.get(username);
			if (account == null) {
				this.accounts.create(admin, new AccountService.NewAccount(username, seat.displayName, PASSWORD,
						seat.role, levels.get(seat.levelsUp).id()));
			}
			else {
				String temporary = this.accounts.resetPassword(admin, account.id());
				this.accounts.changeOwnPassword(user(account, levels), temporary, PASSWORD, "127.0.0.1");
			}
		}
	}

	private CurrentUser user(AccountService.AccountSummary account, List<Node> levels) {
		Node node = levels.stream()
			.filter(n -> account.nodeId() != null && n.id() == account.nodeId())
			.findFirst()
			.orElse(levels.get(0));
		return new CurrentUser(account.id(), account.username(), account.displayName(), account.role(), node.id(),
				node.path());
	}

	private CurrentUser signedIn(CurrentUser admin, String username) {
		AccountService.AccountSummary account = this.accounts.list(admin)
			.stream()
			.filter(a -> a.username().equalsIgnoreCase(username))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("demo account " + username + " missing"));
		Node node = this.tree.node(admin, account.nodeId());
		return new CurrentUser(account.id(), account.username(), account.displayName(), account.role(), node.id(),
				node.path());
	}

	/**
	 * 福乐湾小区东门 through the last twelve hours: residents going out and coming home, one
	 * with a fever (an alert), a visitor, a delivery and two turn-backs.
	 */
	private void gateDay(CurrentUser worker, CurrentUser guard, Node community, List<ResidentDirectory.Contact> people,
			Instant now) {
		Checkpoint gate = this.checkpoints.create(worker,
				new Checkpoints.NewCheckpoint(community.id(), "东门（演示）", "06:00-22:00", 2));
		int passages = 36;
		for (int i = 0; i < passages; i++) {
			ResidentDirectory.Contact person = people.get(i % 30);
			Instant at = now.minus(Duration.ofMinutes(20L * (passages - i)));
			String qr = this.passes.current(worker, person.residentId()).qr();
			this.gate.scan(guard, gate.id(), new GateRecording.Passage(qr, i % 3 == 2 ? Direction.IN : Direction.OUT,
					"36.4", UUID.randomUUID().toString(), at));
		}
		String feverish = this.passes.current(worker, people.get(31).residentId()).qr();
		this.gate.scan(guard, gate.id(), new GateRecording.Passage(feverish, Direction.IN, "38.2",
				UUID.randomUUID().toString(), now.minus(Duration.ofMinutes(35))));
		visit(guard, gate, "VISITOR", "王师傅", "探望父母", null, now.minus(Duration.ofHours(3)));
		visit(guard, gate, "DELIVERY", "美团骑手", "送外卖", null, now.minus(Duration.ofHours(2)));
		visit(guard, gate, "TURN_BACK", "外来人员", null, "无本小区出入证", now.minus(Duration.ofMinutes(90)));
		visit(guard, gate, "TURN_BACK", "外卖骑手", null, "健康码黄码", now.minus(Duration.ofMinutes(50)));
	}

	private void visit(CurrentUser guard, Checkpoint gate, String kind, String name, String purpose, String reason,
			Instant at) {
		this.gate.register(guard, gate.id(), new GateRecording.Visit(kind, name, purpose,
				purpose == null ? null : "3号楼", reason, UUID.randomUUID().toString(), at));
	}

	/**
	 * 第5轮全员核酸 over the community, part-way: three tubes of ten, one negative, one
	 * positive, one at the lab.
	 */
	private void testingRound(CurrentUser worker, CurrentUser sampler, Node community,
			List<ResidentDirectory.Contact> people, Instant now) {
		long round = this.sampling.openRound(worker, community.id(), "第5轮全员核酸（演示）", 10, now.minus(Duration.ofHours(3)),
				now.plus(Duration.ofHours(9)));
		String[] tubes = { barcode(community, 1), barcode(community, 2), barcode(community, 3) };
		for (int t = 0; t < tubes.length; t++) {
			for (int i = 0; i < 10; i++) {
				ResidentDirectory.Contact person = people.get(t * 10 + i);
				this.sampling.sample(sampler, round, tubes[t], this.passes.current(worker, person.residentId()).qr(),
						now.minus(Duration.ofMinutes(150L - t * 40 - i)));
			}
			this.sampling.closeTube(sampler, round, tubes[t]);
		}
		this.sampling.recordResults(worker, tubes[0] + ",阴性,\n" + tubes[1] + ",阳性,\n");
	}

	private static String barcode(Node community, int n) {
		return String.format("DEMO%08d%02d", community.id() % 100_000_000, n);
	}

	/** The first unit of the community, sealed for seven days from two hours ago. */
	private void sealUnit(CurrentUser worker, Node community, Instant now) {
		Node unit = this.tree.within(worker, community.id(), NodeKind.UNIT).get(0);
		Instant start = now.minus(Duration.ofHours(2));
		this.seals.seal(worker, new Seals.NewSeal(unit.id(), "SEALED", "阳性混管人员居住单元（演示）", "道指〔2026〕演示1号", start,
				start.plus(Duration.ofDays(7)), null));
	}

	/**
	 * Two home quarantines from three days ago: one checked in today (one fever), one who
	 * has not reported since day one.
	 */
	private void quarantines(CurrentUser worker, List<ResidentDirectory.Contact> people, LocalDate today) {
		long first = this.quarantines
			.start(worker,
					new Quarantines.NewQuarantine(people.get(35).residentId(), null, "HOME", "密切接触者（演示）", "本人住所",
							today.minusDays(3), 14, null, "1,4,7,14"))
			.get(0);
		this.quarantines.checkIn(worker, first, "37.9", "咳嗽", "电话随访");
		this.quarantines.checkIn(worker, first, "36.6", null, null);
		this.quarantines.recordTest(worker, first, 1, "NEGATIVE");
		this.quarantines.start(worker, new Quarantines.NewQuarantine(people.get(36).residentId(), null, "MONITORING",
				"中风险地区返回（演示）", "本人住所", today.minusDays(3), 7, null, "1,3,7"));
	}

	/** A returnee from 上海市浦东新区 who came home yesterday, to review. */
	private void returneeReport(Node community, LocalDate today) {
		String first17 = "31011519900307" + String.format("%03d", community.id() % 1000);
		this.returnees.file("陈思远", first17 + IdNumber.checkChar(first17), "13912340001", community.code(),
				"福乐湾小区 2栋 1单元 301", "310115", today.minusDays(1), "TRAIN", "G1234");
	}

	/** 敲门行动 over the community this week: fifteen doors knocked. */
	private void doorToDoor(CurrentUser worker, Node community, LocalDate today) {
		long campaign = this.campaigns.plan(worker, "敲门行动第2轮（演示）", community.id(), today.minusDays(1),
				today.plusDays(5));
		List<Long> doors = this.campaigns.doors(worker, campaign);
		for (int i = 0; i < Math.min(15, doors.size()); i++) {
			this.campaigns.knock(worker, campaign, doors.get(i),
					i < 10 ? "AT_HOME" : i < 13 ? "NOBODY_HOME" : "REFUSED");
		}
	}

}
