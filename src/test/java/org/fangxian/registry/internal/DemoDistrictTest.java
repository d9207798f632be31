package org.fangxian.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import org.fangxian.IntegrationTest;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.IdNumber;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * The demo district, loaded into the database all tests share: every count is limited to
 * the 共乐街道 subtree, which no other test touches.
 */
class DemoDistrictTest extends IntegrationTest {

	@Autowired
	private DemoDistrict demo;

	@Autowired
	private PersonalDataProtection protection;

	private record Counts(long nodes, long households, long residents, long accounts) {
	}

	@Test
	void fillsGongleStreetOnceWithValidPeople() {
		DemoDistrict.Summary first = this.demo.load();

		assertThat(this.jdbc.sql("select name from division_node where code = '230102000000'")
			.query(String.class)
			.single()).isEqualTo("道里区");
		String street = this.jdbc.sql("select path from division_node where code = '230102004000' and name = '共乐街道'")
			.query(String.class)
			.single();
		Map<String, String> communities = this.jdbc
			.sql("select code, name from division_node where path like :p and kind = 'COMMUNITY'")
			.param("p", street + "%")
			.query((rs, i) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
		assertThat(communities).hasSize(12)
			.containsEntry("230102004001", "福乐湾社区")
			.containsEntry("230102004006", "福同社区")
			.containsEntry("230102004010", "民安街社区")
			.containsEntry("230102004012", "民茂社区");

		Counts counts = counts(street);
		assertThat(counts.households()).isBetween(5_500L, 6_500L);
		assertThat(counts.residents()).isBetween(14_000L, 16_000L);
		assertThat(first.imported()).isEqualTo(12);
		assertThat(first.rejected()).isZero();
		assertThat(first.accounts()).containsExactly("demo-street", "demo-worker", "demo-guard", "demo-sampler",
				"demo-volunteer");
		// Households sit in units of buildings of compounds, in every community.
		assertThat(count("""
				select count(distinct c.id) from division_node c
				join division_node u on u.path like c.path || '%' and u.kind = 'UNIT'
				join household h on h.node_id = u.id
				where c.path like :p and c.kind = 'COMMUNITY'""", street)).isEqualTo(12);
		assertThat(count("select count(*) from resident where path like :p and 'ELDERLY_ALONE' = any(tags)", street))
			.isBetween(300L, 600L);
		assertThat(
				count("select count(*) from resident where path like :p and birth_date <= date '1944-12-31'", street))
			.isPositive();

		assertThat(this.jdbc.sql("select id_cipher from resident where path like :p")
			.param("p", street + "%")
			.query((rs, i) -> this.protection.decrypt(rs.getBytes(1)))
			.list()).hasSize((int) counts.residents()).allSatisfy(id -> {
				assertThat(IdNumber.check(id, null).valid()).as(id).isTrue();
				assertThat(id).startsWith("230102");
			});

		DemoDistrict.Summary second = this.demo.load();

		assertThat(second.imported()).isZero();
		assertThat(second.accounts()).isEmpty();
		assertThat(counts(street)).isEqualTo(counts);
	}

	private Counts counts(String street) {
		return new Counts(count("select count(*) from division_node where path like :p", street),
				count("select count(*) from household where path like :p", street),
				count("select count(*) from resident where path like :p", street),
				count("select count(*) from account where username like 'demo-%'", street));
	}

	private long count(String sql, String street) {
		return this.jdbc.sql(sql).param("p", street + "%").query(Long.class).single();
	}

}
