package org.fangxian.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.internal.PhoneTails;
import org.fangxian.registry.internal.RosterImport;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Search by name, phone, ID number and address, scoped and paged; views and reveals
 * audited.
 */
class ResidentSearchTest extends IntegrationTest {

	@Autowired
	RosterImport rosterImport;

	@Autowired
	ResidentService residents;

	TestData.Tree tree;

	CurrentUser worker;

	@BeforeEach
	void setUp() throws IOException {
		this.data.forgetAllResidents();
		this.tree = this.data.tree();
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		Node community = this.rosterImport.community(this.worker, this.tree.communityA1().code());
		try (InputStream in = new ClassPathResource(MessyRosterFixture.XLSX).getInputStream()) {
			this.rosterImport.run(this.worker, community, in, "messy.xlsx", Map.of(), false);
		}
	}

	private java.util.List<String> names(String query) {
		return this.residents.search(this.worker, null, query, null, 50)
			.residents()
			.stream()
			.map(ResidentView::name)
			.toList();
	}

	@Test
	void findsByNameFragmentPhoneInAnyFormatIdNumberAndAddress() {
		assertThat(names("秀")).contains("李秀兰", "冯秀英");
		assertThat(names("+86 138-0451-0001")).containsExactly("王建国");
		assertThat(names("１３８０４５１０００２")).containsExactly("李秀兰");
		assertThat(names("23010220120520048x")).containsExactly("王小雨");
		assertThat(names("共乐新苑")).contains("许丽", "邓强");
		assertThat(names("没有这个人")).isEmpty();
	}

	@Test
	void findsPassportHoldersByExactNumber() {
		this.residents.create(this.worker, new ResidentService.ResidentForm("John Smith", "护照", "e 1234 5678", null,
				this.tree.communityA1().id(), "301", "租户", null, "租户", null));
		assertThat(names("E12345678")).containsExactly("John Smith");
		assertThat(names("e12345678")).containsExactly("John Smith");
		assertThat(names("E1234567")).isEmpty();
	}

	@Test
	void showsOnlyMaskedNumbersInResults() {
		ResidentView wang = this.residents.search(this.worker, null, "王建国", null, 5).residents().get(0);
		assertThat(wang.idNumber()).matches("2301\\*{10}\\d{3}[\\dX]");
		assertThat(wang.phone()).isEqualTo("138****0001");
		assertThat(wang.revealed()).isFalse();
	}

