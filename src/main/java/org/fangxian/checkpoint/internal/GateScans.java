package org.fangxian.checkpoint.internal;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Direction;
import org.fangxian.checkpoint.EntryRestriction;
import org.fangxian.checkpoint.Passes;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.checkpoint.internal.ScanReads.Read;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PersonNames;
import org.fangxian.shared.Temperature;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides at the gate, at once, and keeps a durable record of every attempt. A scan it
 * cannot read (a typo, an empty field, a malformed QR) is an ERROR the guard retries,
 * counted apart from real denials, and never an allow by default; a temperature outside
 * 35.0-42.0 °C is asked again and not recorded. The same idempotency key returns the
 * first answer and records nothing new, so an offline phone may re-send its queue freely.
 */
@Service
public class GateScans implements DisposableBean {

	/** Mainland plates: province, letter, 5 characters (6 for new-energy vehicles). */
	static final Pattern PLATE = Pattern
		.compile("^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$");

	/** Offline records may arrive late, but not from the future or from last month. */
	static final Duration OFFLINE_WINDOW = Duration.ofDays(3);

	/**
	 * The district is the checkpoint's own (cached), so the trigger need not look it up
	 * (V99).
	 */
	private static final String COLUMNS = """
			insert into gate_scan (district_id, checkpoint_id, idempotency_key, scanned_at, direction, method,
			    resident_id, temperature, plate, decision, reason, account_id)
			""";

	/**
	 * A scan with its own time: its key and time are unique, so a retry inserts nothing,
	 * in one statement.
	 */
	private static final String INSERT = COLUMNS + """
			values (:district, :checkpoint, :key, :at, :direction, :method, :resident, :temperature, :plate, :decision,
			    :reason, :account)
			on conflict (district_id, checkpoint_id, idempotency_key, scanned_at) do nothing
			returning id""";

	/**
	 * A scan timed by the server (under the key's lock): only if its key is new in every
	 * month.
	 */
	private static final String INSERT_IF_NEW = COLUMNS
			+ """
					select cast(:district as bigint), cast(:checkpoint as bigint), cast(:key as varchar), cast(:at as timestamptz), cast(:direction as varchar),
					       cast(:method as varchar), cast(:resident as bigint), cast(:temperature as numeric), cast(:plate as varchar),
					       cast(:decision as varchar), cast(:reason as varchar), cast(:account as bigint)
					where not exists (select 1 from gate_scan
					    where district_id = :district and checkpoint_id = :checkpoint and idempotency_key = :key)
					on conflict (district_id, checkpoint_id, idempotency_key, scanned_at) do nothing
					returning id""";

	/**
	 * The scan and its alert in one statement; built once, so the statement cache's key
	 * keeps its hash rather than hashing a new 1 KB string per scan.
	 */
	private static final String RECORD = GateScans.recording(INSERT);

	private static final String RECORD_IF_NEW = GateScans.recording(INSERT_IF_NEW);

	private static String recording(String insert) {
		return "with scan as (" + insert + """
				),
				alert as (
				    insert into checkpoint_alert (checkpoint_id, path, scan_id, scan_at, kind)
				    select :checkpoint, :path, id, cast(:at as timestamptz), cast(:alert as text) from scan
				    where cast(:alert as text) is not null)
				select id from scan""";
	}

	private final JdbcClient jdbc;

	private final Checkpoints checkpoints;

	private final Passes passes;

	private final ResidentDirectory directory;

	private final List<EntryRestriction> restrictions;

	private final Clock clock;

	private final BigDecimal feverThreshold;

	/**
	 * Null: a scan reads the pass, the resident, its identity and every restriction's
	 * facts in one statement and records itself (and its alert) in a second, both
	 * autocommitted (issue 17; {@code fangxian.checkpoint.one-read=true}, the default).
	 * Otherwise the transaction of the earlier path, one statement per look-up, kept for
	 * A/B benchmarks.
	 */
	private final TransactionTemplate steps;

