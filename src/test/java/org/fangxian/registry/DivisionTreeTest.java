package org.fangxian.registry;

import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.internal.DivisionCatalog;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The jurisdiction tree: the official division list, editing rules, counts at every
 * level.
 */
class DivisionTreeTest extends IntegrationTest {

	@Autowired
	DivisionCatalog catalog;

	@Autowired
	DivisionTree tree;

	@Autowired
	ResidentService residents;

	private CurrentUser installationAdmin() {
		long id = this.jdbc.sql("select id from account where username = 'admin'").query(Long.class).single();
		return new CurrentUser(id, "admin", "admin", Role.HQ_ADMIN, null, "/");
	}

	@Test
	void loadsAnOfficialDistrictWithItsStreetsAndCommunitiesOnce() {
		CurrentUser admin = installationAdmin();
		this.catalog.load(admin, "230102");

		Node gongle = this.tree.nodeByCode(admin, "230102004");
		assertThat(gongle.name()).isEqualTo("共乐街道");
		assertThat(gongle.code()).isEqualTo("230102004000");
		assertThat(gongle.kind()).isEqualTo(NodeKind.STREET);
		List<String> communities = this.tree.children(admin, gongle.id()).stream().map(s -> s.node().name()).toList();
		assertThat(communities).contains("福乐湾社区", "福同社区", "民茂社区", "民安街社区");
		Node fulewan = this.tree.nodeByCode(admin, "230102004001");
		assertThat(this.tree.trail(admin, fulewan)).extracting(Node::name)
			.containsExactly("黑龙江省", "哈尔滨市", "道里区", "共乐街道", "福乐湾社区");

		DivisionCatalog.LoadReport again = this.catalog.load(admin, "230102");
		assertThat(again.created()).isZero();
		assertThat(again.existing()).isGreaterThan(100);
	}

	@Test
	void refusesUnknownAndMalformedCodes() {
		CurrentUser admin = installationAdmin();
		assertThatThrownBy(() -> this.catalog.load(admin, "12a")).isInstanceOf(InvalidInput.class);
		assertThatThrownBy(() -> this.catalog.load(admin, "999999")).isInstanceOf(InvalidInput.class)
			.satisfies(ex -> assertThat(((InvalidInput) ex).messageKey()).isEqualTo("division.code.unknown"));
		TestData.Tree t = this.data.tree();
		CurrentUser street = this.data.user(Role.STREET_ADMIN, t.streetA());
		assertThatThrownBy(() -> this.catalog.load(street, "230102"))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	@Test
	void buildsCompoundsBuildingsAndUnitsWithClearErrors() {
		TestData.Tree t = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, t.communityA1());
		Node compound = this.tree.addChild(worker, t.communityA1().id(), " 福乐湾小区 ", null);
		assertThat(compound.kind()).isEqualTo(NodeKind.COMPOUND);
		assertThat(compound.name()).isEqualTo("福乐湾小区");
		Node building = this.tree.addChild(worker, compound.id(), "10栋", null);
		this.tree.addChild(worker, compound.id(), "2栋", null);
		Node unit = this.tree.addChild(worker, building.id(), "1单元", null);
		assertThat(unit.kind()).isEqualTo(NodeKind.UNIT);

		assertThat(this.tree.children(worker, compound.id())).extracting(s -> s.node().name())
			.containsExactly("2栋", "10栋");
		assertThatThrownBy(() -> this.tree.addChild(worker, compound.id(), "2栋", null)).isInstanceOf(InvalidInput.class)
			.satisfies(ex -> assertThat(((InvalidInput) ex).messageKey()).isEqualTo("node.name.taken"));
		assertThatThrownBy(() -> this.tree.addChild(worker, unit.id(), "x", null)).isInstanceOf(InvalidInput.class)
			.satisfies(ex -> assertThat(((InvalidInput) ex).messageKey()).isEqualTo("node.noChildren"));
		assertThatThrownBy(() -> this.tree.addChild(worker, compound.id(), "　", null)).isInstanceOf(InvalidInput.class)
			.satisfies(ex -> assertThat(((InvalidInput) ex).messageKey()).isEqualTo("node.name.blank"));
		assertThatThrownBy(() -> this.tree.addChild(worker, t.communityA2().id(), "别人的小区", null))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);

