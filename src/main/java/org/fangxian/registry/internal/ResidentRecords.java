package org.fangxian.registry.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.postgresql.PGConnection;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Resident storage. Values arrive already encrypted; no method here sees a plain ID
 * number.
 */
@Repository
public class ResidentRecords {

	private static final Logger log = LoggerFactory.getLogger(ResidentRecords.class);

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	ResidentRecords(JdbcClient jdbc, JdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
	}

	/**
	 * A row ready to write: personal fields encrypted, hashed and masked by the caller.
	 *
	 * @param path the node's path, and {@code districtId} its district: both or either
	 * null on insert lets the database fill them in from the node; given, its key checks
	 * them (V128). Not written by {@link #updateAll}, where a move fills them in.
	 */
	public record Sealed(long id, long nodeId, Long householdId, String name, String idType, byte[] idCipher,
			byte[] idHash, String idMasked, byte[] phoneCipher, byte[] phoneHash, byte[] phoneTailHash,
			String phoneMasked, LocalDate birthDate, String sex, String relation, List<String> tags, String status,
			String note, String address, String path, Long districtId) {
	}

	/** What is compared when a roster row meets an existing record. */
	record Stored(long id, long nodeId, Long householdId, String path, String name, byte[] idHash, byte[] phoneHash,
			String relation, List<String> tags, String status, String note) {

		boolean hasId() {
			return this.idHash != null;
		}

	}

	/** A full row, personal fields still encrypted. */
	public record Row(long id, long nodeId, Long householdId, String path, String name, String idType, byte[] idCipher,
			String idMasked, byte[] phoneCipher, String phoneMasked, LocalDate birthDate, String sex, String relation,
			List<String> tags, String status, String note, String address) {
	}

	private static final String STORED = """
			select r.id, r.node_id, r.household_id, r.path, r.name, r.id_hash, r.phone_hash, r.relation, r.tags,
			       r.status, r.note
			from resident r """;

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

	/** A place and a name: whom a roster row without a stored ID number may be. */
	record NameAtPlace(long nodeId, Long householdId, String name) {
	}

	/**
	 * Everyone of these names at these places, oldest first, for a whole import chunk in
	 * one round trip (the caller tells them apart by phone).
	 */
	List<Stored> findAtPlaces(Collection<NameAtPlace> keys) {
		if (keys.isEmpty()) {
			return List.of();
		}
		Long[] nodes = keys.stream().map(NameAtPlace::nodeId).toArray(Long[]::new);
		Long[] households = keys.stream().map(NameAtPlace::householdId).toArray(Long[]::new);
		String[] names = keys.stream().map(NameAtPlace::name).toArray(String[]::new);
		return this.template.query(STORED + " " + """
				join unnest(?, ?, ?) as k(node_id, household_id, name)
				  on r.node_id = k.node_id and r.name = k.name and r.household_id is not distinct from k.household_id
				order by r.id""", ps -> {
			ps.setArray(1, ps.getConnection().createArrayOf("bigint", nodes));
			ps.setArray(2, ps.getConnection().createArrayOf("bigint", households));
			ps.setArray(3, ps.getConnection().createArrayOf("text", names));
		}, (rs, i) -> stored(rs));
	}

	public Optional<Row> findById(long id) {
		return this.template.query(ROW + " where id = ?", (rs, i) -> row(rs), id).stream().findFirst();
	}

	public List<Row> findByIdHash(byte[] hash, String scopePattern) {
		return this.template.query(ROW + " where id_hash = ? and path like ?", (rs, i) -> row(rs), hash, scopePattern);
	}

