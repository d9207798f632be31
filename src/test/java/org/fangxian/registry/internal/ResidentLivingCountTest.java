package org.fangxian.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestData.NodeRef;
import org.fangxian.registry.MessyRosterFixture;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentService;
import org.fangxian.registry.ResidentService.ResidentForm;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.IdNumber;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The read model of living residents per node (V107) against a direct count of the
 * residents themselves, at unit, building, community, street and district, after every
 * kind of write to {@code resident}: multi-row inserts, the service's create and move,
 * status changes both ways, deletes, the roster import and the tests' truncate.
 */
class ResidentLivingCountTest extends IntegrationTest {

	@Autowired
	ResidentDirectory directory;

	@Autowired
	ResidentService residents;

	@Autowired
	RosterImport rosterImport;

	private final Random random = new Random(14);

	TestData.Tree tree;

	NodeRef buildingA;

	NodeRef unitA1;

	NodeRef unitA2;

	NodeRef unitB1;

	List<NodeRef> places;

	CurrentUser worker;

	@BeforeEach
	void setUp() {
		this.data.forgetAllResidents();
		this.tree = this.data.tree();
		this.buildingA = this.data.node(this.tree.communityA1().id(), "BUILDING", null, "1栋");
		this.unitA1 = this.data.node(this.buildingA.id(), "UNIT", null, "1单元");
		this.unitA2 = this.data.node(this.buildingA.id(), "UNIT", null, "2单元");
		NodeRef buildingB = this.data.node(this.tree.communityB1().id(), "BUILDING", null, "8栋");
		this.unitB1 = this.data.node(buildingB.id(), "UNIT", null, "1单元");
		this.places = List.of(this.tree.district(), this.tree.streetA(), this.tree.streetB(), this.tree.communityA1(),
				this.tree.communityA2(), this.tree.communityB1(), this.buildingA, this.unitA1, this.unitA2, buildingB,
				this.unitB1);
		this.worker = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
	}

	/** The independent count: every living resident under the path, one by one. */
	private long directCount(String path) {
		return this.jdbc.sql("select count(*) from resident where path like :p and status in ('RESIDENT', 'RENTING')")
			.param("p", path + "%")
			.query(Long.class)
			.single();
	}

	private void assertCountsAgree(String when) {
		Map<String, Long> many = this.directory.countLivingWithin(this.places.stream().map(NodeRef::path).toList());
		for (NodeRef place : this.places) {
			long direct = directCount(place.path());
			assertThat(this.directory.countLivingWithin(place.path())).as("%s: %s", when, place.name())
				.isEqualTo(direct);
			assertThat(many.get(place.path())).as("%s, many paths: %s", when, place.name()).isEqualTo(direct);
		}
		// No node holds a count that its residents do not make.
		assertThat(this.jdbc.sql("""
				select count(*) from resident_living_count c
				where c.living <> (select count(*) from resident r where r.node_id = c.node_id
				                   and r.status in ('RESIDENT', 'RENTING'))""").query(Long.class).single())
			.as("%s: nodes whose count is off", when)
			.isZero();
	}

	private void insertMany(NodeRef node, int n, String status) {
		this.jdbc.sql("""
				insert into resident (node_id, name, id_type, status)
				select :node, '居民' || i, 'OTHER', :status from generate_series(1, :n) i""")
			.param("node", node.id())
			.param("status", status)
			.param("n", n)
			.update();
	}

	private ResidentForm form(String name, long node, String status) {
		LocalDate born = LocalDate.of(1950, 1, 1).plusDays(this.random.nextInt(18000));
		String first17 = "110105" + born.toString().replace("-", "") + String.format("%03d", this.random.nextInt(1000));
		return new ResidentForm(name, null, first17 + IdNumber.checkChar(first17), null, node, "101", "户主", null,
				status, null);
	}