	/**
	 * A scan without its own time on the one-read path: the key's lock and the insert in
	 * one transaction, so the lock is held until the row is committed.
	 */
	private final TransactionTemplate untimed;

	/**
	 * Each restriction's facts in the one-statement read (null: asked through
	 * {@code check}), and the read itself.
	 */
	private final List<String> facts;

	private final ScanReads reads;

	/**
	 * Times bound as ISO text of unspecified type, which PostgreSQL reads as it read the
	 * {@code Timestamp}/{@code java.sql.Date} bound before (pgjdbc sends those untyped
	 * too): pgjdbc makes a {@code TimestampUtils} with a {@code GregorianCalendar} for
	 * each statement that binds a time, and another calendar per parameter (issue 17, 2-3
	 * % of a scan's request CPU). False: {@code Timestamp} and {@code java.sql.Date}, for
	 * A/B benchmarks ({@code fangxian.checkpoint.text-times}).
	 */
	private final boolean textTimes;

	/**
	 * Group commit of the scans that bring their time (null: each writes its own row,
	 * {@code fangxian.checkpoint.group-commit=false}, for A/B benchmarks).
	 */
	private final ScanWriter writer;

	/**
	 * The scans that bring their time, read, decided and written by one hand-over: the
	 * scans that arrive together share one read and one write (null: read and written by
	 * two hand-overs, {@code fangxian.checkpoint.scan-pipeline=0}).
	 */
	private final ScanPipeline<Outcome> pipeline;

	@Autowired
	GateScans(JdbcClient jdbc, Checkpoints checkpoints, Passes passes, ResidentDirectory directory,
			List<EntryRestriction> restrictions, Clock clock,
			@Value("${fangxian.checkpoint.fever-threshold:" + Temperature.FEVER_THRESHOLD
					+ "}") BigDecimal feverThreshold,
			PlatformTransactionManager transactions, @Value("${fangxian.checkpoint.one-read:true}") boolean oneRead,
			@Value("${fangxian.checkpoint.text-times:true}") boolean textTimes, JdbcTemplate template,
			@Value("${fangxian.checkpoint.group-commit:true}") boolean groupCommit,
			@Value("${fangxian.checkpoint.scan-writers:2}") int writers,
			@Value("${fangxian.checkpoint.scan-readers:2}") int readers,
			@Value("${fangxian.checkpoint.scan-batch:64}") int batch,
			@Value("${fangxian.checkpoint.scan-pipeline:2}") int pipeline) {
		this.jdbc = jdbc;
		// Batches bind times as text, and the earlier path reads in steps of its own.
		boolean shared = groupCommit && oneRead && textTimes;
		boolean piped = shared && pipeline > 0;
		// With the pipeline, its threads read and write the batches; the readers and
		// writers of their own are for the A/B of two hand-overs.
		this.writer = shared ? new ScanWriter(template, row -> record(row, true), piped ? 0 : writers, batch) : null;
		this.textTimes = textTimes;
		this.checkpoints = checkpoints;
		this.passes = passes;
		this.directory = directory;
		this.restrictions = restrictions;
		this.clock = clock;
		this.feverThreshold = feverThreshold;
		this.steps = oneRead ? null : new TransactionTemplate(transactions);
		this.untimed = new TransactionTemplate(transactions);
		this.facts = restrictions.stream().map(r -> r.factSql("gate_resident.id", "gate_resident.path")).toList();
		this.reads = new ScanReads(jdbc, shared ? template : null, directory, this.facts, piped ? 0 : readers, batch);
		this.pipeline = piped ? new ScanPipeline<>(this.reads, this.writer, row -> record(row, true), pipeline, batch)
				: null;
	}

	/** The one-read path, for tests that bring their own restrictions. */
	GateScans(JdbcClient jdbc, Checkpoints checkpoints, Passes passes, ResidentDirectory directory,
			List<EntryRestriction> restrictions, Clock clock, BigDecimal feverThreshold,
			PlatformTransactionManager transactions) {
		this(jdbc, checkpoints, passes, directory, restrictions, clock, feverThreshold, transactions, true, true);
	}

