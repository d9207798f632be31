package org.fangxian;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * V102 and V103 on a database that has rows (the shared test database starts empty): an
 * installation's scans and audit events of earlier months move into their months'
 * partitions, counted once, alerts keep their scan, and the rules hold after.
 */
@Tag("integration")
class MonthlyPartitionsMigrationTest {

	@Test
	void rowsOfEarlierMonthsMoveIntoTheirPartitionsCountedOnceAndTheRulesHold() throws Exception {
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
			DataSource source = postgres.getPostgresDatabase();
			JdbcClient jdbc = JdbcClient.create(source);
			jdbc.sql("create extension if not exists pg_trgm").update();
			jdbc.sql("create extension if not exists btree_gist").update();
			Flyway.configure().dataSource(source).locations("classpath:db/migration").target("93").load().migrate();

			long node = jdbc.sql("""
					insert into division_node (kind, code, name, path) values ('DISTRICT', '990000000001', '测试区', '')
					returning id""").query(Long.class).single();
			long gate = jdbc.sql("insert into checkpoint (node_id, path, name) values (:n, '', '东门') returning id")
				.param("n", node)
				.query(Long.class)
				.single();
			Instant old = Instant.now().minus(70, ChronoUnit.DAYS);
			long scan = 0;
			for (Instant at : new Instant[] { old, old.plusSeconds(60), Instant.now() }) {
				scan = jdbc
					.sql("""
							insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, direction, method, decision, reason, account_id)
							values (:k, gen_random_uuid()::text, :at, 'IN', 'ID', 'DENY', 'gate.deny.fever', 1) returning id""")
					.param("k", gate)
					.param("at", Timestamp.from(at))
					.query(Long.class)
					.single();
				if (at == old) {
					jdbc.sql("""
							insert into checkpoint_alert (checkpoint_id, path, scan_id, kind)
							values (:k, (select path from checkpoint where id = :k), :s, 'FEVER')""")
						.param("k", gate)
						.param("s", scan)
						.update();
				}
			}
			jdbc.sql("insert into audit_event (at, actor, action) values (:at, 'someone', 'TEST')")
				.param("at", Timestamp.from(old))
				.update();
			long counted = jdbc.sql("select sum(denied) from gate_day_count where checkpoint_id = :k")
				.param("k", gate)
				.query(Long.class)
				.single();

			Flyway.configure().dataSource(source).locations("classpath:db/migration").load().migrate();

			assertThat(jdbc.sql("select count(*) from gate_scan where checkpoint_id = :k")
				.param("k", gate)
				.query(Long.class)
				.single()).isEqualTo(3);
			assertThat(jdbc.sql("select count(*) from gate_scan_default").query(Long.class).single())
				.as("every row in its month's partition")
				.isZero();
			assertThat(jdbc.sql("select count(distinct tableoid) from gate_scan").query(Long.class).single())
				.isEqualTo(2);
			assertThat(jdbc.sql("select sum(denied) from gate_day_count where checkpoint_id = :k")
				.param("k", gate)
				.query(Long.class)
				.single()).as("moved, not counted again").isEqualTo(counted).isEqualTo(3);
			assertThat(jdbc
				.sql("""
						select count(*) from checkpoint_alert a join gate_scan s on s.id = a.scan_id and s.scanned_at = a.scan_at""")
				.query(Long.class)
				.single()).as("the alert finds its scan").isEqualTo(1);
			// The retry key and the triggers work on the new table.
			assertThat(jdbc
				.sql("""
						insert into gate_scan (checkpoint_id, idempotency_key, scanned_at, method, decision, reason, account_id)
						select checkpoint_id, idempotency_key, scanned_at, method, decision, reason, account_id from gate_scan
						on conflict (district_id, checkpoint_id, idempotency_key, scanned_at) do nothing""")
				.update()).isZero();
			assertThat(jdbc.sql("select count(*) from gate_scan where district_id is null").query(Long.class).single())
				.isZero();
			assertThat(jdbc.sql(
					"select count(*) from audit_event where actor = 'someone' and tableoid <> 'audit_event_default'::regclass")
				.query(Long.class)
				.single()).isEqualTo(1);
			assertThatThrownBy(() -> jdbc.sql("delete from audit_event").update()).hasMessageContaining("append-only");
			assertThat(jdbc.sql("select nextval('gate_scan_id_seq') > :last")
				.param("last", scan)
				.query(Boolean.class)
				.single()).isTrue();
		}
	}

}
