package org.fangxian.registry;

import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData.NodeRef;
import org.fangxian.TestIdNumbers;
import org.fangxian.TestPhoneNumbers;
import org.fangxian.registry.internal.ResidentRecords;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resident's district (V122) is kept by the database, and the address search scoped to
 * one district never reaches another's residents with the same address text (issue 17).
 */
class ResidentDistrictTest extends IntegrationTest {

	@Autowired
	ResidentService residents;

	NodeRef city;

	NodeRef districtA;

	NodeRef districtB;

	NodeRef buildingA;

	NodeRef buildingB;

	CurrentUser cityAdmin;

	@Autowired
	ResidentRecords records;

	@BeforeEach
	void setUp() {
		this.city = this.data.node(null, "CITY", uniqueCode(), "测试市" + uniqueCode());
		this.districtA = this.data.node(this.city.id(), "DISTRICT", uniqueCode(), "甲区");
		this.districtB = this.data.node(this.city.id(), "DISTRICT", uniqueCode(), "乙区");
		this.buildingA = building(this.districtA);
		this.buildingB = building(this.districtB);
		this.cityAdmin = this.data.user(Role.HQ_ADMIN, this.city);
	}

	/** The same compound and building names in both districts: the same address text. */
	private NodeRef building(NodeRef district) {
		NodeRef street = this.data.node(district.id(), "STREET", uniqueCode(), "幸福街道");
		NodeRef community = this.data.node(street.id(), "COMMUNITY", uniqueCode(), "幸福社区");
		NodeRef compound = this.data.node(community.id(), "COMPOUND", uniqueCode(), "锦绣家园");
		return this.data.node(compound.id(), "BUILDING", uniqueCode(), "3栋");
	}

	private long resident(NodeRef node, String name) {
		return this.residents.create(this.cityAdmin, new ResidentService.ResidentForm(name, null, TestIdNumbers.next(),
				TestPhoneNumbers.next(), node.id(), "101", "户主", null, "常住", null));
	}

	private long districtOf(long residentId) {
		return this.jdbc.sql("select district_id from resident where id = :id")
			.param("id", residentId)
			.query(Long.class)
			.single();
	}

	private List<String> names(CurrentUser user, Long nodeId, String query) {
		return this.residents.search(user, nodeId, query, null, 50)
			.residents()
			.stream()
			.map(ResidentView::name)
			.toList();
	}

	@Test
	void addressSearchScopedToADistrictNeverReturnsAnotherDistrictsResidents() {
		resident(this.buildingA, "甲区张三");
		resident(this.buildingA, "甲区李四");
		resident(this.buildingB, "乙区王五");

		assertThat(names(this.cityAdmin, this.districtA.id(), "锦绣家园3栋")).containsExactlyInAnyOrder("甲区张三", "甲区李四");
		assertThat(names(this.cityAdmin, this.districtB.id(), "锦绣家园3栋")).containsExactly("乙区王五");
		// two characters go by the text index, whose keys carry the district (V125)
		assertThat(names(this.cityAdmin, this.districtB.id(), "锦绣")).containsExactly("乙区王五");
		// a worker of district A, searching her whole jurisdiction
		CurrentUser workerA = this.data.user(Role.STREET_ADMIN, this.districtA);
		assertThat(names(workerA, null, "锦绣家园")).containsExactlyInAnyOrder("甲区张三", "甲区李四");
		// the city sees both districts
		assertThat(names(this.cityAdmin, this.city.id(), "锦绣家园3栋")).containsExactlyInAnyOrder("甲区张三", "甲区李四", "乙区王五");
	}

