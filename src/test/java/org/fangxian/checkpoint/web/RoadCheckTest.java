package org.fangxian.checkpoint.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.fangxian.checkpoint.internal.RoadChecks;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.i18n.LocaleContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 一卡一码一核酸 at an inbound road checkpoint, judged against the risk-area register. */
class RoadCheckTest extends IntegrationTest {

	@Autowired
	Checkpoints checkpoints;

	@Autowired
	RoadChecks roadChecks;

	@Autowired
	RiskAreas riskAreas;

	CurrentUser hq;

	CurrentUser officer;

	Checkpoint highway;

	/**
	 * Risk codes in a fake province (98) so tests sharing the database cannot collide.
	 */
	String riskyStreet;

	String riskyDistrict;

	String calmDistrict;

	@BeforeEach
	void setUp() {
		TestData.Tree tree = this.data.tree();
		this.hq = this.data.user(Role.HQ_ADMIN, tree.district());
		this.officer = this.data.user(Role.CHECKPOINT_GUARD, tree.district());
		this.highway = this.checkpoints.create(this.hq,
				new Checkpoints.NewCheckpoint(tree.district().id(), "高速入口", "24h", 4, "ROAD"));
		String district = "98" + String.format("%04d", (int) (Math.random() * 10000));
		this.riskyDistrict = district + "000000";
		this.riskyStreet = district + "001000";
		this.calmDistrict = "98" + String.format("%04d", (int) (Math.random() * 10000)) + "000000";
		LocalDate today = LocalDate.now();
		this.riskAreas.add(this.hq,
				new RiskAreas.NewRiskArea(this.riskyDistrict, "中风险", today.minusDays(3), null, null));
		this.riskAreas.add(this.hq,
				new RiskAreas.NewRiskArea(this.riskyStreet, "HIGH", today.minusDays(1), null, "封控"));
	}

	private RoadChecks.CheckResult check(String origin, List<String> itinerary, String code, Instant test) {
		return this.roadChecks.check(this.officer, this.highway.id(),
				new RoadChecks.CheckRequest("苏A12345", origin, itinerary, code, test, 2, UUID.randomUUID().toString()));
	}

	@Test
	void passesAGreenCodeWithARecentTestFromALowRiskArea() {
		RoadChecks.CheckResult result = check(this.calmDistrict, List.of(), "GREEN",
				Instant.now().minus(Duration.ofHours(20)));
		assertThat(result.decision()).isEqualTo(RoadChecks.Decision.PASS);
		assertThat(result.rule()).isEqualTo("road.rule.pass");
	}

	@Test
	void eachRuleFiresWithItsReason() {
		Instant fresh = Instant.now().minus(Duration.ofHours(2));
		assertThat(check(this.calmDistrict, List.of(), "RED", fresh).decision()).isEqualTo(RoadChecks.Decision.DENY);
		RoadChecks.CheckResult risky = check(this.calmDistrict, List.of(this.riskyStreet.substring(0, 9)), "GREEN",
				fresh);
		assertThat(risky.decision()).isEqualTo(RoadChecks.Decision.DIVERT);
		assertThat(risky.detail()).isEqualTo(this.riskyStreet + " HIGH");
		assertThat(check(this.calmDistrict, List.of(), "YELLOW", fresh).rule()).isEqualTo("road.rule.yellowCode");
		RoadChecks.CheckResult stale = check(this.calmDistrict, List.of(), "GREEN",
				Instant.now().minus(Duration.ofHours(49)));
		assertThat(stale.decision()).isEqualTo(RoadChecks.Decision.RETEST);
		assertThat(stale.rule()).isEqualTo("road.rule.testExpired");
		assertThat(check(this.calmDistrict, List.of(), "GREEN", null).decision()).isEqualTo(RoadChecks.Decision.RETEST);
	}

	@Test
	void rulesAreConfigurablePerCheckpoint() {
		Instant sixtyHoursAgo = Instant.now().minus(Duration.ofHours(60));
		String mediumOnly = this.riskyDistrict.substring(0, 6) + "002000";
		assertThat(check(mediumOnly, List.of(), "GREEN", Instant.now()).decision())
			.isEqualTo(RoadChecks.Decision.DIVERT);

		this.roadChecks.setRules(this.hq, this.highway.id(), new RoadChecks.Rules(72, Set.of(RiskAreas.Level.HIGH)));

		assertThat(check(mediumOnly, List.of(), "GREEN", sixtyHoursAgo).decision()).isEqualTo(RoadChecks.Decision.PASS);
		assertThat(check(this.riskyStreet, List.of(), "GREEN", sixtyHoursAgo).decision())
			.isEqualTo(RoadChecks.Decision.DIVERT);
	}

