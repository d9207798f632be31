package org.fangxian.reporting;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Gate rows written straight to the checkpoint tables: the counting triggers see them
 * like any scan.
 */
final class CheckpointSeed {

	private CheckpointSeed() {
	}

	/** A checkpoint at the node and {@code n} allowed passages in, now. */
	static long passages(JdbcClient jdbc, long nodeId, int n) {
		long checkpoint = jdbc
			.sql("insert into checkpoint (node_id, path, name) values (:node, '', :name) returning id")
			.param("node", nodeId)
			.param("name", "门" + UUID.randomUUID().toString().substring(0, 6))
			.query(Long.class)
			.single();
		for (int i = 0; i < n; i++) {
			jdbc.sql(
					"""
							insert into gate_scan (checkpoint_id, idempotency_key, direction, method, decision, reason, account_id)
							values (:c, :k, 'IN', 'QR', 'ALLOW', 'gate.allow', 0)""")
				.param("c", checkpoint)
				.param("k", UUID.randomUUID().toString())
				.update();
		}
		return checkpoint;
	}

}
