package org.fangxian.testing.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.IntegrationTest;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lab results: good rows kept and bad rows reported by number, the same file twice
 * changes nothing, a contradiction is refused, and a positive pooled tube is traced to
 * its people at once.
 */
class LabImportTest extends IntegrationTest {

	@Autowired
	Rounds rounds;

	@Autowired
	Tubes tubes;

	@Autowired
	LabResults results;

	@Autowired
	Followups followups;

	@Autowired
	ResidentService residents;

	TestingFixture f;

	CurrentUser sampler;

	Round round;

	String p;

	@BeforeEach
	void setUp() {
		this.f = new TestingFixture(this.data, this.residents);
		this.sampler = this.data.user(Role.SAMPLER, this.f.tree.communityA1());
		this.round = this.f.openRound(this.rounds, 10);
		this.p = "L" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
		// Tube 1: r1, r2 (closed) · tube 3: r8 (closed) · tube 4: r9, r5 (closed) · tube
		// 5: r3 (still open)
		sample("1", "r1", "r2");
		sample("3", "r8");
		sample("4", "r9", "r5");
		this.tubes.addSample(this.sampler, this.round.id(), this.p + "5", this.f.person("r3"));
	}

	private void sample(String tube, String... people) {
		for (String person : people) {
			this.tubes.addSample(this.sampler, this.round.id(), this.p + tube, this.f.person(person));
		}
		this.tubes.close(this.sampler, this.round.id(), this.p + tube);
	}

	private LabResults.Report importCsv(String csv) {
		return this.results.importFile(this.f.worker, "lab.csv", csv.getBytes(StandardCharsets.UTF_8));
	}

	private String labFile() {
		return "试管条码,检测结果,检测时间\n" + this.p + "1,阴性,2022-04-12 08:30\n" + this.p + "3,无效,2022-04-12 08:31\n" + this.p
				+ "4,阳性,2022/4/12 8:32\n" + "NOSUCHTUBE01,阴性,2022-04-12 08:33\n" + this.p + "1,maybe,2022-04-12 08:34\n"
				+ this.p + "5,阴性,2022-04-12 08:35\n" + "x!,阴性,2022-04-12 08:36\n" + this.p + "4,阳性,yesterday\n";
	}