	/**
	 * The text keys carry the district, so a scope over several districts asks the index
	 * once for each; past {@link ResidentRecords#MAX_KEYED_DISTRICTS} the LIKE alone
	 * filters, and finds the same rows.
	 */
	@Test
	void aScopeOverManyDistrictsAsksForEachOrFiltersByTheLikeAlone() {
		resident(this.buildingA, "甲区张三");
		resident(this.buildingB, "乙区王五");
		String scope = this.city.path() + "%";
		List<Long> two = List.of(this.districtA.id(), this.districtB.id());
		List<Long> many = new java.util.ArrayList<>(two);
		for (long fake = -1; many.size() <= ResidentRecords.MAX_KEYED_DISTRICTS; fake--) {
			many.add(fake);
		}
		for (List<Long> districts : List.of(two, many)) {
			ResidentRecords.Criteria criteria = new ResidentRecords.Criteria(scope, districts, true, false, "锦绣家园3栋",
					null, null, null, false, null, null);
			String sql = this.records.pageStatement(criteria, null, 20).sql();
			assertThat(sql).doesNotContain("path like");
			assertThat(sql.split("@> registry_search_keys", -1)).hasSize(districts == two ? 3 : 1);
			assertThat(this.records.page(criteria, null, 20)).extracting(ResidentRecords.Row::name)
				.containsExactlyInAnyOrder("甲区张三", "乙区王五");
		}
	}

	/**
	 * A scope of a district or more is its districts, so its path is not asked; a
	 * street's or a community's is, and keeps the district's other residents out.
	 */
	@Test
	void aScopeInsideADistrictIsStillItsPath() {
		resident(this.buildingA, "甲区张三");
		NodeRef street = this.data.node(this.districtA.id(), "STREET", uniqueCode(), "和平街道");
		NodeRef community = this.data.node(street.id(), "COMMUNITY", uniqueCode(), "和平社区");
		NodeRef compound = this.data.node(community.id(), "COMPOUND", uniqueCode(), "锦绣家园");
		resident(this.data.node(compound.id(), "BUILDING", uniqueCode(), "3栋"), "甲区邻街");
		CurrentUser streetAdmin = this.data.user(Role.STREET_ADMIN, street);
		assertThat(names(streetAdmin, null, "锦绣家园3栋")).containsExactly("甲区邻街");
		assertThat(names(streetAdmin, null, "甲区")).containsExactly("甲区邻街");
		assertThat(names(this.cityAdmin, this.districtA.id(), "甲区")).containsExactlyInAnyOrder("甲区张三", "甲区邻街");
	}

	@Test
	void residentsDistrictIsSetOnInsertAndFollowsAMove() {
		long id = resident(this.buildingA, "搬家的人");
		assertThat(districtOf(id)).isEqualTo(this.districtA.id());

		this.residents.update(this.cityAdmin, id, new ResidentService.ResidentForm("搬家的人", null, null, null,
				this.buildingB.id(), "101", "户主", null, "常住", null));
		assertThat(districtOf(id)).isEqualTo(this.districtB.id());
		assertThat(names(this.cityAdmin, this.districtB.id(), "锦绣家园3栋")).contains("搬家的人");
		assertThat(names(this.cityAdmin, this.districtA.id(), "锦绣家园3栋")).doesNotContain("搬家的人");
		// the text keys (V125) are made again with the new district
		assertThat(names(this.cityAdmin, this.districtB.id(), "搬家的人")).containsExactly("搬家的人");
		assertThat(names(this.cityAdmin, this.city.id(), "搬家")).containsExactly("搬家的人");
		assertThat(this.jdbc.sql("select registry_search_keys(district_id, name, address) from resident where id = :id")
			.param("id", id)
			.query((rs, i) -> SearchKeys.read(rs.getArray(1)))
			.single()).contains(this.districtB.id() + ":搬家")
			.allSatisfy(key -> assertThat(key).startsWith(this.districtB.id() + ":"));
	}

	@Test
	void nodesKeepTheirDistrict() {
		assertThat(nodeDistrict(this.city)).isEqualTo(this.city.id());
		assertThat(nodeDistrict(this.districtA)).isEqualTo(this.districtA.id());
		assertThat(nodeDistrict(this.buildingB)).isEqualTo(this.districtB.id());
		// the database's one rule (V90) agrees
		assertThat(this.jdbc.sql("select district_of(:path)")
			.param("path", this.buildingB.path())
			.query(Long.class)
			.single()).isEqualTo(this.districtB.id());
		// V122's node trigger works from the parent and V90's district_of from the path:
		// every node of the tree agrees
		assertThat(this.jdbc.sql("select count(*) from division_node where district_id <> district_of(path)")
			.query(Long.class)
			.single()).isZero();
	}

	private long nodeDistrict(NodeRef node) {
		return this.jdbc.sql("select district_id from division_node where id = :id")
			.param("id", node.id())
			.query(Long.class)
			.single();
	}

}
