package org.fangxian.registry.internal;

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

}