	/**
	 * What a page of residents is filtered by; null fields do not filter.
	 *
	 * @param scopePattern the subtree's path pattern ({@code /1/2/%})
	 * @param districts the districts the scope reaches ({@link #districtsUnder}), asked
	 * once by the caller for a page, its count, or every page of an export
	 * @param wholeDistricts the scope is a district or more (a city, the installation):
	 * its districts are then the whole scope, and its path is not asked
	 * @param smallScope the scope is a building or a unit (a few hundred people at most)
	 * @param text part of a name or address
	 * @param phoneHash the keyed hash of a whole phone; comes with the hash of its last
	 * four digits, by whose index it is found
	 * @param phoneTailHash the keyed hash of a phone's last four digits
	 * @param tailsPending some stored phones still lack their tail's hash
	 * ({@link PhoneTails#pending()}): a whole phone is then also looked for among those
	 * @param status a {@link ResidentStatus} name
	 * @param tag a {@link ResidentTag} name
	 */
	public record Criteria(String scopePattern, List<Long> districts, boolean wholeDistricts, boolean smallScope,
			String text, List<byte[]> idHashes, byte[] phoneHash, byte[] phoneTailHash, boolean tailsPending,
			String status, String tag) {

		public Criteria {
			districts = List.copyOf(districts);
			if (text != null && text.isBlank()) {
				text = null;
			}
			if (phoneHash != null && phoneTailHash == null) {
				throw new IllegalArgumentException("a whole phone is searched with its tail's hash");
			}
		}

		/**
		 * Only the place is asked: every condition is on {@code resident_path}'s columns
		 * (district, path, id).
		 */
		boolean placeOnly() {
			return this.text == null && this.idHashes == null && this.phoneHash == null && this.phoneTailHash == null
					&& this.status == null && this.tag == null;
		}

	}

	/**
	 * One page of a subtree, newest first, optionally filtered. Keyset paging
	 * ({@code id < after}) keeps the last page as fast as the first on a million rows.
	 *
	 * <p>
	 * Planned afresh for every call: the best plan depends on the values (a rare address
	 * fragment wants the text index (V125), a whole community walks the primary key
	 * backwards), and the generic plan PostgreSQL settles on for a reused prepared
	 * statement walks the primary key for all of them, reading most of the table for a
	 * rare match (see docs/benchmarks.md).
	 */
	public List<Row> page(Criteria c, Long after, int limit) {
		Statement page = pageStatement(c, after, limit);
		return this.template.query(perCall(page.sql(), page.args()), (rs, i) -> row(rs));
	}

	/** A statement's text and its arguments, in order. */
	public record Statement(String sql, List<Object> args) {
	}

	/**
	 * The statement {@link #page} sends, for benchmarks that explain it (one text, not a
	 * copy that drifts).
	 */
	public Statement pageStatement(Criteria c, Long after, int limit) {
		StringBuilder where = new StringBuilder();
		List<Object> args = new ArrayList<>();
		where(c, where, args);
		if (after != null) {
			where.append(" and id < ?");
			args.add(after);
		}
		String sql;
		if (c.smallScope() && c.placeOnly()) {
			// A building's page asked by its place alone: the newest ids from the path
			// index (which holds them), then only those rows. Reading the building's
			// thousand rows to show 21 cost a block from the disk each when cold
			// (CitySimulation, 10 districts: 58.8 ms p99, 1.1 ms warm). id + 0: the
			// planner cannot tell from the ids how few they are and would walk the
			// primary key of the whole table.
			sql = ROW + " where id in (select id from resident" + where
					+ " order by id + 0 desc limit ?) order by id desc";
		}
		else if (c.smallScope()) {
			// A building's residents were imported together, so the planner cannot tell
			// from the ids how few they are and may walk the primary key of the whole
			// table: pick them by path first, then sort the few hundred.
			sql = "with scoped as materialized (" + ROW + where + ") select * from scoped order by id desc limit ?";
		}
		else if (c.text() != null && c.text().codePointCount(0, c.text().length()) >= 2) {
			// Not by walking the primary key backwards: the planner guesses a few hundred
			// matches for any fragment and walks the newest rows first, which are other
			// districts' once a district's are not the last imported (CitySimulation: 21
			// rows found after 260,000 read, 126 ms). Sorting by id + 0 leaves it the
			// district's text keys (V125) or the district's path, both bounded by the
			// district. A single character has neither index: walking the newest rows
			// finds a common one at once ("王", page 50: p50 2.6 ms walking, 320 ms
			// sorted).
			sql = ROW + where + " order by id + 0 desc limit ?";
		}
		else {
			sql = ROW + where + " order by id desc limit ?";
		}
		args.add(limit);
		return new Statement(sql, java.util.Collections.unmodifiableList(args));
	}

