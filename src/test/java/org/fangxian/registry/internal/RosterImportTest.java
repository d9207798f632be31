package org.fangxian.registry.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.MessyRosterFixture;
import org.fangxian.registry.Node;
import org.fangxian.registry.ResidentService;
import org.fangxian.registry.ResidentStatus;
import org.fangxian.registry.ResidentView;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The roster import against the messy fixture (see {@link MessyRosterFixture} for its
 * defects by row).
 */
class RosterImportTest extends IntegrationTest {

	@Autowired
	RosterImport rosterImport;

	@Autowired
	ResidentService residents;

	@Autowired
	RosterExport rosterExport;

	@Autowired
	org.springframework.context.MessageSource messages;

	TestData.Tree tree;

	CurrentUser worker;

	Node community;

	@BeforeEach
	void setUp() {
		this.data.forgetAllResidents();
		LocaleContextHolder.setLocale(Locale.SIMPLIFIED_CHINESE);
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.community = this.rosterImport.community(this.worker, this.tree.communityA1().code());
	}

	private ImportReport importFile(String resource, boolean dryRun) throws IOException {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			return this.rosterImport.run(this.worker, this.community, in, resource, Map.of(), dryRun);
		}
	}

	private long residentsInCommunity() {
		return this.jdbc.sql("select count(*) from resident where path like :p")
			.param("p", this.tree.communityA1().path() + "%")
			.query(Long.class)
			.single();
	}

	@Test
	void importsGoodRowsAndReportsBadOnesByExcelRowNumber() throws IOException {
		ImportReport report = importFile(MessyRosterFixture.XLSX, false);

		assertThat(report.total()).isEqualTo(25);
		assertThat(report.rejected()).extracting(ImportReport.RejectedRow::row).containsExactly(13, 14, 16, 25, 27);
		assertThat(report.rejected()).extracting(ImportReport.RejectedRow::field)
			.containsExactly("idNumber", "idNumber", "name", "idNumber", "phone");
		// The reason is led by its column's label (PageMessages.labelled), as the page
		// shows it.
		assertThat(report.rejected().get(0).reason()).startsWith("证件号码: ").contains("校验位");
		assertThat(report.rejected().get(1).reason()).contains("今天之后");
		assertThat(report.rejected().get(3).reason()).contains("文本");
		assertThat(report.accepted()).isEqualTo(18);
		assertThat(report.updated()).isZero();
		assertThat(report.unchanged()).isZero();
		assertThat(residentsInCommunity()).isEqualTo(18);
	}

	@Test
	void mergesDuplicatesInsteadOfDoublingThem() throws IOException {
		ImportReport report = importFile(MessyRosterFixture.XLSX, false);

		assertThat(report.duplicates()).extracting(ImportReport.DuplicateRow::row, ImportReport.DuplicateRow::rule)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(17, RosterImport.SAME_ID_NUMBER),
					org.assertj.core.groups.Tuple.tuple(19, RosterImport.SAME_NAME_PHONE_HOUSEHOLD));
		// Row 17 repeats row 4's ID number (王建国); row 19 is row 18's 钱淑英 again without an
		// ID.
		long wang = idOfName("王建国");
		long qian = idOfName("钱淑英");
		assertThat(report.duplicates().get(0).matchedResidentId()).isEqualTo(wang);
		assertThat(report.duplicates().get(1).matchedResidentId()).isEqualTo(qian);
		assertThat(
				this.jdbc.sql("select count(*) from resident where name in ('钱淑英', '马文华')").query(Long.class).single())
			.isEqualTo(1);
	}

	@Test
	void reimportingTheSameFileChangesNothing() throws IOException {
		importFile(MessyRosterFixture.XLSX, false);
		List<Object> before = snapshot();
		long idsBefore = lastResidentId();

		ImportReport again = importFile(MessyRosterFixture.XLSX, false);

		assertThat(again.accepted()).isZero();
		assertThat(again.updated()).isZero();
		assertThat(again.unchanged()).isEqualTo(18);
		assertThat(again.rejectedCount()).isEqualTo(5);
		assertThat(snapshot()).isEqualTo(before);
		// Ids are reserved only for rows that may be new: not for an ID number stored.
		assertThat(lastResidentId() - idsBefore).isLessThan(again.unchanged());
	}

	private long lastResidentId() {
		return this.jdbc.sql("select last_value from resident_id_seq").query(Long.class).single();
	}

	@Test
	void csvInUtf8AndGbkImportLikeTheWorkbook() throws IOException {
		ImportReport utf8 = importFile("rosters/messy-roster.csv", false);
		assertThat(utf8.accepted()).isEqualTo(18);
		assertThat(utf8.rejected()).extracting(ImportReport.RejectedRow::row).containsExactly(13, 14, 16, 25, 27);

		ImportReport gbk = importFile("rosters/messy-roster-gbk.csv", false);
		assertThat(gbk.unchanged()).isEqualTo(18);
		assertThat(gbk.accepted()).isZero();
	}

	@Test
	void normalisesWhatCommunitiesType() throws IOException {
		importFile(MessyRosterFixture.XLSX, false);

		// Full-width space dropped, 15-digit ID upgraded, landline accepted, 2号楼/1单元/602室
		// unified.
		assertThat(idOfName("王磊")).isPositive();
		var zhou = this.residents.search(this.worker, null, "230102195006122425", null, 5).residents();
		assertThat(zhou).extracting(ResidentView::name).containsExactly("周玉珍");
		assertThat(zhou.get(0).idNumber()).isEqualTo("2301**********2425");
		var deng = this.residents.search(this.worker, null, "邓强", null, 5).residents().get(0);
		var lin = this.residents.search(this.worker, null, "林芳", null, 5).residents().get(0);
		assertThat(deng.householdId()).isNotNull().isEqualTo(lin.householdId());
		assertThat(deng.address()).isEqualTo("共乐新苑2栋1单元602室");
		var zhao = this.residents.search(this.worker, null, "赵德福", null, 5).residents().get(0);
		assertThat(zhao.tags()).containsExactly("ELDERLY_ALONE", "DISABLED");
		var he = this.residents.search(this.worker, null, "何军", null, 5).residents().get(0);
		assertThat(he.status()).isEqualTo(ResidentStatus.MOVED_OUT);
	}

	@Test
	void dryRunWritesNothing() throws IOException {
		ImportReport preview = importFile(MessyRosterFixture.XLSX, true);

		assertThat(preview.accepted()).isEqualTo(18);
		assertThat(preview.dryRun()).isTrue();
		assertThat(residentsInCommunity()).isZero();
		assertThat(this.jdbc.sql("select count(*) from division_node where path like :p and kind = 'COMPOUND'")
			.param("p", this.tree.communityA1().path() + "%")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aFailureHalfwayLeavesNothingBehind() {
		// 5,000 good rows, then the upload breaks off: the first chunks were already
		// written inside the transaction.
		StringBuilder csv = new StringBuilder("姓名,身份证号码,小区,楼栋,单元,门牌号\n");
		for (int i = 0; i < 5000; i++) {
			csv.append("居民")
				.append(i)
				.append(',')
				.append(validId(i))
				.append(",断线小区,1,1,")
				.append(100 + i % 50)
				.append('\n');
		}
		byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
		InputStream breaking = breakingOff(bytes);

		assertThatThrownBy(
				() -> this.rosterImport.run(this.worker, this.community, breaking, "big.csv", Map.of(), false))
			.isInstanceOf(InvalidInput.class);
		assertThat(residentsInCommunity()).isZero();
	}

	@Test
	void concurrentImportsOfOneFileCreateEachResidentOnce() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Callable<ImportReport> task = () -> importFile(MessyRosterFixture.XLSX, false);
			List<Future<ImportReport>> results = pool.invokeAll(List.of(task, task));
			int accepted = results.get(0).get().accepted() + results.get(1).get().accepted();
			int unchanged = results.get(0).get().unchanged() + results.get(1).get().unchanged();
			assertThat(accepted).isEqualTo(18);
			assertThat(unchanged).isEqualTo(18);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(residentsInCommunity()).isEqualTo(18);
	}

	@Test
	void rejectsACommunityOutsideTheJurisdiction() {
		assertThatThrownBy(() -> this.rosterImport.community(this.worker, this.tree.communityB1().code()))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		assertThatThrownBy(() -> this.rosterImport.community(this.worker, "12345")).isInstanceOf(InvalidInput.class);
	}

	@Test
	void anIdRegisteredInAnotherJurisdictionIsRejectedNotMoved() throws IOException {
		importFile(MessyRosterFixture.XLSX, false);
		CurrentUser other = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityB1());
		Node b1 = this.rosterImport.community(other, this.tree.communityB1().code());

		ImportReport report;
		try (InputStream in = new ClassPathResource(MessyRosterFixture.XLSX).getInputStream()) {
			report = this.rosterImport.run(other, b1, in, "messy.xlsx", Map.of(), false);
		}

		// Only row 19 goes in: without an ID number it cannot be told from a namesake
		// living there.
		assertThat(report.accepted()).isEqualTo(1);
		assertThat(report.rejected()).anySatisfy(r -> {
			assertThat(r.row()).isEqualTo(4);
			// Nothing about the other registration (not even that it is another
			// community's): ask the street.
			assertThat(r.reason()).contains("不能在此登记，请联系街道").doesNotContain(this.tree.communityA1().name());
		});
		assertThat(residentsInCommunity()).isEqualTo(18);
	}

	@Test
	void exportIsMaskedByDefaultAndRoundTripsWhenUnmasked() throws IOException {
		importFile(MessyRosterFixture.XLSX, false);

		List<RosterRow> masked = export(false);
		assertThat(masked).hasSize(18);
		assertThat(masked).extracting(r -> r.get(RosterField.ID_NUMBER))
			.filteredOn(id -> !id.isEmpty())
			.allMatch(id -> id.matches("\\d{4}\\*{10}[\\dX]{4}"));

		List<RosterRow> full = export(true);
		assertThat(full).extracting(r -> r.get(RosterField.ID_NUMBER))
			.contains("230102195006122425", "23010220120520048X");
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'RESIDENTS_EXPORTED' and actor = :a")
			.param("a", this.worker.username())
			.query(Long.class)
			.single()).isEqualTo(2);

		// The full export read back in is the same roster: nothing new, nothing changed.
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.rosterExport.write(this.worker, this.community, true, Locale.SIMPLIFIED_CHINESE, out);
		ImportReport back = this.rosterImport.run(this.worker, this.community,
				new ByteArrayInputStream(out.toByteArray()), "export.xlsx", Map.of(), false);
		assertThat(back.accepted()).isZero();
		assertThat(back.rejectedCount()).isZero();
		assertThat(back.unchanged() + back.duplicates().size()).isEqualTo(18);
	}

	@Test
	void streetAdministratorMayExportOnlyMasked() {
		CurrentUser street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
		assertThatThrownBy(() -> this.rosterExport.authorize(street, this.tree.communityA1().id(), true))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
		assertThat(this.rosterExport.authorize(street, this.tree.communityA1().id(), false).id())
			.isEqualTo(this.tree.communityA1().id());
	}

	/** Issue 13: "新小区X" (a typo) became a compound without anyone noticing. */
	@Test
	void newCompoundsAndBuildingsAreListedAndCreatedOnlyWhenConfirmed() {
		// An existing compound and building, as an earlier import made them.
		importCsv("姓名,身份证号码,小区,楼栋,单元,门牌号\n" + "张一," + validId(901) + ",福乐湾小区,1栋,1单元,101\n", false,
				RosterImport.ALL_NEW_PLACES);
		String file = "姓名,身份证号码,小区,楼栋,单元,门牌号\n" //
				+ "张二," + validId(902) + ",福乐湾小区,1号楼,1,102\n" // row 2: known places
				+ "张三," + validId(903) + ",新小区X,3栋,1单元,301\n" // row 3: a new compound
				+ "张四," + validId(904) + ",新小区X,4栋,1单元,401\n" // row 4: the same one
				+ "张五," + validId(905) + ",福乐湾小区,12栋,2单元,1201\n"; // row 5: a new building

		ImportReport preview = importCsv(file, true, label -> false);
		assertThat(preview.newPlaces()).containsExactly(new ImportReport.NewPlace("新小区X", "COMPOUND", 3, 2),
				new ImportReport.NewPlace("福乐湾小区 / 12栋", "BUILDING", 5, 1));
		assertThat(preview.rejectedCount()).isZero();
		assertThat(compounds()).containsExactly("福乐湾小区");

		ImportReport nothingConfirmed = importCsv(file, false, label -> false);
		assertThat(nothingConfirmed.rejected()).extracting(ImportReport.RejectedRow::row).containsExactly(3, 4, 5);
		assertThat(nothingConfirmed.rejected().get(0).reason()).contains("新小区X");
		assertThat(nothingConfirmed.accepted()).isEqualTo(1);
		assertThat(compounds()).containsExactly("福乐湾小区");
		assertThat(this.jdbc.sql("select count(*) from division_node where path like :p and name = '12栋'")
			.param("p", this.tree.communityA1().path() + "%")
			.query(Long.class)
			.single()).isZero();

		ImportReport buildingConfirmed = importCsv(file, false, "福乐湾小区 / 12栋"::equals);
		assertThat(buildingConfirmed.rejected()).extracting(ImportReport.RejectedRow::row).containsExactly(3, 4);
		assertThat(buildingConfirmed.newPlaces()).extracting(ImportReport.NewPlace::label)
			.containsExactly("福乐湾小区 / 12栋");
		assertThat(compounds()).containsExactly("福乐湾小区");
	}

	/** Issue 13: "约在第 0 行" is not a row number. */
	@Test
	void aFileThatCannotBeReadIsNotBlamedOnRowZero() {
		assertThatThrownBy(() -> this.rosterImport.run(this.worker, this.community,
				new ByteArrayInputStream("姓名,电话\n".getBytes(StandardCharsets.UTF_8)), "roster.xlsx", Map.of(), true))
			.isInstanceOfSatisfying(InvalidInput.class, ex -> {
				String text = this.messages.getMessage(ex.messageKey(), ex.args(), Locale.SIMPLIFIED_CHINESE);
				assertThat(text).doesNotContain("第 0 行").doesNotContain("{0}").contains("无法读取");
			});
	}

	private ImportReport importCsv(String csv, boolean dryRun, java.util.function.Predicate<String> confirmed) {
		return this.rosterImport.run(this.worker, this.community,
				new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "roster.csv", Map.of(), dryRun,
				confirmed, sheet -> {
				});
	}

	private List<String> compounds() {
		return this.jdbc.sql("select name from division_node where path like :p and kind = 'COMPOUND' order by name")
			.param("p", this.tree.communityA1().path() + "%")
			.query(String.class)
			.list();
	}

	private List<RosterRow> export(boolean unmasked) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.rosterExport.write(this.worker, this.community, unmasked, Locale.SIMPLIFIED_CHINESE, out);
		return new RosterReader().read(new ByteArrayInputStream(out.toByteArray()), "export.xlsx").rows();
	}

	private long idOfName(String name) {
		return this.jdbc.sql("select id from resident where name = :n and path like :p")
			.param("n", name)
			.param("p", this.tree.communityA1().path() + "%")
			.query(Long.class)
			.single();
	}

	private List<Object> snapshot() {
		return this.jdbc
			.sql("""
					select id, name, node_id, household_id, id_masked, phone_masked, relation, tags::text, status, note, version
					from resident where path like :p order by id""")
			.param("p", this.tree.communityA1().path() + "%")
			.query((rs, i) -> (Object) List.of(rs.getLong(1), rs.getString(2), rs.getLong(3),
					String.valueOf(rs.getObject(4)), String.valueOf(rs.getString(5)), String.valueOf(rs.getString(6)),
					rs.getString(7), rs.getString(8), rs.getString(9), String.valueOf(rs.getString(10)), rs.getInt(11)))
			.list();
	}

	/**
	 * An upload that breaks off after nine tenths of these bytes, read 4 kB at a time.
	 */
	static InputStream breakingOff(byte[] bytes) {
		return new FilterInputStream(new ByteArrayInputStream(bytes)) {
			private int read;

			@Override
			public int read(byte[] b, int off, int len) throws IOException {
				if (this.read > bytes.length * 9 / 10) {
					throw new IOException("connection reset");
				}
				int n = super.read(b, off, Math.min(len, 4096));
				this.read += Math.max(n, 0);
				return n;
			}
		};
	}

	/** A valid ID number for test row i (prefix 110105, born 1980-01-01, sequence i). */
	static String validId(int i) {
		String first17 = "11010519800101" + String.format("%03d", i % 1000);
		String unique = first17.substring(0, 8) + String.format("%02d", 1 + i / 1000 % 12) + first17.substring(10);
		return unique + org.fangxian.shared.IdNumber.checkChar(unique);
	}

}