		CurrentUser hq = this.data.user(Role.HQ_ADMIN, t.district());
		assertThatThrownBy(() -> this.tree.addChild(hq, t.streetA().id(), "新社区", "110101001001"))
			.isInstanceOf(InvalidInput.class)
			.satisfies(ex -> assertThat(((InvalidInput) ex).messageKey()).isEqualTo("node.code.notWithinParent"));
		CurrentUser guard = this.data.user(Role.CHECKPOINT_GUARD, t.communityA1());
		assertThatThrownBy(() -> this.tree.addChild(guard, compound.id(), "3栋", null))
			.isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
	}

	@Test
	void countsHouseholdsAndPresentResidentsAtEveryLevel() {
		this.data.forgetAllResidents();
		TestData.Tree t = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, t.communityA1());
		Node compound = this.tree.addChild(worker, t.communityA1().id(), "民安家园", null);
		Node building = this.tree.addChild(worker, compound.id(), "1栋", null);
		create(worker, building.id(), "101", "张一", "RESIDENT");
		create(worker, building.id(), "101", "张二", "RESIDENT");
		create(worker, building.id(), "102", "李三", "RENTING");
		create(worker, building.id(), "103", "王四", "MOVED_OUT");

		assertThat(this.tree.summary(worker, building.id())).satisfies(s -> {
			assertThat(s.households()).isEqualTo(3);
			assertThat(s.residents()).isEqualTo(3);
		});
		CurrentUser hq = this.data.user(Role.HQ_ADMIN, t.district());
		assertThat(this.tree.summary(hq, t.district().id()).residents()).isEqualTo(3);
		assertThat(this.tree.children(hq, t.streetA().id())).filteredOn(s -> s.node().id() == t.communityA1().id())
			.singleElement()
			.satisfies(s -> assertThat(s.households()).isEqualTo(3));
		assertThat(this.tree.summary(hq, t.streetB().id()).residents()).isZero();
	}

	@Autowired
	Establishments establishments;

	@Test
	void registersShopsAndEnterprisesInCommunitiesAndCompounds() {
		TestData.Tree t = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, t.communityA1());
		Node compound = this.tree.addChild(worker, t.communityA1().id(), "共乐新苑", null);
		this.establishments.add(worker, compound.id(),
				new Establishments.NewEstablishment("SHOP", "便民超市", "共乐新苑底商3号", "刘老板", "+86 139-0451-0099", 5));
		this.establishments.add(worker, t.communityA1().id(),
				new Establishments.NewEstablishment("ENTERPRISE", "快递驿站", null, null, null, null));

		assertThat(this.establishments.at(worker, t.communityA1().id())).extracting(Establishment::name)
			.containsExactlyInAnyOrder("便民超市", "快递驿站");
		assertThat(this.establishments.at(worker, compound.id())).singleElement()
			.satisfies(e -> assertThat(e.contactPhone()).isEqualTo("139****0099"));
		Node building = this.tree.addChild(worker, compound.id(), "1栋", null);
		assertThatThrownBy(() -> this.establishments.add(worker, building.id(),
				new Establishments.NewEstablishment("SHOP", "x", null, null, null, null)))
			.isInstanceOf(InvalidInput.class);
		assertThatThrownBy(() -> this.establishments.add(worker, compound.id(),
				new Establishments.NewEstablishment("BANK", "x", null, null, null, null)))
			.isInstanceOf(InvalidInput.class);
		CurrentUser neighbour = this.data.user(Role.COMMUNITY_WORKER, t.communityA2());
		assertThatThrownBy(() -> this.establishments.at(neighbour, compound.id()))
			.isInstanceOf(CurrentUser.OutsideJurisdictionException.class);
	}

	private void create(CurrentUser user, long nodeId, String room, String name, String status) {
		this.residents.create(user,
				new ResidentService.ResidentForm(name, null, null, null, nodeId, room, null, null, status, null));
	}

}