	/**
	 * How many residents match, counted up to {@code cap} (a district's million are not
	 * counted for a page's total).
	 */
	public long count(Criteria c, int cap) {
		StringBuilder where = new StringBuilder();
		List<Object> args = new ArrayList<>();
		where(c, where, args);
		args.add(cap);
		Long n = this.template.query(
				perCall("select count(*) from (select 1 from resident" + where + " limit ?) m", args),
				rs -> rs.next() ? rs.getLong(1) : 0L);
		return n == null ? 0 : n;
	}

	/** The districts a scope pattern reaches (V90's districts_under). */
	public List<Long> districtsUnder(String scopePattern) {
		return this.jdbc.sql("select unnest(districts_under(rtrim(:scope, '%')))")
			.param("scope", scopePattern)
			.query(Long.class)
			.list();
	}

	/**
	 * Beyond this many districts (a country-wide scope, never a city's 16-20) a text
	 * search is not asked of the text index once per district but filtered by its LIKE
	 * alone: the statement would grow by two parameters a district.
	 */
	public static final int MAX_KEYED_DISTRICTS = 64;

	private static void where(Criteria c, StringBuilder sql, List<Object> args) {
		// The district first (V122): the path and phone-tail indexes lead with it
		// and the text keys carry it (V125), so a district's search reads only its
		// own candidates, not the city's. The ids come as values: districts_under() in
		// a filter runs once per row read, and the planner estimates a known array
		// right.
		sql.append(" where district_id = any(?)");
		args.add(c.districts().toArray(Long[]::new));
		if (!c.wholeDistricts()) {
			// A district's path adds nothing to its id, and the planner, which takes
			// the two for independent, guessed a tenth of the district and AND-ed the
			// text index's few rows with the path index's million (CitySimulation,
			// 10 districts: a two-character name 254 ms, 0.4 ms without).
			sql.append(" and path like ?");
			args.add(c.scopePattern());
		}
		if (c.idHashes() != null) {
			sql.append(" and id_hash in (")
				.append(String.join(", ", java.util.Collections.nCopies(c.idHashes().size(), "?")))
				.append(')');
			args.addAll(c.idHashes());
		}
		if (c.phoneHash() != null) {
			// A whole phone is found by its tail's index (V121 dropped the index of the
			// whole phone's hash, a third random b-tree every imported row paid for).
			// Rows the tail backfill has not reached yet are found by the partial index
			// of those, only while there are any: the planner cannot know that its two
			// conditions almost never meet, and costs the OR as a tenth of the table.
			sql.append(c.tailsPending()
					? " and (phone_tail_hash = ? or (phone_cipher is not null and phone_tail_hash is null))"
					: " and phone_tail_hash = ?")
				.append(" and phone_hash = ?");
			args.add(c.phoneTailHash());
			args.add(c.phoneHash());
		}
		else if (c.phoneTailHash() != null) {
			sql.append(" and phone_tail_hash = ?");
			args.add(c.phoneTailHash());
		}
		if (c.status() != null) {
			sql.append(" and status = ?");
			args.add(c.status());
		}
		if (c.tag() != null) {
			sql.append(" and ? = any(tags)");
			args.add(c.tag());
		}
		if (c.text() != null) {
			String text = c.text();
			int districts = c.districts().size();
			if (text.codePointCount(0, text.length()) >= 2 && districts > 0 && districts <= MAX_KEYED_DISTRICTS) {
				// The text index (V125) finds every row of a district holding all of
				// the fragment's pairs; the LIKE below stays the exact test. Its keys
				// carry the district, so a scope over several districts asks for each.
				sql.append(" and (")
					.append(String.join(" or ", java.util.Collections.nCopies(districts,
							"registry_search_keys(district_id, name, address) @> registry_search_keys(?, ?, null)")))
					.append(')');
				for (Long district : c.districts()) {
					args.add(district);
					args.add(text);
				}
			}
			sql.append(" and (name like ? or address like ?)");
			String like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
			args.add(like);
			args.add(like);
		}
	}

