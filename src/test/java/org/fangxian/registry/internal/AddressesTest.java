package org.fangxian.registry.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
	void aChunksNewPlacesAreAddedOneLevelAtATimeAndReportedAsIfEachRowHadAddedThem() {
		// Letters only: the one-column address below reads digits as building numbers.
		String tag = Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "x");
		String fresh = "批量" + tag + "小区";
		String unconfirmed = "未确认" + tag + "小区";
		Node known = this.nodes.insert(this.community.id(), NodeKind.COMPOUND, null, "已有" + tag + "小区");
		List<Integer> statements = new ArrayList<>();
		DivisionNodes counting = new DivisionNodes(this.jdbc) {
			@Override
			public List<Node> insertAllIfAbsent(Collection<Child> children) {
				if (!children.isEmpty()) {
					statements.add(children.size());
				}
				return super.insertAllIfAbsent(children);
			}
		};
		Addresses addresses = new Addresses(counting, this.households, this.community,
				label -> !label.startsWith(unconfirmed));
		List<Addresses.Columns> rows = List.of(new Addresses.Columns(fresh, "1栋", "1单元", "101", ""),
				new Addresses.Columns(fresh, "1号楼", "2", "102", ""),
				new Addresses.Columns(fresh, "2#", "1单元", "201", ""),
				new Addresses.Columns(known.name(), "5", "", "501", ""),
				new Addresses.Columns(unconfirmed, "1", "1", "101", ""),
				new Addresses.Columns("", "", "", "", fresh + "3栋1单元301室"),
				new Addresses.Columns(fresh, "1", "1", "103", ""));

		addresses.createPlaces(rows);
		// The fresh compound; its three buildings and the known compound's one; four
		// units.
		assertThat(statements).containsExactly(1, 4, 4);

		long before = placesBelowCommunity();
		List<Long> placed = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			Addresses.Columns row = rows.get(i);
			if (row.compound().equals(unconfirmed)) {
				int rowNumber = i + 2;
				assertThatThrownBy(() -> addresses.place(rowNumber, row.compound(), row.building(), row.unit(),
						row.room(), row.freeText()))
					.isInstanceOfSatisfying(InvalidInput.class,
							ex -> assertThat(ex.messageKey()).isEqualTo("import.place.unconfirmed"));
				continue;
			}
			placed.add(addresses.place(i + 2, row.compound(), row.building(), row.unit(), row.room(), row.freeText())
				.nodeId());
		}
		assertThat(placesBelowCommunity()).as("placing the rows adds nothing more").isEqualTo(before);
		assertThat(this.nodes.children(this.community.id())).extracting(Node::name).doesNotContain(unconfirmed);

		Node compound = this.nodes.findChild(this.community.id(), fresh).orElseThrow();
		Node first = this.nodes.findChild(compound.id(), "1栋").orElseThrow();
		assertThat(placed).containsExactly(this.nodes.findChild(first.id(), "1单元").orElseThrow().id(),
				this.nodes.findChild(first.id(), "2单元").orElseThrow().id(), unitOf(compound, "2栋", "1单元"),
				this.nodes.findChild(known.id(), "5栋").orElseThrow().id(), unitOf(compound, "3栋", "1单元"),
				this.nodes.findChild(first.id(), "1单元").orElseThrow().id());
		assertThat(addresses.newPlaces()).containsExactly(new ImportReport.NewPlace(fresh, "COMPOUND", 2, 5),
				new ImportReport.NewPlace(known.name() + " / 5栋", "BUILDING", 5, 1));
	}

	private long unitOf(Node compound, String building, String unit) {
		Node b = this.nodes.findChild(compound.id(), building).orElseThrow();
		return this.nodes.findChild(b.id(), unit).orElseThrow().id();
	}

	private long placesBelowCommunity() {
		return this.jdbc.sql("select count(*) from division_node where path like :p")
			.param("p", this.community.path() + "%")
			.query(Long.class)
			.single();
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
