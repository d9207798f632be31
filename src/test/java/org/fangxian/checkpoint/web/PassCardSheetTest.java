package org.fangxian.checkpoint.web;

import java.util.List;
import java.util.UUID;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.ResidentService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.ui.ExtendedModelMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A building's sheet of pass cards: every card names its unit and door, doors by floor.
 */
class PassCardSheetTest extends IntegrationTest {

	@Autowired
	CheckpointPages pages;

	@Autowired
	ResidentService residents;

	@Test
	void everyCardShowsUnitAndDoorAndDoorsSortByFloor() {
		TestData.Tree tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		TestData.NodeRef building = this.data.node(tree.communityA1().id(), "BUILDING", null,
				"5栋" + UUID.randomUUID().toString().substring(0, 4));
		TestData.NodeRef unit1 = this.data.node(building.id(), "UNIT", null, "1单元");
		TestData.NodeRef unit2 = this.data.node(building.id(), "UNIT", null, "2单元");
		String[][] people = { { "甲一", "1001" }, { "乙一", "101" }, { "丙一", "1002" }, { "丁一", "201" } };
		for (String[] person : people) {
			for (TestData.NodeRef unit : List.of(unit2, unit1)) {
				this.residents.create(worker, new ResidentService.ResidentForm(person[0], null, TestIdNumbers.next(),
						null, unit.id(), person[1], null, null, "常住", null));
			}
		}
		ExtendedModelMap model = new ExtendedModelMap();
		assertThat(this.pages.passCards(worker, building.id(), model)).isEqualTo("checkpoint/pass-cards");
		@SuppressWarnings("unchecked")
		List<CheckpointPages.PassCard> cards = (List<CheckpointPages.PassCard>) model.get("cards");
		String b = building.name();
		assertThat(cards.stream().map(CheckpointPages.PassCard::address).toList()).containsExactly(b + " 1单元 101",
				b + " 1单元 201", b + " 1单元 1001", b + " 1单元 1002", b + " 2单元 101", b + " 2单元 201", b + " 2单元 1001",
				b + " 2单元 1002");
	}

}
