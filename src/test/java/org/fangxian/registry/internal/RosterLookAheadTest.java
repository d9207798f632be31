package org.fangxian.registry.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.shared.web.PageMessages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A roster of several chunks into a registry that has people: each chunk's stored people
 * are looked up while the chunk before it is written, outside the import's transaction
 * ({@code RosterImport.LookAhead}). What the earlier chunks wrote is not visible there,
 * so this file makes them matter: a new person, a completed record and a moved person,
 * each listed again in a later chunk. The import must find what the look-up inside the
 * transaction finds.
 */
class RosterLookAheadTest extends IntegrationTest {

	static final int REGULAR = 5000;

	@Autowired
	RosterImport rosterImport;

	@Autowired
	DivisionNodes nodes;

	@Autowired
	Households households;

	@Autowired
	JdbcTemplate template;

	@Autowired
	PersonalDataProtection protection;

	@Autowired
	PageMessages messages;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	Clock clock;

	@Autowired
	PhoneTails phoneTails;

	TestData.Tree tree;

	CurrentUser worker;

	Node community;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.community = this.rosterImport.community(this.worker, this.tree.communityA1().id());
	}

	@Test
	void laterChunksFindWhatEarlierChunksWroteAsTheTransactionsOwnLookUpDoes() {
		Watched aheadRecords = new Watched(this.jdbc, this.template);
		Outcome ahead = run(importer(aheadRecords, true));
		Watched insideRecords = new Watched(this.jdbc, this.template);
		Outcome inside = run(importer(insideRecords, false));

		// Rows 2-4 (the first chunk): a new person, the person without an ID number
		// completed with one, a stored person moved to another room. Rows 5-5004: the
		// stored roster, row 4505 with a new phone and row 4805 (the moved person again,
		// third chunk). Rows 5005-5006 (third chunk): the new person's and the completed
		// person's ID numbers again.
		ImportReport report = ahead.report();
		assertThat(report.total()).isEqualTo(REGULAR + 5);
		assertThat(report.accepted()).isEqualTo(1);
		assertThat(report.updated()).isEqualTo(3);
		assertThat(report.unchanged()).isEqualTo(REGULAR - 2);
		assertThat(report.rejectedCount()).isZero();
		assertThat(report.duplicates()).extracting(d -> d.row() + " " + d.rule())
			.containsExactly("3 " + RosterImport.SAME_NAME_PHONE_HOUSEHOLD, "4805 " + RosterImport.SAME_ID_NUMBER,
					"5005 " + RosterImport.SAME_ID_NUMBER, "5006 " + RosterImport.SAME_ID_NUMBER);
		assertThat(ahead.stored()).hasSize(REGULAR + 2)
			.contains("居民4800 " + masked(4800) + " 大楼小区9栋1单元999室", "无证老人 " + masked(9999) + " 大楼小区9栋1单元901室",
					"新来的 " + masked(7000) + " 大楼小区9栋1单元902室");

		assertThat(inside.report()).isEqualTo(report);
		assertThat(inside.stored()).isEqualTo(ahead.stored());
		// The second and third chunks were looked up ahead; without it, all in the
		// import's thread.
		assertThat(aheadRecords.threads).contains("roster-look-ahead");
		assertThat(insideRecords.threads).isNotEmpty().doesNotContain("roster-look-ahead");
	}

	private RosterImport importer(ResidentRecords records, boolean lookAhead) {
		return new RosterImport(this.nodes, this.households, records, this.protection, this.messages, this.events,
				this.transactions, this.jdbc, this.clock, this.phoneTails, true, lookAhead);
	}

	/**
	 * Resident storage that notes on which threads people were looked up by ID number.
	 */
	static final class Watched extends ResidentRecords {

		final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

		Watched(JdbcClient jdbc, JdbcTemplate template) {
			super(jdbc, template);
		}

		@Override
		List<Stored> findByIdHashes(List<byte[]> hashes) {
			this.threads.add(Thread.currentThread().getName());
			return super.findByIdHashes(hashes);
		}

	}

	/** What a run leaves: the second import's report and everyone stored. */
	private record Outcome(ImportReport report, List<String> stored) {
	}

	/**
	 * From an empty registry: the stored roster, then the changed one through
	 * {@code importer}. Duplicates are compared by row and rule (resident ids differ
	 * between runs).
	 */
	private Outcome run(RosterImport importer) {
		this.data.forgetAllResidents();
		ImportReport first = importCsv(this.rosterImport, stored());
		assertThat(first.accepted()).isEqualTo(REGULAR + 1);
		ImportReport second = importCsv(importer, changed());
		ImportReport comparable = new ImportReport(second.total(), second.accepted(), second.updated(),
				second.unchanged(), second.rejectedCount(), second.rejected(),
				second.duplicates().stream().map(d -> new ImportReport.DuplicateRow(d.row(), null, d.rule())).toList(),
				second.dryRun(), second.newPlaces());
		List<String> people = this.jdbc.sql("""
				select name || ' ' || coalesce(id_masked, '-') || ' ' || coalesce(address, '-') from resident
				where path like :p order by 1""")
			.param("p", this.tree.communityA1().path() + "%")
			.query(String.class)
			.list();
		return new Outcome(comparable, people);
	}

	/** The roster as stored first: the regular rows and a person without an ID number. */
	private static String stored() {
		StringBuilder csv = new StringBuilder(header());
		for (int i = 0; i < REGULAR; i++) {
			csv.append(regular(i, phone(i), 1 + i / 500, "1" + String.format("%02d", i % 50)));
		}
		csv.append(line("无证老人", "", "13800000001", 9, "901"));
		return csv.toString();
	}

	private static String changed() {
		StringBuilder csv = new StringBuilder(header());
		csv.append(line("新来的", RosterImportTest.validId(7000), "13800000002", 9, "902"));
		csv.append(line("无证老人", RosterImportTest.validId(9999), "13800000001", 9, "901"));
		csv.append(regular(4800, phone(4800), 9, "999"));
		for (int i = 0; i < REGULAR; i++) {
			csv.append(
					regular(i, i == 4500 ? "13700004500" : phone(i), 1 + i / 500, "1" + String.format("%02d", i % 50)));
		}
		csv.append(line("新来的", RosterImportTest.validId(7000), "13800000002", 9, "902"));
		csv.append(line("无证老人", RosterImportTest.validId(9999), "13800000001", 9, "901"));
		return csv.toString();
	}

	private static String header() {
		return "姓名,身份证号码,手机号码,小区,楼栋,单元,门牌号\n";
	}

	private static String regular(int i, String phone, int building, String room) {
		return line("居民" + i, RosterImportTest.validId(i), phone, building, room);
	}

	private static String line(String name, String id, String phone, int building, String room) {
		return String.join(",", name, id, phone, "大楼小区", String.valueOf(building), "1", room) + "\n";
	}

	private static String phone(int i) {
		return String.format("139%04d%04d", i, i);
	}

	private static String masked(int i) {
		return org.fangxian.shared.IdNumber.of(RosterImportTest.validId(i)).masked();
	}

	private ImportReport importCsv(RosterImport importer, String csv) {
		return importer.run(this.worker, this.community, new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
				"roster.csv", Map.of(), false, RosterImport.ALL_NEW_PLACES, sheet -> {
				});
	}

}