	@Test
	void theRegisterKeepsHistory() {
		LocalDate today = LocalDate.now();
		assertThat(this.riskAreas.levelOn(this.riskyStreet, today)).isEqualTo(RiskAreas.Level.HIGH);
		assertThat(this.riskAreas.levelOn(this.riskyStreet, today.minusDays(2))).isEqualTo(RiskAreas.Level.MEDIUM);
		assertThat(this.riskAreas.levelOn(this.riskyStreet, today.minusDays(5))).isEqualTo(RiskAreas.Level.LOW);
		assertThat(this.riskAreas.levelOn(this.calmDistrict, today)).isEqualTo(RiskAreas.Level.LOW);
	}

	@Test
	void importsAListReportingBadRows() {
		String district = "97" + String.format("%04d", (int) (Math.random() * 10000));
		String csv = "code,level,from,to,note\n" + district + ",高风险,2022-04-01,,\n" + district
				+ ",extreme,2022-04-01,,\n" + "abc,HIGH,2022-04-01,,\n" + district + "001,低,2022-04-10,2022-04-01,\n";
		LocaleContextHolder.setLocale(Locale.SIMPLIFIED_CHINESE);
		RiskAreas.ImportReport report;
		try {
			report = this.riskAreas.importList(this.hq, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
		}
		finally {
			LocaleContextHolder.resetLocaleContext();
		}
		assertThat(report.accepted()).isEqualTo(1);
		assertThat(report.rejected()).extracting(RiskAreas.ImportReport.Rejected::row).containsExactly(3, 4, 5);
		// Read by a person on the risk-area page: the field's label and a sentence, no
		// codes.
		assertThat(report.rejected().get(0).reason()).startsWith("风险等级: ").doesNotContain("risk.");
		assertThat(report.rejected().get(1).reason()).startsWith("区划代码: ").doesNotContain("node.");
		assertThat(report.rejected().get(2).reason()).startsWith("结束日期: ").doesNotContain("risk.");
		assertThat(this.riskAreas.levelOn(district + "001002", LocalDate.of(2022, 5, 1)))
			.isEqualTo(RiskAreas.Level.HIGH);
		assertThatThrownBy(() -> this.riskAreas.add(this.officer,
				new RiskAreas.NewRiskArea(district, "HIGH", LocalDate.now(), null, null)))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	@Test
	void badInputIsRefusedWithTheField() {
		assertThatThrownBy(() -> this.roadChecks.check(this.officer, this.highway.id(),
				new RoadChecks.CheckRequest("ABC", null, List.of(), "GREEN", null, 1, UUID.randomUUID().toString())))
			.isInstanceOf(InvalidInput.class)
			.satisfies(ex -> assertThat(((InvalidInput) ex).field()).isEqualTo("plate"));
		assertThatThrownBy(() -> check(this.calmDistrict, List.of(), "PURPLE", null))
			.satisfies(ex -> assertThat(((InvalidInput) ex).field()).isEqualTo("healthCode"));
		assertThatThrownBy(() -> check(this.calmDistrict, List.of("x1"), "GREEN", null))
			.satisfies(ex -> assertThat(((InvalidInput) ex).field()).isEqualTo("itinerary"));
		assertThatThrownBy(() -> check(this.calmDistrict, List.of(), "GREEN", Instant.now().plus(Duration.ofDays(1))))
			.satisfies(ex -> assertThat(((InvalidInput) ex).field()).isEqualTo("lastNegativeTest"));
	}

	@Test
	void aRetriedCheckIsRecordedOnceAndDailyStatsAddUp() throws Exception {
		String key = UUID.randomUUID().toString();
		RoadChecks.CheckRequest request = new RoadChecks.CheckRequest("浙B1234D", this.riskyStreet, List.of(), "GREEN",
				Instant.now(), 3, key);
		RoadChecks.CheckResult first = this.roadChecks.check(this.officer, this.highway.id(), request);
		RoadChecks.CheckResult again = this.roadChecks.check(this.officer, this.highway.id(), request);
		assertThat(again).isEqualTo(first);
		check(this.calmDistrict, List.of(), "GREEN", Instant.now());

		List<RoadChecks.DailyStats> stats = this.roadChecks.daily(this.officer, this.highway.id(),
				LocalDate.now().minusDays(1), LocalDate.now().plusDays(1));
		assertThat(stats).hasSize(1);
		assertThat(stats.get(0).vehicles()).isEqualTo(2);
		assertThat(stats.get(0).people()).isEqualTo(5);
		assertThat(stats.get(0).diverted()).isEqualTo(1);
		assertThat(stats.get(0).fromMediumOrHigh()).isEqualTo(1);

		ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
		this.roadChecks.exportDaily(this.officer, this.highway.id(), LocalDate.now(), LocalDate.now(), xlsx);
		try (var workbook = new org.dhatim.fastexcel.reader.ReadableWorkbook(
				new ByteArrayInputStream(xlsx.toByteArray()))) {
			var rows = workbook.getFirstSheet().read();
			assertThat(rows).hasSize(2);
			assertThat(rows.get(1).getCellText(1)).isEqualTo("2");
		}
	}

	@Test
	void onlyScannersInsideTheDistrictMayCheckAndOnlyManagersSetRules() {
		TestData.Tree elsewhere = this.data.tree();
		CurrentUser foreignGuard = this.data.user(Role.CHECKPOINT_GUARD, elsewhere.district());
		assertThatThrownBy(
				() -> this.roadChecks.check(foreignGuard, this.highway.id(),
						new RoadChecks.CheckRequest("苏A12345", null, List.of(), "GREEN", null, 1,
								UUID.randomUUID().toString())))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		assertThatThrownBy(
				() -> this.roadChecks.daily(foreignGuard, this.highway.id(), LocalDate.now(), LocalDate.now()))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		TestData.Tree tree = this.data.tree();
		CurrentUser sampler = this.data.user(Role.SAMPLER, tree.communityA1());
		assertThatThrownBy(() -> this.roadChecks.check(sampler, this.highway.id(),
				new RoadChecks.CheckRequest("苏A12345", null, List.of(), "GREEN", null, 1,
						UUID.randomUUID().toString())))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
		assertThatThrownBy(() -> this.roadChecks.setRules(this.officer, this.highway.id(),
				new RoadChecks.Rules(72, Set.of(RiskAreas.Level.HIGH))))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	@Test
	void gateCheckpointsDoNotTakeRoadChecks() {
		TestData.Tree tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		Checkpoint gate = this.checkpoints.create(worker,
				new Checkpoints.NewCheckpoint(tree.communityA1().id(), "北门", null, 1));
		assertThatThrownBy(() -> this.roadChecks.check(worker, gate.id(), new RoadChecks.CheckRequest("黑A12345", null,
				List.of(), "GREEN", null, 1, UUID.randomUUID().toString())))
			.isInstanceOf(InvalidInput.class);
	}

	@Autowired
	RoadCheckPages pages;

	@Test
	void placesAreTypedByNameAndMatchedAgainstTheOfficialList() {
		Instant fresh = Instant.now().minus(Duration.ofHours(2));
		RoadChecks.CheckResult result = check("哈尔滨", List.of("北京朝阳区", "长春市朝阳区", "南京"), "GREEN", fresh);
		assertThat(this.jdbc.sql("select origin_code, array_to_string(itinerary, ',') from road_check where id = :id")
			.param("id", result.checkId())
			.query((rs, i) -> rs.getString(1) + " " + rs.getString(2))
			.single()).isEqualTo("230100000000 110105000000,220104000000,320100000000");

		assertThatThrownBy(() -> check("朝阳区", List.of(), "GREEN", fresh)).isInstanceOf(InvalidInput.class)
			.satisfies(ex -> {
				InvalidInput invalid = (InvalidInput) ex;
				assertThat(invalid.field()).isEqualTo("origin");
				assertThat(invalid.messageKey()).isEqualTo("road.place.ambiguous");
				assertThat(String.valueOf(invalid.args()[1])).contains("北京朝阳区", "长春朝阳区");
			});
		assertThatThrownBy(() -> check(this.calmDistrict, List.of("火星基地"), "GREEN", fresh))
			.isInstanceOf(InvalidInput.class)
			.satisfies(ex -> {
				assertThat(((InvalidInput) ex).field()).isEqualTo("itinerary");
				assertThat(((InvalidInput) ex).messageKey()).isEqualTo("road.place.unknown");
			});
		// Codes are still understood, for devices that send them.
		assertThat(check("230102", List.of(), "GREEN", fresh).decision()).isEqualTo(RoadChecks.Decision.PASS);
	}

	@Test
	void theDecisionTextNamesThePlaceAndLevelNeverTheCode() {
		RoadChecks.CheckResult risky = new RoadChecks.CheckResult(1, RoadChecks.Decision.DIVERT, "road.rule.riskArea",
				"110105000000 HIGH");
		org.springframework.context.i18n.LocaleContextHolder.setLocale(java.util.Locale.SIMPLIFIED_CHINESE);
		String text;
		String stale;
		try {
			text = this.pages.resultText(risky);
			stale = this.pages
				.resultText(new RoadChecks.CheckResult(2, RoadChecks.Decision.RETEST, "road.rule.testExpired", "48h"));
		}
		finally {
			org.springframework.context.i18n.LocaleContextHolder.resetLocaleContext();
		}
		assertThat(text).contains("北京市 朝阳区", "高风险").doesNotContain("110105").doesNotContain("HIGH");
		assertThat(stale).contains("48 小时").doesNotContain("48h");
	}

}