	/** Without group commit: each scan writes its own row (tests). */
	GateScans(JdbcClient jdbc, Checkpoints checkpoints, Passes passes, ResidentDirectory directory,
			List<EntryRestriction> restrictions, Clock clock, BigDecimal feverThreshold,
			PlatformTransactionManager transactions, boolean oneRead, boolean textTimes) {
		this(jdbc, checkpoints, passes, directory, restrictions, clock, feverThreshold, transactions, oneRead,
				textTimes, null, false, 1, 1, 1, 0);
	}

	@Override
	public void destroy() {
		if (this.pipeline != null) {
			this.pipeline.close();
		}
		if (this.writer != null) {
			this.writer.close();
		}
		this.reads.close();
	}

	/**
	 * A scan as the gate sends it. {@code temperature} is whatever arrived (a number or
	 * text), so "abc" becomes a recorded denial rather than a parse error nobody sees.
	 *
	 * @param scannedAt when the guard scanned, for records queued offline; null means now
	 */
	public record ScanRequest(String qr, String idNumber, String direction, Object temperature, String plate,
			String idempotencyKey, Instant scannedAt) {
	}

	/**
	 * The decision shown to the guard, with what lets them check the person in front of
	 * them ({@code identity}, null when nobody was recognised).
	 */
	public record ScanResult(long scanId, Decision decision, String reason, String person, boolean replayed,
			Identity identity) {
	}

	/**
	 * Who the scan names, as far as a guard may see: full surname and starred given name,
	 * sex ({@code MALE}/{@code FEMALE}, null if unknown), birth year, building, unit and
	 * door.
	 */
	public record Identity(String name, String sex, Integer birthYear, String address) {

		static Identity of(ResidentDirectory.Identity identity) {
			return new Identity(PersonNames.surname(identity.name()), identity.sex(), identity.birthYear(),
					identity.address());
		}

	}

	/**
	 * ERROR: the scan could not be read (the guard scans or types again); DENY: a real
	 * denial of a recognised attempt.
	 */
	public enum Decision {

		ALLOW, DENY, ERROR

	}

	/**
	 * @param identity who the scan names, when the one-statement read brought it along
	 */
	private record Outcome(Decision decision, String reason, Long residentId, String alert,
			ResidentDirectory.Identity identity) {

		Outcome(Decision decision, String reason, Long residentId, String alert) {
			this(decision, reason, residentId, alert, null);
		}

		static Outcome of(Denied denied) {
			return new Outcome(denied.decision, denied.reason, null, null);
		}

		Outcome with(ResidentDirectory.Identity identity) {
			return this.residentId == null ? this
					: new Outcome(this.decision, this.reason, this.residentId, this.alert, identity);
		}

	}

	public ScanResult scan(CurrentUser user, long checkpointId, ScanRequest request) {
		return this.steps == null ? scanWith(user, checkpointId, request)
				: this.steps.execute(status -> scanWith(user, checkpointId, request));
	}