	@Test
	void theReadModelFollowsEveryWriteToResidents() throws IOException {
		assertCountsAgree("empty");

		// One statement over three nodes and two statuses that do not count.
		this.jdbc.sql("""
				insert into resident (node_id, name, id_type, status)
				select case i % 3 when 0 then :a1 when 1 then :a2 else :b1 end, '居民' || i, 'OTHER',
				       case i % 5 when 0 then 'AWAY' when 1 then 'RENTING' when 2 then 'MOVED_OUT' else 'RESIDENT' end
				from generate_series(1, 60) i""")
			.param("a1", this.unitA1.id())
			.param("a2", this.unitA2.id())
			.param("b1", this.unitB1.id())
			.update();
		insertMany(this.tree.communityA2(), 7, "RESIDENT");
		assertCountsAgree("after inserts");
		assertThat(this.directory.countLivingWithin(this.tree.district().path())).isEqualTo(36 + 7);

		// Through the service: a new resident, then moved to another unit, then moved out
		// and back.
		ResidentForm created = form("王建华", this.unitA1.id(), "常住");
		long id = this.residents.create(this.worker, created);
		assertCountsAgree("after create");
		this.residents.update(this.worker, id, new ResidentForm(created.name(), null, created.idNumber(), null,
				this.unitA2.id(), "101", "户主", null, "租住", null));
		assertCountsAgree("after a move");
		this.jdbc.sql("update resident set status = 'MOVED_OUT' where id = :id").param("id", id).update();
		assertCountsAgree("after moving out");
		this.jdbc.sql("update resident set status = 'DECEASED' where id = :id").param("id", id).update();
		this.jdbc.sql("update resident set status = 'RESIDENT', node_id = :b1 where id = :id")
			.param("id", id)
			.param("b1", this.unitB1.id())
			.update();
		assertCountsAgree("after coming back to another street");

		// Many rows at once: statuses both ways and a move across streets.
		this.jdbc.sql(
				"update resident set status = case status when 'AWAY' then 'RESIDENT' else 'AWAY' end where node_id = :a1")
			.param("a1", this.unitA1.id())
			.update();
		this.jdbc.sql("update resident set node_id = :a1 where node_id = :b1 and id % 2 = 0")
			.param("a1", this.unitA1.id())
			.param("b1", this.unitB1.id())
			.update();
		// An update that changes neither node nor status.
		this.jdbc.sql("update resident set note = '核对' where node_id = :a2").param("a2", this.unitA2.id()).update();
		assertCountsAgree("after bulk updates");

		this.jdbc.sql("delete from resident where node_id = :a2 and id % 3 = 0").param("a2", this.unitA2.id()).update();
		this.jdbc.sql("delete from resident where id = :id").param("id", id).update();
		assertCountsAgree("after deletes");

		// The roster import's batches into community A1 (its own new places).
		CurrentUser importer = this.data.user(Role.COMMUNITY_WORKER, this.tree.communityA1());
		try (InputStream in = new ClassPathResource(MessyRosterFixture.XLSX).getInputStream()) {
			this.rosterImport.run(importer, this.rosterImport.community(importer, this.tree.communityA1().code()), in,
					MessyRosterFixture.XLSX, Map.of(), false);
		}
		List<NodeRef> imported = this.jdbc.sql("""
				select id, code, path, name from division_node where path like :p and id not in (:known)""")
			.param("p", this.tree.communityA1().path() + "%")
			.param("known", this.places.stream().map(NodeRef::id).toList())
			.query(NodeRef.class)
			.list();
		this.places = new java.util.ArrayList<>(this.places);
		this.places.addAll(imported);
		assertThat(directCount(this.tree.communityA1().path())).as("the import adds living people")
			.isGreaterThan(directCount(this.unitA1.path()) + directCount(this.unitA2.path()));
		assertCountsAgree("after the import");

		this.data.forgetAllResidents();
		assertCountsAgree("after truncate");
		assertThat(this.directory.countLivingWithin(this.tree.district().path())).isZero();
	}

	@Test
	void aCountCannotGoNegative() {
		insertMany(this.unitA1, 2, "RESIDENT");
		assertThatThrownBy(
				() -> this.jdbc.sql("update resident_living_count set living = living - 3 where node_id = :n")
					.param("n", this.unitA1.id())
					.update())
			.hasMessageContaining("resident_living_count_living_check");
	}

}
