package org.fangxian.checkpoint.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a scan decides on, read in one statement: the pass's row (QR), the resident with
 * their identity, and every restriction's facts ({@code EntryRestriction.factSql}). When
 * the gate is busy the reads of the scans that arrive together share one statement
 * ({@link Batcher}): the statement's fixed cost, the start of an executor over the pass,
 * the resident and each restriction's tables, is most of a lone read's (issue 17).
 */
final class ScanReads implements AutoCloseable {

	/**
	 * A scan's question: by its pass ({@code passId}) or by the lookup hash of a typed ID
	 * number ({@code idHash}). {@code at} and {@code today} are bound as the statement
	 * binds them; several are read together only when both are text.
	 */
	record Ask(Long passId, byte[] idHash, Object at, Object today, boolean out) {

		boolean byPass() {
			return this.passId != null;
		}

		boolean batchable() {
			return this.at instanceof SqlParameterValue at && at.getValue() instanceof String
					&& this.today instanceof SqlParameterValue today && today.getValue() instanceof String;
		}

	}

	/** What the read found; empty when neither pass nor resident was found. */
	record Read(boolean passFound, Long passResident, boolean passRevoked, Optional<ResidentSnapshot> resident,
			ResidentDirectory.Identity identity, String[] facts) {
	}

	/**
	 * The names a restriction's facts may use ({@code EntryRestriction.factSql}): bound
	 * for one scan, a column of the scan's row when several are read together.
	 */
	private static final Pattern PER_SCAN = Pattern.compile("(?<![:\\w]):(at|today|out)\\b");

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final List<String> facts;

	private final String byPass;

	private final String byId;

	private final String batchByPass;

	private final String batchById;

	/** Null: every scan reads alone. */
	private final Batcher<Ask, Optional<Read>> batcher;

	/**
	 * @param facts each restriction's facts, null where a restriction has none
	 * @param template null for no shared reads
	 * @param threads readers of its own; none: {@link #read} reads alone, and batches are
	 * read only through {@link #readAll} ({@link ScanPipeline})
	 */
	ScanReads(JdbcClient jdbc, JdbcTemplate template, ResidentDirectory directory, List<String> facts, int threads,
			int size) {
		this.jdbc = jdbc;
		this.template = template;
		this.facts = facts;
		StringBuilder columns = new StringBuilder();
		for (int i = 0; i < facts.size(); i++) {
			if (facts.get(i) != null) {
				columns.append(",\n       (").append(facts.get(i)).append(")::text as fact_").append(i);
			}
		}
		String passColumns = "true as pass_found, p.resident_id as pass_resident, p.revoked_at is not null as pass_revoked, gate_resident.*";
		String idColumns = "false as pass_found, null::bigint as pass_resident, false as pass_revoked, gate_resident.*";
		String byResident = "left join lateral (" + directory.rowById("p.resident_id").sql()
				+ ") gate_resident on true";
		this.byPass = "select " + passColumns + columns + "\nfrom resident_pass p " + byResident
				+ "\nwhere p.id = :pass";
		this.byId = "select " + idColumns + columns + "\nfrom (" + directory.rowByIdHash(":residentIdHash").sql()
				+ ") gate_resident";
		String perScan = PER_SCAN.matcher(columns).replaceAll("q.$1");
		if (!NamedParameterUtils.parseSqlStatementIntoString(perScan).equals(perScan)) {
			throw new IllegalStateException(
					"A restriction's facts name a parameter other than :at, :today and :out: " + perScan);
		}
		String asked = "cast(? as timestamptz[]), cast(? as date[]), cast(? as boolean[])) with ordinality as q(";
		this.batchByPass = "select q.n, " + passColumns + perScan + "\nfrom unnest(cast(? as bigint[]), " + asked
				+ "pass, at, today, out, n)\njoin resident_pass p on p.id = q.pass " + byResident;
		this.batchById = "select q.n, " + idColumns + perScan + "\nfrom unnest(cast(? as bytea[]), " + asked
				+ "hash, at, today, out, n)\njoin lateral (" + directory.rowByIdHash("q.hash").sql()
				+ ") gate_resident on true";
		this.batcher = template == null || threads == 0 ? null
				: new Batcher<>("gate-scan-reader", this::readAll, this::readAlone, threads, size);
	}

	/**
	 * Reads alone or with others. {@code together}: whether the caller may share (not
	 * inside a transaction of its own, whose uncommitted rows another connection would
	 * not see).
	 */
	Optional<Read> read(Ask ask, boolean together) {
		return this.batcher != null && together && ask.batchable() ? this.batcher.submit(ask) : readAlone(ask);
	}

	Optional<Read> readAlone(Ask ask) {
		Map<String, Object> params = new HashMap<>();
		params.put("at", ask.at());
		params.put("today", ask.today());
		params.put("out", ask.out());
		if (ask.byPass()) {
			params.put("pass", ask.passId());
		}
		else {
			params.put("residentIdHash", ask.idHash());
		}
		return this.jdbc.sql(ask.byPass() ? this.byPass : this.byId)
			.params(params)
			.query((rs, n) -> read(rs))
			.optional();
	}

	List<Optional<Read>> readAll(List<Ask> asks) {
		List<Optional<Read>> found = new ArrayList<>(asks.size());
		asks.forEach(ask -> found.add(Optional.empty()));
		List<Integer> byPass = new ArrayList<>();
		List<Integer> byId = new ArrayList<>();
		for (int i = 0; i < asks.size(); i++) {
			(asks.get(i).byPass() ? byPass : byId).add(i);
		}
		readAll(asks, byPass, this.batchByPass, found);
		readAll(asks, byId, this.batchById, found);
		return found;
	}

	private void readAll(List<Ask> asks, List<Integer> which, String sql, List<Optional<Read>> found) {
		if (which.isEmpty()) {
			return;
		}
		this.template.query(connection -> statement(connection, sql, asks, which), (ResultSet rs) -> {
			while (rs.next()) {
				found.set(which.get(rs.getInt("n") - 1), Optional.of(read(rs)));
			}
			return null;
		});
	}

	private static PreparedStatement statement(Connection connection, String sql, List<Ask> asks, List<Integer> which)
			throws SQLException {
		int n = which.size();
		String[][] columns = new String[4][n];
		HexFormat hex = HexFormat.of();
		for (int i = 0; i < n; i++) {
			Ask ask = asks.get(which.get(i));
			columns[0][i] = ask.byPass() ? ask.passId().toString() : "\\x" + hex.formatHex(ask.idHash());
			columns[1][i] = (String) ((SqlParameterValue) ask.at()).getValue();
			columns[2][i] = (String) ((SqlParameterValue) ask.today()).getValue();
			columns[3][i] = Boolean.toString(ask.out());
		}
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int c = 0; c < columns.length; c++) {
			statement.setArray(c + 1, connection.createArrayOf("text", columns[c]));
		}
		return statement;
	}

	private Read read(ResultSet rs) throws SQLException {
		String[] values = new String[this.facts.size()];
		Optional<ResidentSnapshot> resident = ResidentDirectory.snapshot(rs);
		if (resident.isPresent()) {
			for (int i = 0; i < values.length; i++) {
				if (this.facts.get(i) != null) {
					values[i] = rs.getString("fact_" + i);
				}
			}
		}
		return new Read(rs.getBoolean("pass_found"), rs.getObject("pass_resident", Long.class),
				rs.getBoolean("pass_revoked"), resident, resident.isPresent() ? ResidentDirectory.identity(rs) : null,
				values);
	}

	@Override
	public void close() {
		if (this.batcher != null) {
			this.batcher.close();
		}
	}

}
