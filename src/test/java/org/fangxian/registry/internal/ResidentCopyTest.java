package org.fangxian.registry.internal;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The roster import writes residents with COPY ({@link ResidentRecords#insertAll}): what
 * goes in comes back byte for byte, whatever a cell holds, and nulls stay null.
 */
class ResidentCopyTest extends IntegrationTest {

	@Autowired
	ResidentRecords records;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	DivisionNodes nodes;

	TestData.Tree tree;

	@BeforeEach
	void setUp() {
		this.data.forgetAllResidents();
		this.tree = this.data.tree();
	}

	@Test
	void whatACellHoldsComesBackAsItWas() {
		String awkward = "王\\N\t李\n\r\"引号\" {a,b} \\x00 \uD842\uDFB7 \\\\";
		byte[] hash = new byte[] { 0, 1, (byte) 0x5c, (byte) 0x0a, (byte) 0x09, (byte) 0xff };
		long[] ids = this.transactions.execute(status -> this.records.reserveIds(2));
		ResidentRecords.Sealed full = new ResidentRecords.Sealed(ids[0], this.tree.communityA1().id(), null, awkward,
				"RESIDENT_ID", new byte[] { 9, 8, 7 }, hash, "2301**********001X", new byte[] { (byte) 0x80 },
				new byte[] { 1 }, new byte[] { 2 }, "138****0001", LocalDate.of(1952, 3, 15), "MALE", "HEAD",
				List.of("PARTY_MEMBER", "a\"b\\c,{d}"), "RESIDENT", "备注\\t\t", awkward, this.tree.communityA1().path(),
				this.nodes.districtOf(this.tree.communityA1().id()));
		ResidentRecords.Sealed sparse = new ResidentRecords.Sealed(ids[1], this.tree.communityA1().id(), null, "赵六",
				"PASSPORT", null, null, null, null, null, null, null, null, null, "OTHER", List.of(), "AWAY", null,
				null, null, null);
		this.transactions.executeWithoutResult(status -> this.records.insertAll(List.of(full, sparse)));

		Map<String, Object> a = this.jdbc.sql("""
				select name, address, note, id_hash, id_cipher, phone_cipher, birth_date, tags, path, sex
				from resident where id = :id""").param("id", ids[0]).query().singleRow();
		assertThat(a.get("name")).isEqualTo(awkward);
		assertThat(a.get("address")).isEqualTo(awkward);
		assertThat(a.get("note")).isEqualTo("备注\\t\t");
		assertThat((byte[]) a.get("id_hash")).isEqualTo(hash);
		assertThat((byte[]) a.get("id_cipher")).isEqualTo(new byte[] { 9, 8, 7 });
		assertThat((byte[]) a.get("phone_cipher")).isEqualTo(new byte[] { (byte) 0x80 });
		assertThat(a.get("birth_date").toString()).isEqualTo("1952-03-15");
		assertThat(this.jdbc.sql("select tags from resident where id = :id")
			.param("id", ids[0])
			.query((rs, i) -> Arrays.asList((String[]) rs.getArray(1).getArray()))
			.single()).containsExactly("PARTY_MEMBER", "a\"b\\c,{d}");
		assertThat(a.get("path")).isEqualTo(this.tree.communityA1().path());

		Map<String, Object> b = this.jdbc.sql("""
				select id_hash, id_cipher, note, address, birth_date, sex, cardinality(tags) as tags
				from resident where id = :id""").param("id", ids[1]).query().singleRow();
		assertThat(b.get("id_hash")).isNull();
		assertThat(b.get("id_cipher")).isNull();
		assertThat(b.get("note")).isNull();
		assertThat(b.get("address")).isNull();
		assertThat(b.get("birth_date")).isNull();
		assertThat(b.get("sex")).isNull();
		assertThat(b.get("tags")).isEqualTo(0);
		// Left out, the path and district are the node's, filled in by the database.
		assertThat(this.jdbc.sql("select path, district_id from resident where id = :id")
			.param("id", ids[1])
			.query()
			.singleRow()).containsEntry("path", this.tree.communityA1().path())
			.containsEntry("district_id", this.nodes.districtOf(this.tree.communityA1().id()));
	}

	/**
	 * A path or district sent with a row is checked against its node by the key (V128),
	 * not trusted: a row placed under one community with another's path is refused, and
	 * the COPY leaves nothing.
	 */
	@Test
	void aPathOrDistrictNotTheNodesIsRefused() {
		long node = this.tree.communityA1().id();
		long[] ids = this.transactions.execute(status -> this.records.reserveIds(2));
		ResidentRecords.Sealed otherPath = placed(ids[0], node, this.tree.communityB1().path(),
				this.nodes.districtOf(node));
		ResidentRecords.Sealed otherDistrict = placed(ids[1], node, this.tree.communityA1().path(),
				this.nodes.districtOf(node) + 1);
		for (ResidentRecords.Sealed wrong : List.of(otherPath, otherDistrict)) {
			assertThatThrownBy(() -> this.transactions.executeWithoutResult(status -> this.records
				.insertAll(List.of(placed(ids[0] == wrong.id() ? ids[1] : ids[0], node, null, null), wrong))))
				.isInstanceOf(DataIntegrityViolationException.class)
				.hasMessageContaining("resident_node_place_fkey");
		}
		assertThat(this.jdbc.sql("select count(*) from resident").query(Long.class).single()).isZero();
		// Both given and right: written as sent.
		this.transactions.executeWithoutResult(status -> this.records
			.insertAll(List.of(placed(ids[0], node, this.tree.communityA1().path(), this.nodes.districtOf(node)))));
		assertThat(this.jdbc.sql("select path from resident").query(String.class).list())
			.containsExactly(this.tree.communityA1().path());
	}

	private ResidentRecords.Sealed placed(long id, long node, String path, Long district) {
		return new ResidentRecords.Sealed(id, node, null, "钱七", "PASSPORT", null, null, null, null, null, null, null,
				null, null, "OTHER", List.of(), "RESIDENT", null, null, path, district);
	}

	@Test
	void rowsSealedWhileTheyAreSentAllArriveInOrder() {
		int count = ResidentRecords.COPY_PIECE * 3 + 5;
		long[] ids = this.transactions.execute(status -> this.records.reserveIds(count));
		List<Integer> numbers = java.util.stream.IntStream.range(0, count).boxed().toList();
		List<Integer> sealed = new java.util.ArrayList<>();
		this.transactions.executeWithoutResult(status -> this.records.insertAll(numbers, n -> {
			sealed.add(n);
			return resident(ids[n], "居民" + n);
		}));
		assertThat(sealed).isEqualTo(numbers);
		assertThat(this.jdbc.sql("select id, name from resident order by id")
			.query((rs, i) -> rs.getLong(1) + ":" + rs.getString(2))
			.list()).isEqualTo(numbers.stream().map(n -> ids[n] + ":居民" + n).toList());
	}

	@Test
	void aRowThatCannotBeSealedAbandonsTheWholeCopy() {
		int count = ResidentRecords.COPY_PIECE * 2 + 10;
		long[] ids = this.transactions.execute(status -> this.records.reserveIds(count));
		List<Integer> numbers = java.util.stream.IntStream.range(0, count).boxed().toList();
		// Two pieces are already on their way when the third one's row fails.
		int failing = ResidentRecords.COPY_PIECE * 2 + 3;
		assertThatThrownBy(() -> this.transactions.executeWithoutResult(status -> this.records.insertAll(numbers, n -> {
			if (n == failing) {
				throw new IllegalStateException("no key");
			}
			return resident(ids[n], "居民" + n);
		}))).isInstanceOf(IllegalStateException.class).hasMessage("no key");
		assertThat(this.jdbc.sql("select count(*) from resident").query(Long.class).single()).isZero();
		// The connection went back to the pool fit for the next transaction.
		this.transactions.executeWithoutResult(status -> this.records.insertAll(List.of(resident(ids[0], "王五"))));
		assertThat(this.jdbc.sql("select name from resident").query(String.class).list()).containsExactly("王五");
	}

	private ResidentRecords.Sealed resident(long id, String name) {
		return new ResidentRecords.Sealed(id, this.tree.communityA1().id(), null, name, "PASSPORT", null, null, null,
				null, null, null, null, null, null, "OTHER", List.of(), "RESIDENT", null, null, null, null);
	}

	@Test
	void nothingToWriteSendsNothing() {
		this.transactions.executeWithoutResult(status -> this.records.insertAll(List.of()));
		assertThat(this.jdbc.sql("select count(*) from resident").query(Long.class).single()).isZero();
	}

}