	private ScanResult scanWith(CurrentUser user, long checkpointId, ScanRequest request) {
		user.require(Permission.SCAN_AT_CHECKPOINT);
		Checkpoint checkpoint = this.checkpoints.get(user, checkpointId);
		String key = GateScans.requireKey(request.idempotencyKey());
		// No look-up of the key first: a fresh key (nearly every scan) costs one
		// statement less. A key
		// already recorded inserts nothing below and gets the first answer, whatever this
		// one decided.
		Instant now = this.clock.instant();
		Instant at = request.scannedAt() == null ? now : request.scannedAt();
		Direction direction = parseDirection(request.direction());
		// Asked again, never recorded: a misread thermometer is not an event at the gate.
		BigDecimal temperature = parseTemperature(request.temperature());
		String plate = null;
		Outcome outcome;
		String method = request.qr() != null && !request.qr().isBlank() ? "QR"
				: request.idNumber() != null && !request.idNumber().isBlank() ? "ID" : "NONE";
		Object scannedAt = time(at);
		boolean timed = request.scannedAt() != null;
		boolean piped = this.pipeline != null && timed && grouped(scannedAt);
		ScanReads.Ask ask = null;
		try {
			if (at.isAfter(now.plusSeconds(300)) || at.isBefore(now.minus(OFFLINE_WINDOW))) {
				throw Denied.unreadable("gate.deny.badTime");
			}
			if (direction == null) {
				throw Denied.unreadable("gate.deny.direction");
			}
			plate = parsePlate(request.plate());
			if (this.steps != null) {
				outcome = decide(checkpoint, method, request, direction, temperature, at);
			}
			else {
				ask = ask(method, request, direction, at);
				outcome = piped ? null
						: decided(checkpoint, method,
								this.reads.read(ask, !TransactionSynchronizationManager.isActualTransactionActive()),
								direction, temperature, at);
			}
		}
		catch (Denied denied) {
			outcome = Outcome.of(denied);
			ask = null;
		}
		if (this.steps == null) {
			String plateRead = plate;
			Function<Outcome, ScanWriter.Row> row = decided -> new ScanWriter.Row(checkpoint.districtId(),
					checkpoint.id(), key, scannedAt, direction == null ? null : direction.name(), method,
					decided.residentId(), temperature, plateRead, decided.decision().name(), decided.reason(),
					user.accountId(), checkpoint.path(), decided.alert());
			if (piped) {
				Outcome early = outcome;
				Function<Optional<Read>, Outcome> decide = ask == null ? read -> early : read -> {
					try {
						return decided(checkpoint, method, read, direction, temperature, at);
					}
					catch (Denied denied) {
						return Outcome.of(denied);
					}
				};
				return piped(checkpoint, key, scannedAt, new ScanPipeline.Scan<>(ask, decide, row));
			}
			Outcome decided = outcome;
			Supplier<ScanResult> write = () -> {
				Long scanId = timed && grouped(scannedAt) ? this.writer.write(row.apply(decided))
						: record(row.apply(decided), timed);
				return answer(scanId, decided, () -> timed ? find(checkpoint, key, scannedAt) : find(checkpoint, key));
			};
			// Autocommitted when the scan brings its time; otherwise the lock must last
			// until the row is committed, or two tries in flight could both insert.
			return timed ? write.get() : this.untimed.execute(status -> {
				lockKey(checkpointId, key);
				return write.get();
			});
		}
		if (!timed) {
			lockKey(checkpointId, key);
		}
		Long scanId = this.jdbc.sql(timed ? INSERT : INSERT_IF_NEW)
			.param("checkpoint", checkpointId)
			.param("district", checkpoint.districtId())
			.param("key", key)
			.param("at", scannedAt)
			.param("direction", direction == null ? null : direction.name())
			.param("method", method)
			.param("resident", outcome.residentId())
			.param("temperature", temperature)
			.param("plate", plate)
			.param("decision", outcome.decision().name())
			.param("reason", outcome.reason())
			.param("account", user.accountId())
			.query(Long.class)
			.optional()
			.orElse(null);
		if (scanId == null) {
			// Sent before (a retry or a queue sent twice), or another upload of it won
			// the race: the first answer is the answer.
			return (timed ? find(checkpoint, key, scannedAt) : find(checkpoint, key)).orElseThrow();
		}
		if (outcome.alert() != null) {
			this.jdbc.sql("""
					insert into checkpoint_alert (checkpoint_id, path, scan_id, scan_at, kind)
					values (:checkpoint, :path, :scan, :at, :kind)""")
				.param("checkpoint", checkpointId)
				.param("path", checkpoint.path())
				.param("scan", scanId)
				.param("at", scannedAt)
				.param("kind", outcome.alert())
				.update();
		}
		return result(scanId, outcome.decision(), outcome.reason(), outcome.residentId(), false, null);
	}