	@Test
	void keepsGoodRowsAndReportsBadOnesByRowNumber() {
		LabResults.Report report = importCsv(labFile());
		assertThat(report.accepted()).isEqualTo(3);
		assertThat(report.unchanged()).isZero();
		assertThat(report.rejected()).extracting(LabResults.Rejected::row, LabResults.Rejected::reason)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(5, "testing.import.unknownTube"),
					org.assertj.core.groups.Tuple.tuple(6, "testing.import.result"),
					org.assertj.core.groups.Tuple.tuple(7, "testing.import.tubeOpen"),
					org.assertj.core.groups.Tuple.tuple(8, "testing.import.barcode"),
					org.assertj.core.groups.Tuple.tuple(9, "testing.import.time"));
		assertThat(result("1")).isEqualTo("NEGATIVE");
		assertThat(result("3")).isEqualTo("INVALID");
		assertThat(result("4")).isEqualTo("POSITIVE");
		assertThat(result("5")).isNull();
		assertThat(state("r1")).isEqualTo("NEGATIVE");
		assertThat(state("r9")).isEqualTo("POSITIVE");
		assertThat(state("r5")).isEqualTo("POSITIVE");
		assertThat(state("r3")).isEqualTo("PENDING");
		assertThat(state("r8")).as("an invalid tube's swab counts for nothing").isEqualTo("NONE");
	}

	@Test
	void theSameFileTwiceChangesNothingTheSecondTime() {
		importCsv(labFile());
		long followups = count("select count(*) from testing_followup where round_id = " + this.round.id());
		LabResults.Report again = importCsv(labFile());
		assertThat(again.accepted()).isZero();
		assertThat(again.unchanged()).isEqualTo(3);
		assertThat(again.rejected()).hasSize(5);
		assertThat(again.positiveTubes()).as("already traced the first time").isEmpty();
		assertThat(count("select count(*) from testing_followup where round_id = " + this.round.id()))
			.isEqualTo(followups);
	}

	@Test
	void aContradictingResultIsRefusedNotOverwritten() {
		importCsv(labFile());
		LabResults.Report report = importCsv(
				"试管条码,结果,时间\n" + this.p + "1,阳性,2022-04-12 09:00\n" + this.p + "1,阳性,2022-04-12 09:00\n");
		assertThat(report.accepted()).isZero();
		assertThat(report.rejected()).extracting(LabResults.Rejected::row).containsExactly(2, 3);
		assertThat(report.rejected().get(0).reason()).isEqualTo("testing.import.contradicts");
		assertThat(result("1")).isEqualTo("NEGATIVE");
		// Within one file too: the first row wins, the contradicting one is reported.
		sample("6", "r10");
		LabResults.Report inFile = importCsv(
				this.p + "6,negative,\n" + this.p + "6,positive,\n" + this.p + "6,negative,\n");
		assertThat(inFile.accepted()).isEqualTo(1);
		assertThat(inFile.unchanged()).isEqualTo(1);
		assertThat(inFile.rejected()).extracting(LabResults.Rejected::row).containsExactly(2);
	}

	@Test
	void aPositivePooledTubeListsItsPeopleMarksThemAndAlertsTheCommunity() {
		LabResults.Report report = importCsv(labFile());
		assertThat(report.positiveTubes()).hasSize(1);
		LabResults.PositiveTube tube = report.positiveTubes().get(0);
		assertThat(tube.barcode()).isEqualTo(this.p + "4");
		assertThat(tube.people()).extracting(LabResults.TracedPerson::residentId)
			.containsExactlyInAnyOrder(this.f.id("r9"), this.f.id("r5"));
		assertThat(tube.people()).extracting(LabResults.TracedPerson::name).contains("孙*", "张*");

		assertThat(this.followups.open(this.f.worker)).filteredOn(x -> x.roundId() == this.round.id())
			.extracting(Followups.Followup::residentId, Followups.Followup::kind)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(this.f.id("r9"), "RETEST"),
					org.assertj.core.groups.Tuple.tuple(this.f.id("r5"), "RETEST"),
					org.assertj.core.groups.Tuple.tuple(this.f.id("r8"), "RESAMPLE"));
		CurrentUser neighbour = this.data.user(Role.COMMUNITY_WORKER, this.f.tree.communityA2());
		assertThat(this.followups.open(neighbour)).noneMatch(x -> x.roundId() == this.round.id());

		// The re-sample of the invalid tube's person is a new routine swab; the re-test
		// of a positive one is allowed.
		assertThat(this.tubes.addSample(this.sampler, this.round.id(), this.p + "7", this.f.person("r8")).count())
			.isEqualTo(1);
		Tubes.TubeView retest = this.tubes.addSample(this.sampler, this.round.id(), this.p + "8", this.f.person("r9"));
		assertThat(retest.people().get(0).retest()).isTrue();
		// Someone from a negative tube is not re-sampled.
		assertThatThrownBy(() -> this.tubes.addSample(this.sampler, this.round.id(), this.p + "8", this.f.person("r1")))
			.isInstanceOfSatisfying(InvalidInput.class,
					ex -> assertThat(ex.messageKey()).isEqualTo("testing.sample.already"));
	}

	@Test
	void readsExcelAndGbkFilesToo() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Workbook workbook = new Workbook(out, "lab", "1.0");
		Worksheet sheet = workbook.newWorksheet("结果");
		sheet.value(0, 0, "Tube barcode");
		sheet.value(0, 1, "Result");
		sheet.value(0, 2, "Time");
		sheet.value(1, 0, this.p + "1");
		sheet.value(1, 1, "negative");
		sheet.value(1, 2, java.time.LocalDateTime.of(2022, 4, 12, 8, 30));
		sheet.value(2, 0, this.p + "4");
		sheet.value(2, 1, "Positive");
		sheet.value(2, 2, "2022-04-12T08:31:00+08:00");
		workbook.finish();
		LabResults.Report report = this.results.importFile(this.f.worker, "lab.xlsx", out.toByteArray());
		assertThat(report.rejected()).isEmpty();
		assertThat(report.accepted()).isEqualTo(2);
		assertThat(result("4")).isEqualTo("POSITIVE");

		byte[] gbk = ("试管条码,结果,时间\n" + this.p + "3,阴性,2022-04-12 08:30\n").getBytes(Charset.forName("GB18030"));
		assertThat(this.results.importFile(this.f.worker, "lab.csv", gbk).accepted()).isEqualTo(1);
		assertThat(result("3")).isEqualTo("NEGATIVE");
	}

	@Test
	void tubesOfRoundsOutsideTheJurisdictionAreUnknown() {
		CurrentUser neighbour = this.data.user(Role.COMMUNITY_WORKER, this.f.tree.communityA2());
		LabResults.Report report = this.results.importFile(neighbour, "lab.csv",
				(this.p + "1,阴性,2022-04-12 08:30\n").getBytes(StandardCharsets.UTF_8));
		assertThat(report.rejected()).extracting(LabResults.Rejected::reason)
			.containsExactly("testing.import.unknownTube");
		assertThat(result("1")).isNull();
		assertThatThrownBy(() -> this.results.importFile(this.sampler, "lab.csv", new byte[] { 1 }))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	private String result(String tube) {
		return this.jdbc.sql("select result from tube where barcode = :b")
			.param("b", this.p + tube)
			.query((rs, n) -> rs.getString(1))
			.list()
			.get(0);
	}

	private String state(String person) {
		return this.jdbc.sql("select state from round_member where round_id = :r and resident_id = :p")
			.param("r", this.round.id())
			.param("p", this.f.id(person))
			.query(String.class)
			.single();
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

}
