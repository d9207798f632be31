package org.fangxian.registry;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.postgresql.PGStatement;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Resident storage. Values arrive already encrypted; no method here sees a plain ID
 * number.
 */
@Repository
class ResidentRecords {

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	ResidentRecords(JdbcClient jdbc, JdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
	}

	/**
	 * A row ready to write: personal fields encrypted, hashed and masked by the caller.
	 */
	record Sealed(long id, long nodeId, Long householdId, String name, String idType, byte[] idCipher, byte[] idHash,
			String idMasked, byte[] phoneCipher, byte[] phoneHash, String phoneMasked, LocalDate birthDate, String sex,
			String relation, List<String> tags, String status, String note, String address) {
	}

	/** What is compared when a roster row meets an existing record. */
	record Stored(long id, long nodeId, Long householdId, String path, String name, byte[] idHash, byte[] phoneHash,
			String relation, List<String> tags, String status, String note) {

		boolean hasId() {
			return this.idHash != null;
		}

	}

	/** A full row, personal fields still encrypted. */
	record Row(long id, long nodeId, Long householdId, String path, String name, String idType, byte[] idCipher,
			String idMasked, byte[] phoneCipher, String phoneMasked, LocalDate birthDate, String sex, String relation,
			List<String> tags, String status, String note, String address) {
	}

	private static final String STORED = """
			select id, node_id, household_id, path, name, id_hash, phone_hash, relation, tags, status, note
			from resident """;

	private static final String ROW = """
			select id, node_id, household_id, path, name, id_type, id_cipher, id_masked, phone_cipher, phone_masked,
			       birth_date, sex, relation, tags, status, note, address from resident """;

	List<Stored> findByIdHashes(List<byte[]> hashes) {
		if (hashes.isEmpty()) {
			return List.of();
		}
		return this.template.query(STORED + " where id_hash = any(?)",
				ps -> ps.setArray(1, byteaArray(ps.getConnection(), hashes)), (rs, i) -> stored(rs));
	}

	/** Someone of this name and phone (or no phone) at the same place, oldest first. */
	Optional<Stored> findAtPlace(long nodeId, Long householdId, String name, byte[] phoneHash) {
		return this.template
			.query(STORED + " " + """
					where node_id = ? and household_id is not distinct from ? and name = ?
					  and phone_hash is not distinct from ? order by id limit 1""", (rs, i) -> stored(rs), nodeId,
					householdId, name, phoneHash)
			.stream()
			.findFirst();
	}

	Optional<Row> findById(long id) {
		return this.template.query(ROW + " where id = ?", (rs, i) -> row(rs), id).stream().findFirst();
	}

	List<Row> findByIdHash(byte[] hash, String scopePattern) {
		return this.template.query(ROW + " where id_hash = ? and path like ?", (rs, i) -> row(rs), hash, scopePattern);
	}

	/**
	 * One page of a subtree, newest first, optionally filtered. Keyset paging
	 * ({@code id < after}) keeps the last page as fast as the first on a million rows.
	 *
	 * <p>
	 * Planned afresh for every call: the best plan depends on the values (a rare address
	 * fragment wants the trigram index, a whole community walks the primary key
	 * backwards), and the generic plan PostgreSQL settles on for a reused prepared
	 * statement walks the primary key for all of them, reading most of the table for a
	 * rare match (see docs/benchmarks.md).
	 */
	List<Row> page(String scopePattern, String text, List<byte[]> idHashes, byte[] phoneHash, Long after, int limit) {
		StringBuilder sql = new StringBuilder(ROW).append(" where path like ?");
		List<Object> args = new ArrayList<>(List.of(scopePattern));
		if (idHashes != null) {
			sql.append(" and id_hash in (")
				.append(String.join(", ", java.util.Collections.nCopies(idHashes.size(), "?")))
				.append(')');
			args.addAll(idHashes);
		}
		if (phoneHash != null) {
			sql.append(" and phone_hash = ?");
			args.add(phoneHash);
		}
		if (text != null) {
			sql.append(" and (name like ? or address like ?)");
			String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
			args.add(like);
			args.add(like);
		}
		if (after != null) {
			sql.append(" and id < ?");
			args.add(after);
		}
		sql.append(" order by id desc limit ?");
		args.add(limit);
		return this.template.query(connection -> {
			PreparedStatement ps = connection.prepareStatement(sql.toString());
			if (ps.isWrapperFor(PGStatement.class)) {
				ps.unwrap(PGStatement.class).setPrepareThreshold(0);
			}
			new ArgumentPreparedStatementSetter(args.toArray()).setValues(ps);
			return ps;
		}, (rs, i) -> row(rs));
	}