	/**
	 * A scan with its time, read, decided and written by the pipeline: its answer, or the
	 * first answer when its key and time were recorded before.
	 */
	private ScanResult piped(Checkpoint checkpoint, String key, Object scannedAt, ScanPipeline.Scan<Outcome> scan) {
		ScanPipeline.Done<Outcome> done = this.pipeline.submit(scan);
		if (done.failure() != null) {
			throw done.failure();
		}
		return answer(done.scanId(), done.decision(), () -> find(checkpoint, key, scannedAt));
	}

	/**
	 * The answer to a scan just recorded, or, when its key was recorded before (no id),
	 * the first answer.
	 */
	private ScanResult answer(Long scanId, Outcome decided, Supplier<Optional<ScanResult>> first) {
		if (scanId == null) {
			return first.get().orElseThrow();
		}
		return result(scanId, decided.decision(), decided.reason(), decided.residentId(), false, decided.identity());
	}

	/**
	 * An instant as a statement parameter (see {@link #textTimes}): rounded to the
	 * microsecond as pgjdbc rounds a {@code Timestamp} (half up), so a retry finds the
	 * row written before the switch. Years outside 1-9999 (an unreadable offline time,
	 * recorded as such) as before.
	 */
	private Object time(Instant at) {
		if (!this.textTimes || at.isBefore(FIRST_TEXT_TIME) || !at.isBefore(END_TEXT_TIME)) {
			return Timestamp.from(at);
		}
		int belowMicros = at.getNano() % 1000;
		Instant micros = belowMicros >= 500 ? at.plusNanos(1000 - belowMicros) : at.minusNanos(belowMicros);
		return new SqlParameterValue(Types.OTHER, micros.toString());
	}

	private static final Instant FIRST_TEXT_TIME = Instant.parse("0001-01-02T00:00:00Z");

	private static final Instant END_TEXT_TIME = Instant.parse("9999-12-31T00:00:00Z");

