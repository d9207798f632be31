package org.fangxian.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.fangxian.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Benchmark, not a test (excluded from surefire): what each gate scan pays for the
 * dashboard's counter (the {@code gate_scan_counted} trigger's upsert into
 * {@code gate_day_count}). The gate's own insert, one per transaction as the scan
 * endpoint commits it, with the trigger on (B) and off (A), interleaved A/B/A/B in the
 * same run on the same table, at 1 and 8 connections; durable commits (fsync on) as in
 * production. 8 connections write to 4 checkpoints, so two posts of a gate contend for
 * one counter row.
 */
@TestPropertySource(properties = { "fangxian.embedded-db.durable=true" })
class GateCounterBenchmark extends IntegrationTest {

	private static final int ROWS = Integer.getInteger("bench.rows", 4_000);

	private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

	@Autowired
	DataSource dataSource;

	@Test
	void costOfTheCounterPerScan() throws Exception {
		var tree = this.data.tree();
		List<Long> gates = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			gates.add(this.jdbc.sql("insert into checkpoint (node_id, path, name) values (:n, '', :name) returning id")
				.param("n", tree.communityA1().id())
				.param("name", "门" + i)
				.query(Long.class)
				.single());
		}
		StringBuilder md = new StringBuilder(
				"| connections | counter | rows/s | p50 ms | p99 ms |\n|---|---|---|---|---|\n");
		for (int threads : new int[] { 1, 8 }) {
			for (int round = 0; round < ROUNDS; round++) {
				for (boolean counter : new boolean[] { false, true }) {
					this.jdbc
						.sql("alter table gate_scan " + (counter ? "enable" : "disable") + " trigger gate_scan_counted")
						.update();
					double[] result = run(threads, gates);
					String row = String.format("| %d | %s | %.0f | %.2f | %.2f |%n", threads, counter ? "on" : "off",
							result[0], result[1], result[2]);
					System.out.print("[gate-counter-bench] " + row);
					md.append(row);
				}
			}
		}
		this.jdbc.sql("alter table gate_scan enable trigger gate_scan_counted").update();
		Path out = Path.of("target", "bench");
		Files.createDirectories(out);
		Files.writeString(out.resolve("gate-counter-benchmark.md"), md.toString(), StandardCharsets.UTF_8);
		System.out.println(md);
	}

	/**
	 * rows/s, p50 and p99 ms of single-row autocommit inserts shaped like a gate scan.
	 */
	private double[] run(int threads, List<Long> gates) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		int perThread = ROWS / threads;
		long start = System.nanoTime();
		List<Future<double[]>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			long gate = gates.get(t % gates.size());
			futures.add(pool.submit(() -> {
				double[] ms = new double[perThread];
				try (Connection c = this.dataSource.getConnection();
						PreparedStatement insert = c.prepareStatement(
								"""
										insert into gate_scan (checkpoint_id, idempotency_key, direction, method, decision, reason, account_id, temperature)
										values (?, ?, 'IN', 'QR', 'ALLOW', 'gate.allow', 0, 36.5)
										on conflict (district_id, checkpoint_id, idempotency_key) do nothing returning id""")) {
					c.setAutoCommit(true);
					for (int i = 0; i < perThread; i++) {
						long t0 = System.nanoTime();
						insert.setLong(1, gate);
						insert.setString(2, UUID.randomUUID().toString());
						insert.executeQuery().close();
						ms[i] = (System.nanoTime() - t0) / 1e6;
					}
				}
				return ms;
			}));
		}
		List<Double> all = new ArrayList<>();
		for (Future<double[]> f : futures) {
			for (double v : f.get()) {
				all.add(v);
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		pool.shutdown();
		double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		return new double[] { sorted.length / seconds, sorted[sorted.length / 2],
				sorted[(int) Math.ceil(sorted.length * 0.99) - 1] };
	}

}