	private static org.springframework.jdbc.core.PreparedStatementCreator perCall(String sql, List<Object> args) {
		return connection -> {
			PreparedStatement ps = connection.prepareStatement(sql);
			if (ps.isWrapperFor(PGStatement.class)) {
				ps.unwrap(PGStatement.class).setPrepareThreshold(0);
			}
			new ArgumentPreparedStatementSetter(args.toArray()).setValues(ps);
			return ps;
		};
	}

	public List<Row> inHousehold(long householdId) {
		return this.template.query(ROW + " where household_id = ? order by relation = 'HEAD' desc, id",
				(rs, i) -> row(rs), householdId);
	}

	/**
	 * Reserves ids so a batch can be written with plain INSERTs and still be reported row
	 * by row.
	 */
	public long[] reserveIds(int count) {
		return this.jdbc.sql("select nextval('resident_id_seq') from generate_series(1, :n)")
			.param("n", count)
			.query(Long.class)
			.list()
			.stream()
			.mapToLong(Long::longValue)
			.toArray();
	}

	/**
	 * Writes a chunk of new residents with one COPY: the server reads the rows as a
	 * stream instead of parsing and planning multi-row INSERTs of thousands of
	 * parameters, and the statement triggers (the living counts) run once for the chunk.
	 */
	public void insertAll(List<Sealed> rows) {
		insertAll(rows, Function.identity());
	}

	/** Rows sent to the server at a time while the rest are still being sealed. */
	static final int COPY_PIECE = 64;