	/**
	 * Without its own time a retry would get another one, and with it another row (the
	 * key is unique with the time, the month's partition key): the key is looked up in
	 * every month, under a lock on it, held to the end of the caller's transaction, so
	 * two tries in flight see each other.
	 */
	private void lockKey(long checkpointId, String key) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('gate_scan'), hashtext(:key))")
			.param("key", checkpointId + ":" + key)
			.query()
			.listOfRows();
	}

	/**
	 * Whether a scan goes to the group commit: one with its time as text (a year the text
	 * form takes), outside any caller's transaction, whose rollback a writer's commit
	 * would not follow.
	 */
	private boolean grouped(Object at) {
		return this.writer != null && at instanceof SqlParameterValue
				&& !TransactionSynchronizationManager.isActualTransactionActive();
	}

	/**
	 * The scan and its alert in one statement, autocommitted: the second and last round
	 * trip of a scan on the one-read path. Null when the key was recorded before.
	 */
	Long record(ScanWriter.Row row, boolean timed) {
		return this.jdbc.sql(timed ? RECORD : RECORD_IF_NEW)
			.param("district", row.district())
			.param("checkpoint", row.checkpoint())
			.param("key", row.key())
			.param("at", row.at())
			.param("direction", row.direction())
			.param("method", row.method())
			.param("resident", row.resident())
			.param("temperature", row.temperature())
			.param("plate", row.plate())
			.param("decision", row.decision())
			.param("reason", row.reason())
			.param("account", row.account())
			.param("path", row.path())
			.param("alert", row.alert())
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	/**
	 * What the one-statement read asks for this scan: the pass the QR signs, or the
	 * lookup hash of the typed ID number. A QR or ID number that cannot be read is denied
	 * here, before anything is read.
	 */
	private ScanReads.Ask ask(String method, ScanRequest request, Direction direction, Instant at) {
		java.time.LocalDate day = java.time.LocalDate.ofInstant(at, this.clock.getZone());
		Object today = this.textTimes ? new SqlParameterValue(Types.OTHER, day.toString()) : java.sql.Date.valueOf(day);
		boolean out = direction == Direction.OUT;
		return switch (method) {
			case "QR" -> {
				Passes.Signed signed = this.passes.signed(FullWidth.toHalfWidth(request.qr()));
				if (!signed.valid()) {
					throw "gate.deny.passMalformed".equals(signed.reason()) ? Denied.unreadable(signed.reason())
							: new Denied(signed.reason());
				}
				yield new ScanReads.Ask(signed.passId(), null, time(at), today, out);
			}
			case "ID" -> {
				IdNumberCheck id = IdNumber.check(request.idNumber(), null);
				if (!id.valid()) {
					throw Denied.unreadable("gate.deny.idInvalid");
				}
				yield new ScanReads.Ask(null, this.directory.idNumberHash(id.normalized()), time(at), today, out);
			}
			default -> throw Denied.unreadable("gate.deny.noIdentity");
		};
	}

	/**
	 * The same decision as {@link #decide}, from the one-statement read: the pass's row
	 * (QR), the resident with their identity, and every restriction's facts. Rules stay
	 * in Java: {@link #judge} and each restriction's {@link EntryRestriction#decide}.
	 */
	private Outcome decided(Checkpoint checkpoint, String method, Optional<Read> read, Direction direction,
			BigDecimal temperature, Instant at) {
		if (method.equals("QR")) {
			Passes.PassCheck pass = Passes.found(read.isPresent(), read.map(Read::passResident).orElse(null),
					read.map(Read::passRevoked).orElse(false));
			if (!pass.valid()) {
				throw new Denied(pass.reason());
			}
		}
		ResidentSnapshot resident = read.flatMap(Read::resident).orElseThrow(() -> new Denied("gate.deny.notResident"));
		String[] values = read.get().facts();
		return judge(checkpoint, resident, direction, temperature, (i, restriction) -> this.facts.get(i) != null
				? restriction.decide(values[i], direction) : restriction.check(resident.id(), direction, at))
			.with(read.get().identity());
	}

	private Outcome decide(Checkpoint checkpoint, String method, ScanRequest request, Direction direction,
			BigDecimal temperature, Instant at) {
		ResidentSnapshot resident = switch (method) {
			case "QR" -> {
				Passes.PassCheck pass = this.passes.verify(FullWidth.toHalfWidth(request.qr()));
				if (!pass.valid()) {
					throw "gate.deny.passMalformed".equals(pass.reason()) ? Denied.unreadable(pass.reason())
							: new Denied(pass.reason());
				}
				yield this.directory.byId(pass.residentId()).orElseThrow(() -> new Denied("gate.deny.notResident"));
			}
			case "ID" -> {
				IdNumberCheck id = IdNumber.check(request.idNumber(), null);
				if (!id.valid()) {
					throw Denied.unreadable("gate.deny.idInvalid");
				}
				// Unknown and registered-elsewhere read the same, so a gate cannot probe
				// other jurisdictions.
				yield this.directory.byIdNumber(id.normalized()).orElseThrow(() -> new Denied("gate.deny.notResident"));
			}
			default -> throw Denied.unreadable("gate.deny.noIdentity");
		};
		return judge(checkpoint, resident, direction, temperature,
				(i, restriction) -> restriction.check(resident.id(), direction, at));
	}

	/**
	 * The gate's rules, in order, whichever way their facts were read: someone from
	 * elsewhere, someone no longer living here, each restriction in turn, a fever.
	 */
	private Outcome judge(Checkpoint checkpoint, ResidentSnapshot resident, Direction direction, BigDecimal temperature,
			java.util.function.BiFunction<Integer, EntryRestriction, Optional<EntryRestriction.Restriction>> ask) {
		if (!resident.path().startsWith(checkpoint.path())) {
			return new Outcome(Decision.DENY, "gate.deny.notResident", null, null);
		}
		if (!resident.status().present()) {
			return new Outcome(Decision.DENY, "gate.deny.notResident", resident.id(), null);
		}
		for (int i = 0; i < this.restrictions.size(); i++) {
			Optional<EntryRestriction.Restriction> found = ask.apply(i, this.restrictions.get(i));
			if (found.isPresent()) {
				return new Outcome(Decision.DENY, found.get().reason(), resident.id(),
						found.get().alert() ? "RESTRICTED_" + direction : null);
			}
		}
		if (temperature != null && temperature.compareTo(this.feverThreshold) >= 0) {
			return new Outcome(Decision.DENY, "gate.deny.fever", resident.id(), "FEVER");
		}
		return new Outcome(Decision.ALLOW, "gate.allow", resident.id(), null);
	}

	/** A retry with its time: in that month's partition only. */
	private Optional<ScanResult> find(Checkpoint checkpoint, String key, Object at) {
		return this.jdbc
			.sql("""
					select id, decision, reason, resident_id from gate_scan
					where district_id = :district and checkpoint_id = :checkpoint and idempotency_key = :key and scanned_at = :at""")
			.param("district", checkpoint.districtId())
			.param("checkpoint", checkpoint.id())
			.param("key", key)
			.param("at", at)
			.query(GateScans::answer)
			.optional()
			.map(row -> result(row.id(), row.decision(), row.reason(), row.residentId(), true, null));
	}

	/** A retry without its time: the key's first scan, whatever its month. */
	private Optional<ScanResult> find(Checkpoint checkpoint, String key) {
		return this.jdbc.sql("""
				select id, decision, reason, resident_id, scanned_at from gate_scan
				where district_id = :district and checkpoint_id = :checkpoint and idempotency_key = :key
				order by scanned_at limit 1""")
			.param("district", checkpoint.districtId())
			.param("checkpoint", checkpoint.id())
			.param("key", key)
			.query(GateScans::answer)
			.optional()
			.map(row -> result(row.id(), row.decision(), row.reason(), row.residentId(), true, null));
	}

	private record Answer(long id, Decision decision, String reason, Long residentId) {
	}

	private static Answer answer(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Answer(rs.getLong("id"), Decision.valueOf(rs.getString("decision")), rs.getString("reason"),
				rs.getObject("resident_id", Long.class));
	}

	private ScanResult result(long scanId, Decision decision, String reason, Long residentId, boolean replayed,
			ResidentDirectory.Identity known) {
		if (residentId == null) {
			return new ScanResult(scanId, decision, reason, null, replayed, null);
		}
		Identity identity = (known != null ? Optional.of(known)
				: this.directory.identities(List.of(residentId)).stream().findFirst())
			.map(Identity::of)
			.orElse(null);
		return new ScanResult(scanId, decision, reason, identity == null ? null : identity.name(), replayed, identity);
	}

	static Direction parseDirection(String raw) {
		if (raw == null) {
			return null;
		}
		try {
			return Direction.valueOf(raw.trim().toUpperCase());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	BigDecimal parseTemperature(Object raw) {
		if (raw == null || (raw instanceof String text && text.isBlank())) {
			return null;
		}
		return Temperature.parse(raw.toString()).celsius();
	}

	/**
	 * Every gate record carries the key its device gave it; without one a retry could
	 * double it.
	 */
	static String requireKey(String raw) {
		String key = raw == null ? "" : raw.trim();
		if (key.isEmpty() || key.length() > 100) {
			throw new InvalidInput("idempotencyKey", "gate.idempotencyKey.required");
		}
		return key;
	}

	static String parsePlate(String raw) {
		String plate = FullWidth.clean(raw).replace(" ", "").replace("·", "").replace("-", "").toUpperCase();
		if (plate.isEmpty()) {
			return null;
		}
		if (!PLATE.matcher(plate).matches()) {
			throw Denied.unreadable("gate.deny.plate");
		}
		return plate;
	}

	/**
	 * A reason found while reading the request; becomes a recorded DENY, or an ERROR when
	 * the request could not be read.
	 */
	static final class Denied extends RuntimeException {

		final String reason;

		final Decision decision;

		Denied(String reason) {
			this(reason, Decision.DENY);
		}

		private Denied(String reason, Decision decision) {
			super(reason, null, false, false);
			this.reason = reason;
			this.decision = decision;
		}

		static Denied unreadable(String reason) {
			return new Denied(reason, Decision.ERROR);
		}

	}

}