	List<Row> inHousehold(long householdId) {
		return this.template.query(ROW + " where household_id = ? order by relation = 'HEAD' desc, id",
				(rs, i) -> row(rs), householdId);
	}

	/**
	 * Reserves ids so a batch can be written with plain INSERTs and still be reported row
	 * by row.
	 */
	long[] reserveIds(int count) {
		return this.jdbc.sql("select nextval('resident_id_seq') from generate_series(1, :n)")
			.param("n", count)
			.query(Long.class)
			.list()
			.stream()
			.mapToLong(Long::longValue)
			.toArray();
	}

	void insertAll(List<Sealed> rows) {
		this.template.batchUpdate("""
				insert into resident (id, node_id, household_id, name, id_type, id_cipher, id_hash, id_masked,
				    phone_cipher, phone_hash, phone_masked, birth_date, sex, relation, tags, status, note, address)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows, 1000, (ps, r) -> {
			ps.setLong(1, r.id());
			bindCommon(ps, r, 2);
		});
	}

	void updateAll(List<Sealed> rows) {
		this.template.batchUpdate("""
				update resident set node_id = ?, household_id = ?, name = ?, id_type = ?, id_cipher = ?, id_hash = ?,
				    id_masked = ?, phone_cipher = ?, phone_hash = ?, phone_masked = ?, birth_date = ?, sex = ?,
				    relation = ?, tags = ?, status = ?, note = ?, address = ?, updated_at = now(), version = version + 1
				where id = ?""", rows, 1000, (ps, r) -> {
			bindCommon(ps, r, 1);
			ps.setLong(18, r.id());
		});
	}

	private static void bindCommon(PreparedStatement ps, Sealed r, int first) throws SQLException {
		int i = first;
		ps.setLong(i++, r.nodeId());
		ps.setObject(i++, r.householdId(), Types.BIGINT);
		ps.setString(i++, r.name());
		ps.setString(i++, r.idType());
		ps.setBytes(i++, r.idCipher());
		ps.setBytes(i++, r.idHash());
		ps.setString(i++, r.idMasked());
		ps.setBytes(i++, r.phoneCipher());
		ps.setBytes(i++, r.phoneHash());
		ps.setString(i++, r.phoneMasked());
		ps.setObject(i++, r.birthDate(), Types.DATE);
		ps.setString(i++, r.sex());
		ps.setString(i++, r.relation());
		ps.setArray(i++, ps.getConnection().createArrayOf("text", r.tags().toArray()));
		ps.setString(i++, r.status());
		ps.setString(i++, r.note());
		ps.setString(i, r.address());
	}

	private static Array byteaArray(Connection connection, List<byte[]> values) throws SQLException {
		return connection.createArrayOf("bytea", values.toArray(new byte[0][]));
	}

	private static List<String> tags(ResultSet rs) throws SQLException {
		Array array = rs.getArray("tags");
		return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
	}

	private static Stored stored(ResultSet rs) throws SQLException {
		return new Stored(rs.getLong("id"), rs.getLong("node_id"), rs.getObject("household_id", Long.class),
				rs.getString("path"), rs.getString("name"), rs.getBytes("id_hash"), rs.getBytes("phone_hash"),
				rs.getString("relation"), tags(rs), rs.getString("status"), rs.getString("note"));
	}

	private static Row row(ResultSet rs) throws SQLException {
		return new Row(rs.getLong("id"), rs.getLong("node_id"), rs.getObject("household_id", Long.class),
				rs.getString("path"), rs.getString("name"), rs.getString("id_type"), rs.getBytes("id_cipher"),
				rs.getString("id_masked"), rs.getBytes("phone_cipher"), rs.getString("phone_masked"),
				rs.getObject("birth_date", LocalDate.class), rs.getString("sex"), rs.getString("relation"), tags(rs),
				rs.getString("status"), rs.getString("note"), rs.getString("address"));
	}

}