	/**
	 * As {@link #insertAll(List)}, each row sealed (encrypted) only just before it is
	 * sent: the rows go out {@value #COPY_PIECE} at a time, so the server inserts the
	 * rows already sent, and keeps up their indexes, while this thread seals the rest (on
	 * two cores a roster import otherwise left one of them idle, the application and the
	 * database each waiting for the other). A failure while sealing abandons the COPY and
	 * is thrown as it is; the caller's transaction then rolls back.
	 */
	public <T> void insertAll(List<T> rows, Function<? super T, Sealed> seal) {
		if (rows.isEmpty()) {
			return;
		}
		this.template.execute((ConnectionCallback<Long>) connection -> {
			CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_RESIDENTS);
			try {
				CopyBinary piece = new CopyBinary(COPY_FIELDS, COPY_PIECE);
				int inPiece = 0;
				for (T row : rows) {
					append(piece, seal.apply(row));
					if (++inPiece == COPY_PIECE) {
						send(copy, piece.take());
						inPiece = 0;
					}
				}
				send(copy, piece.take());
				send(copy, CopyBinary.trailer());
				return copy.endCopy();
			}
			finally {
				if (copy.isActive()) {
					copy.cancelCopy();
				}
			}
		});
	}

	/**
	 * The indexes over random keys that a load into an empty table builds once after its
	 * rows instead of row by row: the ID number's and the phone tail's keyed hashes and
	 * the text index. Each insert into them lands on a random page; built once from the
	 * sorted rows they take 13-21 s for a million (the text index most of it), and the
	 * first import 68-77 s instead of 79-93 (docs/benchmarks.md, 2026-12-04). The cheap
	 * ones (sequential ids, the path, the household, the name at its place, which the
	 * load itself reads) stay.
	 */
	static final List<String> DEFERRED_INDEXES = List.of("resident_id_hash", "resident_phone_tail",
			"resident_search_keys");

	/**
	 * Starts a bulk load if no resident is stored yet, as pg_restore does: the table is
	 * locked for the rest of the caller's transaction, {@link #DEFERRED_INDEXES} and the
	 * table's foreign keys are dropped, and {@link BulkLoad#finish()} creates them again
	 * from their own definitions, as the migrations left them: the keys checked once over
	 * all the rows (one join, about a second) instead of a look-up and a row lock per row
	 * and key. For a million rows that halves the database's part of the COPY (35-38 s
	 * against 17-21 s on the database alone) and took the first import from 74-77 s to
	 * 66-68 s (docs/benchmarks.md, 2026-12-04, "the keys after the rows"). Everything is
	 * in the caller's transaction, so a failure or a crash puts the indexes and keys back
	 * with the rows gone.
	 * <p>
	 * Only for the installation's first load (a district's, on its own database), where
	 * nothing else can be read or written yet: while it runs, every other statement on
	 * {@code resident} waits for its commit, and so does every change to the tables its
	 * keys refer to (places and households: adding a key back needs them unchanged, and
	 * taking them at the start rather than the end means the load never waits for, or
	 * deadlocks with, another transaction holding them). Empty when the table has rows,
	 * when another transaction holds one of those tables for more than a second, or when
	 * the database account may not alter the table; the caller then writes row by row as
	 * usual.
	 */
	public Optional<BulkLoad> bulkLoadIfEmpty() {
		String lockTimeout = this.jdbc.sql("select current_setting('lock_timeout')").query(String.class).single();
		this.jdbc.sql("savepoint resident_bulk_load").update();
		try {
			this.jdbc.sql("select set_config('lock_timeout', '1s', true)").query(String.class).single();
			this.jdbc.sql("lock table resident in access exclusive mode").update();
			boolean empty = this.jdbc.sql("select not exists (select 1 from resident)").query(Boolean.class).single();
			List<String> definitions = this.jdbc.sql("""
					select pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid
					where i.indrelid = 'resident'::regclass and c.relname = any(:names) order by c.relname""")
				.param("names", DEFERRED_INDEXES.toArray(String[]::new))
				.query(String.class)
				.list();
			if (!empty || definitions.size() != DEFERRED_INDEXES.size()) {
				this.jdbc.sql("rollback to savepoint resident_bulk_load").update();
				return Optional.empty();
			}
			List<ForeignKey> keys = this.jdbc.sql("""
					select format('alter table resident drop constraint %I', conname),
					       format('alter table resident add constraint %I %s', conname, pg_get_constraintdef(oid)),
					       confrelid::regclass::text
					from pg_constraint where conrelid = 'resident'::regclass and contype = 'f' order by conname""")
				.query((rs, i) -> new ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3)))
				.list();
			String referenced = keys.stream()
				.map(ForeignKey::referenced)
				.distinct()
				.collect(java.util.stream.Collectors.joining(", "));
			if (!referenced.isEmpty()) {
				this.jdbc.sql("lock table " + referenced + " in share row exclusive mode").update();
			}
			for (String index : DEFERRED_INDEXES) {
				this.jdbc.sql("drop index " + index).update();
			}
			for (ForeignKey key : keys) {
				this.jdbc.sql(key.drop()).update();
			}
			for (String trigger : LIVING_COUNT_TRIGGERS) {
				this.jdbc.sql("alter table resident disable trigger " + trigger).update();
			}
			this.jdbc.sql("select set_config('lock_timeout', :value, true)")
				.param("value", lockTimeout)
				.query(String.class)
				.single();
			this.jdbc.sql("release savepoint resident_bulk_load").update();
			return Optional.of(new BulkLoad(definitions, keys.stream().map(ForeignKey::add).toList()));
		}
		catch (DataAccessException ex) {
			// Locked by someone else, or not the table's owner: the usual way, and the
			// transaction as it was.
			this.jdbc.sql("rollback to savepoint resident_bulk_load").update();
			return Optional.empty();
		}
	}

	/**
	 * V107's triggers that count living residents per place as rows are inserted and
	 * updated. A bulk load counts its rows once at the end instead (its updates only
	 * complete its own rows, so the end state is all there is to count): per chunk, a
	 * roster not in building order (sorted by name or ID number) touches a place per row,
	 * and the counts' rows, updated again in every chunk of one transaction, pile up
	 * versions that each later update walks (a million such rows: 97-99 s on the database
	 * alone, 27 s without the trigger).
	 */
	static final List<String> LIVING_COUNT_TRIGGERS = List.of("resident_living_counted_insert",
			"resident_living_counted_update");

	/**
	 * A foreign key of resident: how to drop it and add it back, and what it refers to.
	 */
	private record ForeignKey(String drop, String add, String referenced) {
	}

	/**
	 * A load into the empty table under way: its rows are stored ones for no look-up by
	 * the dropped indexes (an ID number seen is one of the load's own).
	 */
	public final class BulkLoad {

		private final List<String> indexes;

		private final List<String> keys;

		private BulkLoad(List<String> indexes, List<String> keys) {
			this.indexes = List.copyOf(indexes);
			this.keys = List.copyOf(keys);
		}

		/**
		 * Counts the living per place and turns the counting triggers on again, adds the
		 * foreign keys back, each checked over every row in one statement (a row naming
		 * no place fails the import here, as it would have failed its COPY), and builds
		 * the dropped indexes over the rows loaded (with a larger sort memory for this
		 * transaction only: the text index is built in memory-sized runs).
		 */
		public void finish() {
			ResidentRecords.this.jdbc.sql("select set_config('maintenance_work_mem', '256MB', true)")
				.query(String.class)
				.single();
			long start = System.nanoTime();
			// The table was empty, so every resident is the load's: counted by V107's own
			// rules (who lives here, how a count is added), all places in one statement.
			ResidentRecords.this.jdbc.sql("""
					select resident_living_count_add(array_agg(node_id), array_agg(path), array_agg(living))
					from (select node_id, min(path) as path, count(*) as living from resident
					      where resident_lives_here(status) group by node_id) per_place""").query().listOfRows();
			for (String trigger : LIVING_COUNT_TRIGGERS) {
				ResidentRecords.this.jdbc.sql("alter table resident enable trigger " + trigger).update();
			}
			for (String key : this.keys) {
				ResidentRecords.this.jdbc.sql(key).update();
			}
			long checked = System.nanoTime();
			for (String definition : this.indexes) {
				ResidentRecords.this.jdbc.sql(definition).update();
			}
			log.info(
					"Bulk load into the empty resident table: counted and {} foreign keys checked in {} ms, {} rebuilt in {} ms",
					this.keys.size(), (checked - start) / 1_000_000, DEFERRED_INDEXES,
					(System.nanoTime() - checked) / 1_000_000);
		}

	}

	private static final String COPY_RESIDENTS = """
			copy resident (id, node_id, household_id, name, id_type, id_cipher, id_hash, id_masked,
			    phone_cipher, phone_hash, phone_tail_hash, phone_masked, birth_date, sex, relation, tags,
			    status, note, address, path, district_id) from stdin (format binary)""";

	/** The values in each row of {@link #COPY_RESIDENTS}. */
	private static final int COPY_FIELDS = 21;

	private static void append(CopyBinary copy, Sealed r) {
		copy.number(r.id())
			.number(r.nodeId())
			.number(r.householdId())
			.text(r.name())
			.text(r.idType())
			.bytes(r.idCipher())
			.bytes(r.idHash())
			.text(r.idMasked())
			.bytes(r.phoneCipher())
			.bytes(r.phoneHash())
			.bytes(r.phoneTailHash())
			.text(r.phoneMasked())
			.date(r.birthDate())
			.text(r.sex())
			.text(r.relation())
			.textArray(r.tags())
			.text(r.status())
			.text(r.note())
			.text(r.address())
			.text(r.path())
			.number(r.districtId())
			.endRow();
	}

	/**
	 * The rows so far on their way: written and flushed, so the server starts on them
	 * now.
	 */
	private static void send(CopyIn copy, byte[] bytes) throws SQLException {
		if (bytes.length > 0) {
			copy.writeToCopy(bytes, 0, bytes.length);
			copy.flushCopy();
		}
	}

	public void updateAll(List<Sealed> rows) {
		this.template.batchUpdate("""
				update resident set node_id = ?, household_id = ?, name = ?, id_type = ?, id_cipher = ?, id_hash = ?,
				    id_masked = ?, phone_cipher = ?, phone_hash = ?, phone_tail_hash = ?, phone_masked = ?,
				    birth_date = ?, sex = ?, relation = ?, tags = ?, status = ?, note = ?, address = ?,
				    updated_at = now(), version = version + 1
				where id = ?""", rows, 1000, (ps, r) -> {
			bindCommon(ps, r, 1);
			ps.setLong(19, r.id());
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
		ps.setBytes(i++, r.phoneTailHash());
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
