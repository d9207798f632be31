package org.fangxian.registry.internal;

import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A roster's places: the community's are read once when the first row is placed, new ones
 * are created as rows name them, and one added by someone else meanwhile is used, not
 * added twice.
 */
class AddressesTest extends IntegrationTest {

	@Autowired
	DivisionNodes nodes;

	@Autowired
	Households households;

	TestData.Tree tree;

	Node community;

	@BeforeEach
	void setUp() {
		this.tree = this.data.tree();
		this.community = this.nodes.findById(this.tree.communityA1().id()).orElseThrow();
	}

	@Test
	void placesAreFoundCreatedOrTakenFromWhoeverAddedThemMeanwhile() {
		String compound = "测试小区" + System.nanoTime();
		Node known = this.nodes.insert(this.community.id(), NodeKind.COMPOUND, null, compound);
		Addresses addresses = new Addresses(this.nodes, this.households, this.community, label -> true);

		// Known before the first row: found among the community's places, nothing new.
		Addresses.Spot first = addresses.place(2, compound, "", "", "", "");
		assertThat(first.nodeId()).isEqualTo(known.id());
		assertThat(addresses.newPlaces()).isEmpty();

		// Not there: created, and reported as new.
		Addresses.Spot created = addresses.place(3, compound, "1", "", "", "");
		assertThat(this.nodes.findChild(known.id(), "1栋")).hasValueSatisfying(n -> {
			assertThat(n.id()).isEqualTo(created.nodeId());
			assertThat(n.kind()).isEqualTo(NodeKind.BUILDING);
		});
		assertThat(addresses.newPlaces()).extracting(ImportReport.NewPlace::label).containsExactly(compound + " / 1栋");

		// Added by someone else after the community's places were read: that one is the
		// place, not a new one, and there is still one building of that name.
		Node meanwhile = this.nodes.insert(known.id(), NodeKind.BUILDING, null, "2栋");
		Addresses.Spot raced = addresses.place(4, compound, "2", "", "", "");
		assertThat(raced.nodeId()).isEqualTo(meanwhile.id());
		assertThat(addresses.newPlaces()).extracting(ImportReport.NewPlace::label).containsExactly(compound + " / 1栋");
		assertThat(this.nodes.children(known.id())).extracting(Node::name).containsExactlyInAnyOrder("1栋", "2栋");
	}

	@Test
	void roomsThoughtNewAreCreatedFirstAndThoseAlreadyThereFound() {
		Node unit = this.nodes.insert(this.community.id(), NodeKind.COMPOUND, null, "住户小区" + System.nanoTime());
		Households.Room there = new Households.Room(unit.id(), unit.path(), "101", "101室");
		long thereId = this.households.obtainAll(List.of(there), false).ids().get(Households.key(unit.id(), "101"));

		Households.Room fresh = new Households.Room(unit.id(), unit.path(), "102", "102室");
		for (boolean likelyNew : new boolean[] { true, false }) {
			Households.Obtained obtained = this.households.obtainAll(List.of(there, fresh), likelyNew);
			assertThat(obtained.ids()).containsEntry(Households.key(unit.id(), "101"), thereId)
				.containsKey(Households.key(unit.id(), "102"));
			assertThat(obtained.created()).as("created, thought new: " + likelyNew).isEqualTo(likelyNew ? 1 : 0);
			assertThat(this.jdbc.sql("select count(*) from household where node_id = :n")
				.param("n", unit.id())
				.query(Long.class)
				.single()).isEqualTo(2);
		}
	}

}
