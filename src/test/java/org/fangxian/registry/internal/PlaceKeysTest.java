package org.fangxian.registry.internal;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A resident's path and district, and a household's path, are their node's, held by keys
 * (V128): left out on insert the database fills them in, a move takes the new node's, and
 * a wrong one is refused rather than stored.
 */
class PlaceKeysTest extends IntegrationTest {

	@Autowired
	DivisionNodes nodes;

	TestData.Tree tree;

	@BeforeEach
	void setUp() {
		this.data.forgetAllResidents();
		this.tree = this.data.tree();
	}

	@Test
	void aHouseholdTakesItsNodesPathAndRefusesAnother() {
		long a1 = this.tree.communityA1().id();
		long household = this.jdbc
			.sql("insert into household (node_id, room, address) values (:n, '901', '901室')" + " returning id")
			.param("n", a1)
			.query(Long.class)
			.single();
		assertThat(this.jdbc.sql("select path from household where id = :id")
			.param("id", household)
			.query(String.class)
			.single()).isEqualTo(this.tree.communityA1().path());
		assertThatThrownBy(() -> this.jdbc
			.sql("insert into household (node_id, path, room, address) values (:n, :p, '902', '902室')")
			.param("n", a1)
			.param("p", this.tree.communityB1().path())
			.update()).isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("household_node_place_fkey");
		assertThatThrownBy(() -> this.jdbc.sql("update household set path = :p where id = :id")
			.param("p", this.tree.communityB1().path())
			.param("id", household)
			.update()).isInstanceOf(DataIntegrityViolationException.class);
	}

	@Test
	void aMovedResidentTakesItsNewNodesPathAndDistrict() {
		long resident = this.jdbc.sql("""
				insert into resident (node_id, name, id_type) values (:n, '孙八', 'OTHER') returning id""")
			.param("n", this.tree.communityA1().id())
			.query(Long.class)
			.single();
		assertThat(place(resident))
			.isEqualTo(this.tree.communityA1().path() + " " + this.nodes.districtOf(this.tree.communityA1().id()));
		this.jdbc.sql("update resident set node_id = :n where id = :id")
			.param("n", this.tree.communityB1().id())
			.param("id", resident)
			.update();
		assertThat(place(resident))
			.isEqualTo(this.tree.communityB1().path() + " " + this.nodes.districtOf(this.tree.communityB1().id()));
		// The path alone cannot be changed away from the node's.
		assertThatThrownBy(() -> this.jdbc.sql("update resident set path = :p where id = :id")
			.param("p", this.tree.communityA1().path())
			.param("id", resident)
			.update()).isInstanceOf(DataIntegrityViolationException.class)
			.hasMessageContaining("resident_node_place_fkey");
	}

	private String place(long resident) {
		return this.jdbc.sql("select path || ' ' || district_id from resident where id = :id")
			.param("id", resident)
			.query(String.class)
			.single();
	}

}
