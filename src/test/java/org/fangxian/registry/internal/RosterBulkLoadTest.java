package org.fangxian.registry.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.Node;
import org.fangxian.registry.ResidentService;
import org.fangxian.registry.ResidentView;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A large roster into an empty registry builds the costly indexes once after its rows
 * ({@link ResidentRecords#bulkLoadIfEmpty}); whatever happens, the indexes end as the
 * migrations made them, and the import finds what the row-by-row way finds. Whether an
 * import took that way shows in the indexes' identities: a rebuilt index is a new
 * relation.
 */
class RosterBulkLoadTest extends IntegrationTest {

	static final int ROWS = 3000;

	@Autowired
	RosterImport rosterImport;

	@Autowired
	ResidentService residents;

	@Autowired
	DataSource dataSource;

	TestData.Tree tree;

	CurrentUser worker;

	Node community;

	Map<String, Object> indexesBefore;

	@BeforeEach
	void setUp() {
		this.data.forgetAllResidents();
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		this.community = this.rosterImport.community(this.worker, this.tree.communityA1().id());
		this.indexesBefore = indexes();
	}

	@Test
	void aFirstLoadFindsEveryoneAndLeavesTheIndexesAsTheMigrationsMadeThem() {
		ImportReport first = importCsv(roster(), false);

		// Rows 2..3001 (two chunks): one repeats an earlier ID number, and a person
		// listed first without
		// one is completed when listed again with it.
		assertThat(first.total()).isEqualTo(ROWS);
		assertThat(first.accepted()).isEqualTo(ROWS - 2);
		assertThat(first.updated()).isEqualTo(1);
		assertThat(first.duplicates()).extracting(ImportReport.DuplicateRow::row).containsExactlyInAnyOrder(12, 2702);
		assertThat(residentsInCommunity()).isEqualTo(ROWS - 2);

		Map<String, Object> after = indexes();
		assertThat(definitions(after)).isEqualTo(definitions(this.indexesBefore));
		assertThat(after.get("resident_id_hash")).isNotEqualTo(this.indexesBefore.get("resident_id_hash"));
		assertThat(after.get("resident_search_keys")).isNotEqualTo(this.indexesBefore.get("resident_search_keys"));
		// the foreign keys were added back, and checked over every row
		assertThat(after.get("resident_node_place_fkey"))
			.isNotEqualTo(this.indexesBefore.get("resident_node_place_fkey"));
		assertThat(after.get("resident_household_id_fkey"))
			.isNotEqualTo(this.indexesBefore.get("resident_household_id_fkey"));
		assertThat(this.jdbc
			.sql("select bool_and(indisvalid and indisready) from pg_index where indrelid = 'resident'::regclass")
			.query(Boolean.class)
			.single()).isTrue();
		// Living residents per place, counted once at the end (the counting triggers
		// were off for the load and are on again): the same as counting them now, six
		// units of 499-500. The person completed in the second chunk moved out, so the
		// seventh unit, theirs, counts no one.
		assertThat(livingCounts())
			.isEqualTo(this.jdbc.sql("""
					select node_id, count(*)::int from resident where resident_lives_here(status)
					group by node_id""")
				.query((rs, i) -> Map.entry(rs.getLong(1), rs.getInt(2)))
				.list()
				.stream()
				.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)))
			.hasSize(6);
		assertThat(
				this.jdbc.sql("select bool_and(tgenabled = 'O') from pg_trigger where tgrelid = 'resident'::regclass")
					.query(Boolean.class)
					.single())
			.isTrue();

		// Found by ID number, by phone and by a fragment of the name, through the rebuilt
		// indexes.
		assertThat(search(RosterImportTest.validId(1234))).extracting(ResidentView::name).containsExactly("居民1234");
		assertThat(search("13912341234")).extracting(ResidentView::name).containsExactly("居民1234");
		assertThat(search("无证")).extracting(ResidentView::name).containsExactly("无证老人");
		assertThat(search(RosterImportTest.validId(9999))).extracting(ResidentView::name).containsExactly("无证老人");

		// The same file again finds everyone through the indexes, row by row.
		ImportReport again = importCsv(roster(), false);
		assertThat(again.accepted()).isZero();
		assertThat(again.updated()).isZero();
		assertThat(again.unchanged()).isEqualTo(ROWS - 2);
		assertThat(indexes()).isEqualTo(after);
	}

	@Test
	void aPreviewOrASmallFileLeavesTheIndexesAlone() {
		ImportReport preview = importCsv(roster(), true);
		assertThat(preview.accepted()).isEqualTo(ROWS - 2);
		assertThat(residentsInCommunity()).isZero();
		assertThat(indexes()).isEqualTo(this.indexesBefore);

		ImportReport small = importCsv(roster().lines().limit(100).reduce("", (a, b) -> a + b + "\n"), false);
		assertThat(small.accepted()).isEqualTo(98);
		assertThat(indexes()).isEqualTo(this.indexesBefore);
	}

	@Test
	void aLoadThatBreaksOffPutsTheIndexesBack() {
		byte[] bytes = roster().getBytes(StandardCharsets.UTF_8);
		InputStream breaking = RosterImportTest.breakingOff(bytes);

		assertThatThrownBy(
				() -> this.rosterImport.run(this.worker, this.community, breaking, "big.csv", Map.of(), false))
			.isInstanceOf(InvalidInput.class);
		assertThat(residentsInCommunity()).isZero();
		assertThat(indexes()).isEqualTo(this.indexesBefore);
	}

	@Test
	void aRegistryInUseElsewhereIsWrittenRowByRow() throws Exception {
		// Another transaction reads the table and stays open: the load may not take it
		// over, so after a second's wait the import goes the usual way.
		try (Connection reader = this.dataSource.getConnection(); Statement s = reader.createStatement()) {
			reader.setAutoCommit(false);
			s.execute("lock table resident in access share mode");

			ImportReport report = importCsv(roster(), false);

			assertThat(report.accepted()).isEqualTo(ROWS - 2);
			reader.rollback();
		}
		assertThat(indexes()).isEqualTo(this.indexesBefore);
		assertThat(search(RosterImportTest.validId(1234))).extracting(ResidentView::name).containsExactly("居民1234");
	}

	@Test
	void placesChangedElsewhereKeepTheLoadRowByRow() throws Exception {
		// Another transaction is adding a place: the load would add its keys back over
		// places that may still change, so after a second's wait it goes the usual way.
		try (Connection editor = this.dataSource.getConnection(); Statement s = editor.createStatement()) {
			editor.setAutoCommit(false);
			s.execute("lock table division_node in row exclusive mode");

			ImportReport report = importCsv(roster(), false);

			assertThat(report.accepted()).isEqualTo(ROWS - 2);
			editor.rollback();
		}
		assertThat(indexes()).isEqualTo(this.indexesBefore);
	}

	/**
	 * {@value #ROWS} rows; row 12 repeats row 7's ID number; row 502 has no ID number and
	 * row 2702, in the next chunk, is the same person (name, phone, room) with one, moved
	 * out since.
	 */
	private static String roster() {
		StringBuilder csv = new StringBuilder("姓名,身份证号码,手机号码,小区,楼栋,单元,门牌号,居住状态\n");
		for (int i = 0; i < ROWS; i++) {
			int row = i + 2;
			boolean withoutIdFirst = row == 502 || row == 2702;
			String id = row == 12 ? RosterImportTest.validId(5) : RosterImportTest.validId(i);
			if (withoutIdFirst) {
				id = row == 502 ? "" : RosterImportTest.validId(9999);
			}
			csv.append(withoutIdFirst ? "无证老人" : "居民" + i)
				.append(',')
				.append(id)
				.append(',')
				.append(withoutIdFirst ? "13800000001" : String.format("139%04d%04d", i, i))
				.append(",大楼小区,")
				.append(withoutIdFirst ? 9 : 1 + i / 500)
				.append(",1,")
				.append(withoutIdFirst ? "901" : "1" + String.format("%02d", i % 50))
				.append(',')
				.append(row == 2702 ? "迁出" : "")
				.append('\n');
		}
		return csv.toString();
	}

	private Map<Long, Integer> livingCounts() {
		return this.jdbc.sql("select node_id, living from resident_living_count where living > 0")
			.query((rs, i) -> Map.entry(rs.getLong(1), rs.getInt(2)))
			.list()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private ImportReport importCsv(String csv, boolean dryRun) {
		return this.rosterImport.run(this.worker, this.community,
				new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "roster.csv", Map.of(), dryRun,
				RosterImport.ALL_NEW_PLACES, sheet -> {
				});
	}

	private List<ResidentView> search(String query) {
		return this.residents.search(this.worker, null, query, null, 10).residents();
	}

	private long residentsInCommunity() {
		return this.jdbc.sql("select count(*) from resident where path like :p")
			.param("p", this.tree.communityA1().path() + "%")
			.query(Long.class)
			.single();
	}

	/**
	 * Each index and foreign key of resident: its definition, behind the identity of the
	 * relation or constraint that holds it.
	 */
	private Map<String, Object> indexes() {
		return this.jdbc
			.sql("""
					select c.relname, c.oid::text || ' ' || pg_get_indexdef(c.oid) as what
					from pg_index i join pg_class c on c.oid = i.indexrelid
					where i.indrelid = 'resident'::regclass
					union all
					select conname, oid::text || ' ' || pg_get_constraintdef(oid) || case when convalidated then '' else ' (not checked)' end
					from pg_constraint where conrelid = 'resident'::regclass and contype = 'f'""")
			.query((rs, n) -> Map.entry(rs.getString(1), (Object) rs.getString(2)))
			.list()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	private static List<String> definitions(Map<String, Object> indexes) {
		return indexes.values()
			.stream()
			.map(v -> ((String) v).substring(((String) v).indexOf(' ') + 1))
			.sorted()
			.toList();
	}

}
