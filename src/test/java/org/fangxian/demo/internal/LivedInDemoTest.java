package org.fangxian.demo.internal;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.WebSession;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.AccountService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lived-in demo on a community of its own: every piece is there after one load (a
 * gate's day, a round part-way with a positive tube, a sealed unit, quarantines with
 * check-ins, a returnee's report, a door-to-door campaign, an account per role with the
 * demo password), and loading again adds nothing.
 */
class LivedInDemoTest extends IntegrationTest {

	@Autowired
	LivedInDemo demo;

	@Autowired
	ResidentService residents;

	@Autowired
	DivisionTree divisions;

	@Autowired
	AccountService accounts;

	@Test
	void everyPieceIsThereOnceAndTheAccountsOpenWithTheDemoPassword() {
		TestData.Tree tree = this.data.tree();
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, tree.district());
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		TestData.NodeRef compound = this.data.node(tree.communityA1().id(), "COMPOUND", null, "福乐湾小区");
		TestData.NodeRef building = this.data.node(compound.id(), "BUILDING", null, "2栋");
		Random random = new Random(7);
		for (int i = 0; i < 45; i++) {
			TestData.NodeRef unit = i == 0 || i == 25
					? this.data.node(building.id(), "UNIT", null, (i == 0 ? 1 : 2) + "单元") : null;
			if (unit != null) {
				this.units.put(i == 0 ? 1 : 2, unit);
			}
			String idNumber = TestIdNumbers.bornOn(LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20000)));
			this.residents.create(worker,
					new ResidentService.ResidentForm("居民" + i, null, idNumber,
							"139" + String.format("%08d", random.nextInt(100_000_000)),
							this.units.get(i < 25 ? 1 : 2).id(), String.valueOf(101 + i / 3), "其他", null, null, null));
		}
		Node community = this.divisions.node(hq, tree.communityA1().id());
		String prefix = "demo" + UUID.randomUUID().toString().substring(0, 6) + "-";

		// The demo district opened some accounts before, with generated passwords: they
		// get the demo password too.
		this.accounts.create(hq, new AccountService.NewAccount(prefix + "worker", "福乐湾社区工作者（演示）",
				AccountService.generatePassword(), Role.COMMUNITY_WORKER, tree.communityA1().id()));

		LivedInDemo.Summary first = this.demo.load(hq, community, prefix);
		assertThat(first.done()).containsExactly("accounts", "gate", "testing", "seal", "quarantine", "returnee",
				"screening");
		Map<String, Long> counts = counts(tree.communityA1().path(), prefix);
		assertThat(counts.get("accounts")).isEqualTo(7);
		assertThat(counts.get("scans")).isEqualTo(37);
		assertThat(counts.get("feverAlerts")).isEqualTo(1);
		assertThat(counts.get("turnBacks")).isEqualTo(2);
		assertThat(counts.get("samples")).isEqualTo(30);
		assertThat(counts.get("positiveTubes")).isEqualTo(1);
		assertThat(counts.get("tubesAtLab")).isEqualTo(1);
		assertThat(counts.get("seals")).isEqualTo(1);
		assertThat(counts.get("quarantines")).isEqualTo(2);
		assertThat(counts.get("checkIns")).isEqualTo(2);
		assertThat(counts.get("returnees")).isEqualTo(1);
		assertThat(counts.get("knocks")).isEqualTo(15);

		LivedInDemo.Summary second = this.demo.load(hq, community, prefix);
		assertThat(second.done()).isEmpty();
		assertThat(counts(tree.communityA1().path(), prefix)).isEqualTo(counts);

		// Each role signs in with the one documented password.
		for (String role : new String[] { "hq", "street", "tracer", "worker", "guard", "sampler", "volunteer" }) {
			WebSession session = WebSession.signIn(baseUrl(), prefix + role, LivedInDemo.PASSWORD);
			assertThat(session.get("/").statusCode()).as(role + " lands somewhere").isEqualTo(302);
		}
		assertThat(LivedInDemo.PASSWORD).as("the password README.md states").isEqualTo(readmePassword());
	}

	final Map<Integer, TestData.NodeRef> units = new LinkedHashMap<>();

	private static String readmePassword() {
		try {
			String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("demo password[^`]*`([^`]+)`").matcher(readme);
			return m.find() ? m.group(1) : null;
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private Map<String, Long> counts(String path, String prefix) {
		Map<String, Long> counts = new LinkedHashMap<>();
		counts.put("accounts", count("select count(*) from account where username like :prefix", path, prefix));
		counts.put("scans", count("""
				select count(*) from gate_scan s join checkpoint c on c.id = s.checkpoint_id where c.path like :p""",
				path, prefix));
		counts.put("feverAlerts", count("select count(*) from checkpoint_alert where path like :p", path, prefix));
		counts.put("turnBacks", count("""
				select count(*) from gate_visit v join checkpoint c on c.id = v.checkpoint_id
				where c.path like :p and v.kind = 'TURN_BACK'""", path, prefix));
		counts.put("samples", count("""
				select count(*) from sample s join testing_round r on r.id = s.round_id where r.path like :p""", path,
				prefix));
		counts.put("positiveTubes", count("""
				select count(*) from tube t join testing_round r on r.id = t.round_id
				where r.path like :p and t.result = 'POSITIVE'""", path, prefix));
		counts.put("tubesAtLab", count("""
				select count(*) from tube t join testing_round r on r.id = t.round_id
				where r.path like :p and t.result is null""", path, prefix));
		counts.put("seals",
				count("select count(*) from sealed_area where path like :p and ended_at is null", path, prefix));
		counts.put("quarantines", count("select count(*) from quarantine where path like :p", path, prefix));
		counts.put("checkIns", count("""
				select count(*) from quarantine_check_in c join quarantine q on q.id = c.quarantine_id
				where q.path like :p""", path, prefix));
		counts.put("returnees", count("select count(*) from returnee_report where path like :p", path, prefix));
		counts.put("knocks", count("""
				select count(*) from screening_attempt a join screening_visit v on v.id = a.visit_id
				where v.path like :p""", path, prefix));
		return counts;
	}

	private long count(String sql, String path, String prefix) {
		return this.jdbc.sql(sql).param("p", path + "%").param("prefix", prefix + "%").query(Long.class).single();
	}

}