	@Test
	void storesIdNumbersEncrypted() {
		byte[] cipher = this.jdbc.sql("select id_cipher from resident where name = '王建国'").query(byte[].class).single();
		assertThat(new String(cipher, java.nio.charset.StandardCharsets.ISO_8859_1))
			.doesNotContain("230102195203150118");
		assertThat(this.jdbc.sql("select count(*) from resident where id_masked like '%195203150118%'")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void revealIsAllowedToCommunityWorkersAndAudited() {
		long id = this.residents.search(this.worker, null, "王建国", null, 5).residents().get(0).id();
		ResidentView full = this.residents.reveal(this.worker, id);
		assertThat(full.idNumber()).isEqualTo("230102195203150118");
		assertThat(full.phone()).isEqualTo("13804510001");
		assertThat(this.jdbc.sql(
				"select count(*) from audit_event where action = 'RESIDENT_REVEALED' and target_id = :id and actor = :a")
			.param("id", String.valueOf(id))
			.param("a", this.worker.username())
			.query(Long.class)
			.single()).isEqualTo(1);

		CurrentUser street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
		assertThatThrownBy(() -> this.residents.reveal(street, id))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	@Test
	void everyDetailViewIsAudited() {
		long id = this.residents.search(this.worker, null, "李秀兰", null, 5).residents().get(0).id();
		this.residents.view(this.worker, id);
		this.residents.view(this.worker, id);
		assertThat(
				this.jdbc.sql("select count(*) from audit_event where action = 'RESIDENT_VIEWED' and target_id = :id")
					.param("id", String.valueOf(id))
					.query(Long.class)
					.single())
			.isEqualTo(2);
	}

	@Test
	void seesNothingOutsideTheJurisdiction() {
		CurrentUser neighbour = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		assertThat(this.residents.search(neighbour, null, "王建国", null, 50).residents()).isEmpty();
		assertThat(this.residents.search(neighbour, null, null, null, 50).residents()).isEmpty();
		long id = this.residents.search(this.worker, null, "王建国", null, 5).residents().get(0).id();
		assertThatThrownBy(() -> this.residents.view(neighbour, id))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		assertThatThrownBy(() -> this.residents.search(neighbour, this.tree.communityA1().id(), null, null, 10))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
		CurrentUser street = this.data.user(Role.STREET_ADMIN, this.tree.streetA());
		assertThat(this.residents.search(street, null, "王建国", null, 50).residents()).hasSize(1);
	}

	@Test
	void pagesThroughEveryoneOnceWithKeysetPaging() {
		Set<Long> seen = new HashSet<>();
		Long after = null;
		int pages = 0;
		do {
			ResidentService.Page page = this.residents.search(this.worker, this.tree.communityA1().id(), null, after,
					5);
			page.residents().forEach(r -> assertThat(seen.add(r.id())).as("resident %s seen twice", r.id()).isTrue());
			after = page.nextAfter();
			pages++;
		}
		while (after != null && pages < 20);
		assertThat(seen).hasSize(18);
		assertThat(pages).isEqualTo(4);
	}

	/**
	 * A building's page by its place alone (the newest ids from the path index, then
	 * those rows) and with a filter (its rows sorted) page through the same residents,
	 * newest first, each once.
	 */
	@Test
	void pagesThroughABuildingNewestFirstWithAndWithoutAFilter() {
		long building = this.jdbc.sql("""
				select n.id from division_node n join resident r on r.path like n.path || '%'
				where n.kind = 'BUILDING' and n.path like :scope
				group by n.id order by count(*) desc, n.id limit 1""")
			.param("scope", this.tree.communityA1().path() + "%")
			.query(Long.class)
			.single();
		List<Long> expected = this.jdbc.sql(
				"select id from resident where path like (select path from division_node where id = :id) || '%' order by id desc")
			.param("id", building)
			.query(Long.class)
			.list();
		assertThat(expected).as("the fixture has a building with several residents").hasSizeGreaterThan(2);
		assertThat(pageThrough(building, ResidentService.Filters.NONE)).containsExactlyElementsOf(expected);
		List<Long> living = this.jdbc.sql(
				"select id from resident where path like (select path from division_node where id = :id) || '%' and status = 'RESIDENT' order by id desc")
			.param("id", building)
			.query(Long.class)
			.list();
		assertThat(pageThrough(building, new ResidentService.Filters("RESIDENT", null)))
			.containsExactlyElementsOf(living);
	}

	private List<Long> pageThrough(long node, ResidentService.Filters filters) {
		List<Long> ids = new java.util.ArrayList<>();
		Long after = null;
		int pages = 0;
		do {
			var page = this.residents.search(this.worker, node, null, filters, after, 2, false);
			page.residents().forEach(r -> ids.add(r.id()));
			after = page.nextAfter();
			pages++;
		}
		while (after != null && pages < 50);
		return ids;
	}

	/** Issue 13: workers ask for "尾号 1234". */
	@Test
	void findsAPhoneByItsLastFourDigitsScopedAuditedAndNotStoredInClear() {
		this.residents.create(this.worker, new ResidentService.ResidentForm("座机户", "居民身份证", null, "0451-8666 7788",
				this.tree.communityA1().id(), "302", "户主", null, "常住", null));
		assertThat(names("尾号 0001")).containsExactly("王建国");
		assertThat(names("尾号0002")).containsExactly("李秀兰");
		assertThat(names("****0001")).containsExactly("王建国");
		// A landline's masked form shows two digits; its last four are found all the
		// same.
		assertThat(names("尾号7788")).containsExactly("座机户");
		assertThat(names("尾号 9999")).isEmpty();
		CurrentUser neighbour = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA2());
		assertThat(this.residents.search(neighbour, null, "尾号 0001", null, 50).residents()).isEmpty();
		assertThat(this.jdbc.sql("""
				select count(*) from audit_event where action = 'RESIDENTS_SEARCHED' and actor = :a
				and detail like '%<phone tail>%' and detail not like '%0001%'""")
			.param("a", this.worker.username())
			.query(Long.class)
			.single()).isEqualTo(5);
		// Only the keyed hash is stored: no column holds the four digits of the landline.
		assertThat(this.jdbc.sql("""
				select count(*) from resident where name = '座机户' and phone_tail_hash is not null
				and position(convert_to('7788', 'UTF8') in phone_tail_hash) = 0 and phone_masked not like '%7788%'""")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	/**
	 * A whole phone is found through its tail's index (V121): people whose phones end
	 * alike are told apart, and a row the tail backfill has not reached is found too.
	 */
	@Test
	void findsAWholePhoneAmongThoseSharingItsTailAndBeforeTheBackfill() {
		this.residents.create(this.worker, new ResidentService.ResidentForm("同尾甲", "居民身份证", null, "13912345566",
				this.tree.communityA1().id(), "303", "户主", null, "常住", null));
		this.residents.create(this.worker, new ResidentService.ResidentForm("同尾乙", "居民身份证", null, "13698765566",
				this.tree.communityA1().id(), "304", "户主", null, "常住", null));
		assertThat(names("尾号5566")).containsExactlyInAnyOrder("同尾甲", "同尾乙");
		assertThat(names("139 1234 5566")).containsExactly("同尾甲");
		assertThat(names("13698765566")).containsExactly("同尾乙");
		assertThat(names("13712345566")).isEmpty();

		this.jdbc.sql("update resident set phone_tail_hash = null where name = '同尾乙'").update();
		assertThat(names("13698765566")).containsExactly("同尾乙");
		assertThat(names("139 1234 5566")).containsExactly("同尾甲");
		assertThat(names("+86 138-0451-0001")).containsExactly("王建国");
	}

	/** Rows written before V80 get their tail hash from the backfill. */
	@Test
	void theBackfillGivesOlderRowsTheirTailHash(@Autowired PhoneTails tails) {
		this.jdbc.sql("update resident set phone_tail_hash = null where path like :p")
			.param("p", this.tree.communityA1().path() + "%")
			.update();
		assertThat(names("尾号 0001")).isEmpty();
		assertThat(tails.backfill()).isGreaterThanOrEqualTo(15);
		assertThat(names("尾号 0001")).containsExactly("王建国");
		assertThat(tails.backfill()).isZero();
	}

	/** The residents table's filters and total (issue 13). */
	@Test
	void filtersByStatusAndTagAndCountsTheMatches() {
		var all = this.residents.search(this.worker, this.tree.communityA1().id(), null, ResidentService.Filters.NONE,
				null, 5, true);
		assertThat(all.total()).isEqualTo(18);
		assertThat(all.residents()).hasSize(5);
		var movedOut = this.residents.search(this.worker, this.tree.communityA1().id(), null,
				new ResidentService.Filters("MOVED_OUT", null), null, 30, true);
		assertThat(movedOut.residents()).extracting(ResidentView::name).containsExactly("何军");
		assertThat(movedOut.total()).isEqualTo(1);
		var alone = this.residents.search(this.worker, null, null, new ResidentService.Filters(null, "ELDERLY_ALONE"),
				null, 30, true);
		assertThat(alone.residents()).extracting(ResidentView::name).contains("赵德福");
		assertThat(alone.residents()).allSatisfy(r -> assertThat(r.tags()).contains("ELDERLY_ALONE"));
		assertThatThrownBy(() -> new ResidentService.Filters("PROVINCE", null))
			.isInstanceOf(org.fangxian.shared.InvalidInput.class);
	}

	/**
	 * Two characters are found by the text index (V81, its keys carry the district since
	 * V125), same answers.
	 */
	@Test
	void twoCharacterSearchesFindNamesAndAddresses() {
		assertThat(names("建国")).containsExactly("王建国");
		assertThat(names("秀兰")).contains("李秀兰");
		assertThat(names("共乐")).contains("许丽", "邓强");
		String district = this.tree.district().id() + ":";
		assertThat(this.jdbc
			.sql("select registry_search_keys(district_id, name, address) from resident where name = '王建国'")
			.query((rs, i) -> SearchKeys.read(rs.getArray(1)))
			.single()).contains(district + "王建", district + "建国");
	}

	/**
	 * Since V125 the pairs find fragments of every length from two on; a row that holds
	 * all of a fragment's pairs but not the fragment itself is left to the LIKE, which
	 * drops it.
	 */
	@Test
	void longerFragmentsAreFoundByTheirPairsAndOnlyWhereTheyStand() {
		this.residents.create(this.worker, new ResidentService.ResidentForm("建国王建", "护照", "E 7654 3210", null,
				this.tree.communityA1().id(), "302", "租户", null, "租户", null));
		assertThat(names("王建国")).containsExactly("王建国");
		assertThat(names("国王建")).containsExactly("建国王建");
		assertThat(names("建国王建")).containsExactly("建国王建");
		assertThat(names("共乐新苑")).contains("许丽", "邓强").doesNotContain("建国王建");
		assertThat(names("John")).isEmpty();
	}

	/**
	 * The database makes the keys (V125, numbers since V127): every adjacent pair of
	 * characters behind the district, counted by code point as the search counts its
	 * characters, so a name with a character outside the basic plane is found by its
	 * pairs too.
	 */
	@Test
	void searchKeysAreEveryAdjacentPairBehindTheDistrict() {
		assertThat(keys(17, "王伟王伟")).containsExactlyInAnyOrder("17:王伟", "17:伟王", "17:王伟");
		assertThat(keys(17, "\uD842\uDFB7野家")).containsExactly("17:\uD842\uDFB7野", "17:野家");
		assertThat(keys(3, "A座")).containsExactly("3:A座");
		assertThat(keys(17, "王")).isEmpty();
		assertThat(keys(17, "")).isEmpty();
		assertThat(keys(17, null)).isEmpty();
		// a district id past 21 bits shares its keys; the search's district filter
		// keeps the other district's rows out
		assertThat(keys((1L << 21) + 17, "王伟")).containsExactly("17:王伟");
		assertThat(this.jdbc.sql("select registry_search_keys(5, '王伟', '和平路')")
			.query((rs, i) -> SearchKeys.read(rs.getArray(1)))
			.single()).containsExactly("5:王伟", "5:和平", "5:平路");
		assertThat(this.jdbc.sql("select registry_search_keys(5, null, '和平 路\uD842\uDFB7')")
			.query((rs, i) -> SearchKeys.read(rs.getArray(1)))
			.single()).containsExactly("5:和平", "5:平 ", "5: 路", "5:路\uD842\uDFB7");
	}

	/**
	 * The keys are an index expression, which ANALYZE, VACUUM and REINDEX evaluate with a
	 * search path of pg_catalog alone (PostgreSQL 17): the function must name nothing of
	 * ours, or autovacuum fails on the table.
	 */
	@Test
	void maintenanceEvaluatesTheSearchKeys() {
		this.jdbc.sql("analyze resident").update();
		this.jdbc.sql("reindex index resident_search_keys").update();
		assertThat(names("建国")).containsExactly("王建国");
	}

	private List<String> keys(long district, String text) {
		return this.jdbc.sql("select registry_search_keys(:d, :t, null)")
			.param("d", district)
			.param("t", text)
			.query((rs, i) -> SearchKeys.read(rs.getArray(1)))
			.single();
	}

	@Test
	void createsAndEditsAResidentWithValidation() {
		ResidentService.ResidentForm bad = new ResidentService.ResidentForm("新居民", "居民身份证", "110105194912310021",
				"13900000000", this.tree.communityA1().id(), "101", "户主", "", "常住", "");
		assertThatThrownBy(() -> this.residents.create(this.worker, bad))
			.isInstanceOf(org.fangxian.shared.InvalidInput.class)
			.satisfies(ex -> assertThat(((org.fangxian.shared.InvalidInput) ex).messageKey()).isEqualTo("id.checksum"));

		ResidentService.ResidentForm good = new ResidentService.ResidentForm("新居民", "居民身份证", "11010519491231002x",
				"13900000000", this.tree.communityA1().id(), "101室", "户主", "党员", "常住", "");
		long id = this.residents.create(this.worker, good);
		ResidentView created = this.residents.reveal(this.worker, id);
		assertThat(created.idNumber()).isEqualTo("11010519491231002X");
		assertThat(created.tags()).containsExactly("PARTY_MEMBER");

		assertThatThrownBy(() -> this.residents.create(this.worker, good))
			.isInstanceOf(org.fangxian.shared.InvalidInput.class)
			.satisfies(ex -> assertThat(((org.fangxian.shared.InvalidInput) ex).messageKey())
				.isEqualTo("resident.idNumber.taken"));

		this.residents.update(this.worker, id, new ResidentService.ResidentForm("新居民", "居民身份证", "11010519491231002X",
				"13900000001", this.tree.communityA1().id(), "101", "户主", "党员", "外出", "去外地"));
		ResidentView updated = this.residents.view(this.worker, id);
		assertThat(updated.status()).isEqualTo(ResidentStatus.AWAY);
		assertThat(updated.phone()).isEqualTo("139****0001");
	}

}
