package org.fangxian.testing.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.fangxian.audit.AuditEvent;
import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Passes;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PersonNames;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The sampler's work: a tube is opened by its first swab, takes up to the round's pool
 * size, may lose a mistaken person before it is closed, and is closed for the lab. The
 * rules that matter are also constraints in the database (capacity, one open tube per
 * person, one routine sample per round).
 */
@Service
public class Tubes {

	/** Printed tube barcodes: letters and digits, 6 to 32 of them. */
	static final Pattern BARCODE = Pattern.compile("[A-Z0-9]{6,32}");

	private final JdbcClient jdbc;

	private final Rounds rounds;

	private final Passes passes;

	private final ResidentDirectory directory;

	private final MemberStates states;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final Subjects subjects;

	private final Checkpoints checkpoints;

	Tubes(JdbcClient jdbc, Rounds rounds, Passes passes, ResidentDirectory directory, MemberStates states, Clock clock,
			ApplicationEventPublisher events, Subjects subjects, Checkpoints checkpoints) {
		this.subjects = subjects;
		this.checkpoints = checkpoints;
		this.jdbc = jdbc;
		this.rounds = rounds;
		this.passes = passes;
		this.directory = directory;
		this.states = states;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Who is being sampled: the personal test code (the resident's pass QR) or, when
	 * phones or the code system fail, the ID number typed in.
	 */
	public record SampleRequest(String qr, String idNumber, Long pointId, String idempotencyKey, Instant takenAt) {

		SampleRequest(String qr, String idNumber, Long pointId) {
			this(qr, idNumber, pointId, null, null);
		}

	}

	/** How old a swab queued on a phone may be when it finally reaches the server. */
	static final java.time.Duration OFFLINE_AGE = java.time.Duration.ofDays(2);

	/**
	 * A tube as the sampler sees it: the people of their own jurisdiction with masked
	 * names, newest last, and only the number of the others ({@code othersCount}): a
	 * round over a street may put two communities' people in one tube, and neither
	 * community learns who the other's are.
	 */
	public record TubeView(String barcode, long roundId, String status, int capacity, int count, int othersCount,
			Instant openedAt, Instant closedAt, String result, List<Person> people) {

		boolean full() {
			return this.count >= this.capacity;
		}

	}

	/**
	 * One swab of a tube: a resident's ({@code residentId}), or a testing subject's
	 * ({@code subjectId}, residentId 0) registered on the spot.
	 */
	public record Person(long residentId, String name, boolean homeSampling, boolean retest, Instant takenAt,
			Long subjectId) {
	}

	/**
	 * Someone not in the registry, sampled into a pooled tube: a road checkpoint's
	 * re-test ({@code checkpointId}: the road checkpoint that sent them) or a walk-in at
	 * a site.
	 */
	public record SubjectRequest(String idNumber, String name, String phone, Long checkpointId, Long pointId,
			String idempotencyKey, Instant takenAt) {
	}

	/**
	 * Samples someone who is not in this round's population: registered (or found) by ID
	 * number as a testing subject. A resident of the round in the caller's jurisdiction
	 * is sampled as the resident they are.
	 */
	@Transactional
	public TubeView addSubject(CurrentUser user, long roundId, String rawBarcode, SubjectRequest request) {
		user.require(Permission.COLLECT_SAMPLES);
		Round round = openRound(user, roundId);
		String barcode = barcode(rawBarcode);
		String key = clientKey(request.idempotencyKey());
		Optional<Long> earlier = earlierSwab(user, round, key);
		if (earlier.isPresent()) {
			return view(user, earlier.get());
		}
		Instant takenAt = takenAt(request.takenAt());
		IdNumberCheck check = IdNumber.check(request.idNumber(), LocalDate.now(this.clock));
		if (!check.valid()) {
			throw new InvalidInput("idNumber", check.reason());
		}
		boolean member = this.directory.byIdNumber(check.normalized())
			.flatMap(r -> this.jdbc
				.sql("select path from round_member where round_id = :round and resident_id = :resident")
				.param("round", roundId)
				.param("resident", r.id())
				.query(String.class)
				.optional())
			.filter(user::covers)
			.isPresent();
		if (member) {
			return addSample(user, roundId, barcode,
					new SampleRequest(null, check.normalized(), request.pointId(), key, takenAt));
		}
		String reason = "WALK_IN";
		if (request.checkpointId() != null) {
			Checkpoint checkpoint = this.checkpoints.get(user, request.checkpointId());
			if (!checkpoint.road()) {
				throw new InvalidInput("checkpointId", "testing.subject.notRoad");
			}
			reason = "ROAD_RETEST";
		}
		long subject = this.subjects.obtain(user, check.normalized(), request.name(), request.phone());
		// Seen by the sampler's jurisdiction within the round: the narrower of the two.
		String path = user.scopePath().length() > round.path().length() ? user.scopePath() : round.path();
		TubeRow tube = openTube(user, round, barcode, round.poolSize(), point(user, request.pointId()));
		boolean already = this.jdbc.sql("select count(*) from sample where tube_id = :tube and subject_id = :subject")
			.param("tube", tube.id())
			.param("subject", subject)
			.query(Integer.class)
			.single() > 0;
		if (already) {
			return view(user, tube.id());
		}
		Optional<String> open = this.jdbc.sql("""
				select t.barcode from sample s join tube t on t.id = s.tube_id
				where s.round_id = :round and s.subject_id = :subject and s.tube_open""")
			.param("round", roundId)
			.param("subject", subject)
			.query(String.class)
			.optional();
		if (open.isPresent()) {
			throw new InvalidInput("idNumber", "testing.sample.inOpenTube", open.get());
		}
		if (tube.capacity() != round.poolSize()) {
			throw new InvalidInput("barcode", "testing.tube.retestOnly", barcode);
		}
		if (tube.sampleCount() >= tube.capacity()) {
			throw new InvalidInput("barcode", "testing.tube.full", tube.capacity());
		}
		this.jdbc
			.sql("""
					insert into sample (round_id, tube_id, subject_id, path, reason, checkpoint_id, taken_by, taken_at, client_key)
					values (:round, :tube, :subject, :path, :reason, :checkpoint, :by, :at, :key)""")
			.param("round", roundId)
			.param("tube", tube.id())
			.param("subject", subject)
			.param("path", path)
			.param("reason", reason)
			.param("checkpoint", request.checkpointId())
			.param("by", user.accountId())
			.param("at", java.sql.Timestamp.from(takenAt))
			.param("key", key)
			.update();
		this.jdbc.sql("update tube set sample_count = sample_count + 1 where id = :id").param("id", tube.id()).update();
		return view(user, tube.id());
	}

	/** The tube of a swab the phone sent before under this key (its answer lost). */
	private Optional<Long> earlierSwab(CurrentUser user, Round round, String key) {
		if (key == null) {
			return Optional.empty();
		}
		Optional<Long> tube = this.jdbc.sql("""
				select tube_id from sample
				where district_id = any(districts_under(:path)) and round_id = :round and client_key = :key""")
			.param("path", round.path())
			.param("round", round.id())
			.param("key", key)
			.query(Long.class)
			.optional();
		tube.ifPresent(id -> requireAllCovered(user, id));
		return tube;
	}

	/** Opens the tube with its first swab (nothing when it exists) and locks it. */
	private TubeRow openTube(CurrentUser user, Round round, String barcode, int capacity, Long pointId) {
		this.jdbc
			.sql("""
					insert into tube (round_id, barcode, capacity, point_id, opened_by, opened_at) values (:round, :barcode, :capacity, :point, :by, :at)
					on conflict (barcode) do nothing""")
			.param("at", java.sql.Timestamp.from(this.clock.instant()))
			.param("round", round.id())
			.param("barcode", barcode)
			.param("capacity", capacity)
			.param("point", pointId)
			.param("by", user.accountId())
			.update();
		TubeRow tube = lockedTube(round, barcode);
		requireAllCovered(user, tube.id());
		if (tube.status().equals("CLOSED")) {
			throw new InvalidInput("barcode", "testing.tube.closed", barcode);
		}
		return tube;
	}

	private record TubeRow(long id, long roundId, String status, int capacity, int sampleCount) {
	}

	/** The round a swab goes into: visible to the sampler and still open. */
	private Round openRound(CurrentUser user, long roundId) {
		Round round = this.rounds.get(user, roundId);
		if (!round.open()) {
			throw new InvalidInput("roundId", "testing.round.closed");
		}
		return round;
	}

	@Transactional
	public TubeView addSample(CurrentUser user, long roundId, String rawBarcode, SampleRequest request) {
		user.require(Permission.COLLECT_SAMPLES);
		Round round = openRound(user, roundId);
		String barcode = barcode(rawBarcode);
		String key = clientKey(request.idempotencyKey());
		// A swab the phone sent before (its answer lost with the network): one record.
		Optional<Long> earlierTube = earlierSwab(user, round, key);
		if (earlierTube.isPresent()) {
			return view(user, earlierTube.get());
		}
		Instant takenAt = takenAt(request.takenAt());
		String field = request.qr() != null && !request.qr().isBlank() ? "qr" : "idNumber";
		ResidentSnapshot person = identify(request);
		record Member(String path, String exempt) {
		}
		Member member = this.jdbc
			.sql("select path, exempt from round_member where round_id = :round and resident_id = :resident")
			.param("round", roundId)
			.param("resident", person.id())
			.query(Member.class)
			.optional()
			.filter(m -> user.covers(m.path()))
			// One answer for "not in this round" and "not in your jurisdiction": an ID
			// number tells nothing more.
			.orElseThrow(() -> new InvalidInput(field, "testing.sample.notInPopulation"));
		Long pointId = point(user, request.pointId());
		// Pending a re-test after a positive pooled tube (待复核): this swab is the
		// individual one.
		boolean retest = this.jdbc.sql("""
				select count(*) from testing_followup
				where round_id = :round and resident_id = :resident and kind = 'RETEST' and resolved_at is null""")
			.param("round", roundId)
			.param("resident", person.id())
			.query(Integer.class)
			.single() > 0;

		// A re-test goes into a tube of its own (1-in-1): its result is the person's, not
		// a pool's.
		this.jdbc
			.sql("""
					insert into tube (round_id, barcode, capacity, point_id, opened_by, opened_at) values (:round, :barcode, :capacity, :point, :by, :at)
					on conflict (barcode) do nothing""")
			.param("at", java.sql.Timestamp.from(this.clock.instant()))
			.param("round", roundId)
			.param("barcode", barcode)
			.param("capacity", retest ? 1 : round.poolSize())
			.param("point", pointId)
			.param("by", user.accountId())
			.update();
		TubeRow tube = lockedTube(round, barcode);
		requireAllCovered(user, tube.id());
		if (tube.status().equals("CLOSED")) {
			throw new InvalidInput("barcode", "testing.tube.closed", barcode);
		}
		boolean already = this.jdbc.sql("""
				select count(*) from sample
				where district_id = any(districts_under(:path)) and tube_id = :tube and resident_id = :resident""")
			.param("path", round.path())
			.param("tube", tube.id())
			.param("resident", person.id())
			.query(Integer.class)
			.single() > 0;
		if (already) {
			// The same swab scanned twice (a double tap, a retried request): one record.
			return view(user, tube.id());
		}
		record Earlier(String barcode, String status) {
		}
		Optional<Earlier> earlier = this.jdbc
			.sql("""
					select t.barcode, t.status from sample s join tube t on t.id = s.tube_id and t.district_id = s.district_id
					where s.district_id = any(districts_under(:path)) and s.round_id = :round and s.resident_id = :resident
					  and (s.tube_open or (not s.voided and not s.retest))
					order by s.tube_open desc limit 1""")
			.param("path", round.path())
			.param("round", roundId)
			.param("resident", person.id())
			.query(Earlier.class)
			.optional();
		// What is wrong with the person comes before what is wrong with the tube.
		if (earlier.isPresent() && (earlier.get().status().equals("OPEN") || !retest)) {
			throw new InvalidInput(field,
					earlier.get().status().equals("OPEN") ? "testing.sample.inOpenTube" : "testing.sample.already",
					earlier.get().barcode());
		}
		if (retest && tube.capacity() != 1) {
			throw new InvalidInput("barcode", "testing.tube.retestAlone", barcode);
		}
		if (!retest && tube.capacity() != round.poolSize()) {
			throw new InvalidInput("barcode", "testing.tube.retestOnly", barcode);
		}
		if (tube.sampleCount() >= tube.capacity()) {
			throw new InvalidInput("barcode", "testing.tube.full", tube.capacity());
		}
		try {
			this.jdbc.sql("""
					insert into sample (round_id, tube_id, resident_id, retest, taken_by, taken_at, client_key)
					values (:round, :tube, :resident, :retest, :by, :at, :key)""")
				.param("round", roundId)
				.param("tube", tube.id())
				.param("resident", person.id())
				.param("retest", retest)
				.param("by", user.accountId())
				.param("at", java.sql.Timestamp.from(takenAt))
				.param("key", key)
				.update();
		}
		catch (DuplicateKeyException ex) {
			// Another sampler put the same person into another tube at the same moment.
			throw new InvalidInput(field, "testing.sample.inOpenTube", "?");
		}
		this.jdbc.sql("update tube set sample_count = sample_count + 1 where id = :id").param("id", tube.id()).update();
		this.states.refresh(roundId, person.id());
		return view(user, tube.id());
	}

	/** Takes a mistaken person out of a tube that is still open. */
	@Transactional
	public TubeView removeSample(CurrentUser user, long roundId, String rawBarcode, long residentId) {
		TubeRow tube = openTubeToChange(user, roundId, rawBarcode);
		takeOut(tube, "resident_id", residentId);
		this.states.refresh(roundId, residentId);
		// Taking someone out changes their testing record: who did it stays on file.
		this.events.publishEvent(AuditEvent.of(user, "TESTING_SAMPLE_REMOVED", "resident", residentId,
				"round " + roundId + ", tube " + tube.id()));
		return view(user, tube.id());
	}

	/** Takes a testing subject typed in by mistake out of a tube that is still open. */
	@Transactional
	public TubeView removeSubject(CurrentUser user, long roundId, String rawBarcode, long subjectId) {
		TubeRow tube = openTubeToChange(user, roundId, rawBarcode);
		takeOut(tube, "subject_id", subjectId);
		this.events.publishEvent(AuditEvent.of(user, "TESTING_SAMPLE_REMOVED", "testing_subject", subjectId,
				"round " + roundId + ", tube " + tube.id()));
		return view(user, tube.id());
	}

	/**
	 * The open tube, locked, all of whose people the sampler may change (403 otherwise).
	 */
	private TubeRow openTubeToChange(CurrentUser user, long roundId, String rawBarcode) {
		user.require(Permission.COLLECT_SAMPLES);
		Round round = this.rounds.get(user, roundId);
		TubeRow tube = lockedTube(round, barcode(rawBarcode));
		requireAllCovered(user, tube.id());
		if (tube.status().equals("CLOSED")) {
			throw new InvalidInput("barcode", "testing.tube.closed", rawBarcode);
		}
		return tube;
	}

	/** One person's swab out of the tube; {@code column}: resident_id or subject_id. */
	private void takeOut(TubeRow tube, String column, long personId) {
		int removed = this.jdbc.sql("delete from sample where tube_id = :tube and " + column + " = :person")
			.param("tube", tube.id())
			.param("person", personId)
			.update();
		if (removed == 0) {
			throw new NotFound("testing.sample.notFound");
		}
		this.jdbc.sql("update tube set sample_count = sample_count - 1 where id = :id").param("id", tube.id()).update();
	}

	/**
	 * Closes a tube for the lab; closing it again answers the same (a retried request).
	 */
	@Transactional
	public TubeView close(CurrentUser user, long roundId, String rawBarcode) {
		user.require(Permission.COLLECT_SAMPLES);
		Round round = this.rounds.get(user, roundId);
		TubeRow tube = lockedTube(round, barcode(rawBarcode));
		requireAllCovered(user, tube.id());
		if (tube.status().equals("OPEN")) {
			if (tube.sampleCount() == 0) {
				throw new InvalidInput("barcode", "testing.tube.empty");
			}
			this.jdbc.sql("update tube set status = 'CLOSED', closed_by = :by, closed_at = :at where id = :id")
				.param("by", user.accountId())
				.param("at", java.sql.Timestamp.from(this.clock.instant()))
				.param("id", tube.id())
				.update();
			this.jdbc.sql("update sample set tube_open = false where tube_id = :id").param("id", tube.id()).update();
		}
		return view(user, tube.id());
	}

	@Transactional(readOnly = true)
	public TubeView get(CurrentUser user, long roundId, String rawBarcode) {
		user.require(Permission.COLLECT_SAMPLES);
		this.rounds.get(user, roundId);
		String barcode = barcode(rawBarcode);
		long id = this.jdbc.sql("select id, round_id from tube where barcode = :b")
			.param("b", barcode)
			.query((rs, n) -> {
				if (rs.getLong(2) != roundId) {
					throw new InvalidInput("barcode", "testing.tube.otherRound", barcode);
				}
				return rs.getLong(1);
			})
			.optional()
			.orElseThrow(() -> new NotFound("testing.tube.notFound"));
		Reach reach = reach(user, id);
		if (reach.mine() == 0 && reach.others() > 0) {
			// Nobody of the caller's in it: the tube is not theirs to know about, as if
			// it did not exist.
			throw new NotFound("testing.tube.notFound");
		}
		return view(user, id);
	}

	/**
	 * How many people of a tube lie inside the caller's jurisdiction, and how many
	 * outside.
	 */
	private record Reach(int mine, int others) {
	}

	private Reach reach(CurrentUser user, long tubeId) {
		return this.jdbc.sql("""
				select count(*) filter (where coalesce(m.path, s.path) like :scope) as mine,
				       count(*) filter (where coalesce(m.path, s.path) not like :scope) as others
				from sample s left join round_member m on m.round_id = s.round_id and m.resident_id = s.resident_id
				where s.tube_id = :tube""")
			.param("scope", user.scopePattern())
			.param("tube", tubeId)
			.query(Reach.class)
			.single();
	}

	/**
	 * Changing a tube (a swab in, one out, closing it) changes the testing record of
	 * everyone in it: only an account whose jurisdiction holds all of them may do it. A
	 * round over a whole street does not widen a community sampler's reach to the other
	 * communities' people.
	 */
	private void requireAllCovered(CurrentUser user, long tubeId) {
		Reach reach = reach(user, tubeId);
		if (reach.others() > 0) {
			throw new CurrentUser.OutsideJurisdictionException();
		}
	}

	/** The phone's key of a swab: a UUID or similar, at most 64 plain characters. */
	static String clientKey(String raw) {
		if (raw == null || raw.isBlank()) {
			return null;
		}
		if (!raw.matches("[A-Za-z0-9_-]{8,64}")) {
			throw new InvalidInput("idempotencyKey", "testing.sample.key.invalid");
		}
		return raw;
	}

	/**
	 * When the swab was taken: the phone's time for a swab sent late (never later than
	 * now: a phone's clock may run fast), now when the phone gives none.
	 */
	private Instant takenAt(Instant phone) {
		Instant now = this.clock.instant();
		if (phone == null || phone.isAfter(now)) {
			return now;
		}
		if (phone.isBefore(now.minus(OFFLINE_AGE))) {
			throw new InvalidInput("takenAt", "testing.sample.takenAt.tooOld");
		}
		return phone;
	}

	/** Normalizes what a scanner or a thumb typed: full-width, spaces, lower case. */
	static String barcode(String raw) {
		String clean = FullWidth.clean(raw == null ? "" : raw).replace(" ", "").toUpperCase(Locale.ROOT);
		if (!BARCODE.matcher(clean).matches()) {
			throw new InvalidInput("barcode", "testing.tube.barcode.invalid");
		}
		return clean;
	}

	private ResidentSnapshot identify(SampleRequest request) {
		if (request.qr() != null && !request.qr().isBlank()) {
			Passes.PassCheck check = this.passes.verify(request.qr());
			if (!check.valid()) {
				throw new InvalidInput("qr", check.reason());
			}
			return this.directory.byId(check.residentId())
				.orElseThrow(() -> new InvalidInput("qr", "gate.deny.passForged"));
		}
		if (request.idNumber() == null || request.idNumber().isBlank()) {
			throw new InvalidInput("qr", "testing.sample.identity.required");
		}
		IdNumberCheck check = IdNumber.check(request.idNumber(), LocalDate.now(this.clock));
		if (!check.valid()) {
			throw new InvalidInput("idNumber", check.reason());
		}
		return this.directory.byIdNumber(check.normalized())
			// Not registered at all answers as "not in this round / not yours": otherwise
			// a sampler could learn
			// whether an ID number is registered in another jurisdiction.
			.orElseThrow(() -> new InvalidInput("idNumber", "testing.sample.notInPopulation"));
	}

	private Long point(CurrentUser user, Long pointId) {
		if (pointId == null) {
			return null;
		}
		String path = this.jdbc
			.sql("select s.path from sampling_point p join testing_site s on s.id = p.site_id where p.id = :id")
			.param("id", pointId)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new InvalidInput("pointId", "testing.point.notFound"));
		if (!Rounds.overlaps(user, path)) {
			throw new InvalidInput("pointId", "testing.point.notFound");
		}
		return pointId;
	}

	private TubeRow lockedTube(Round round, String barcode) {
		long roundId = round.id();
		TubeRow tube = this.jdbc.sql("""
				select id, round_id, status, capacity, sample_count from tube
				where district_id = any(districts_under(:path)) and barcode = :b for update""")
			.param("path", round.path())
			.param("b", barcode)
			.query(TubeRow.class)
			.optional()
			.orElseThrow(() -> new NotFound("testing.tube.notFound"));
		if (tube.roundId() != roundId) {
			throw new InvalidInput("barcode", "testing.tube.otherRound", barcode);
		}
		return tube;
	}

	TubeView view(CurrentUser user, long tubeId) {
		List<Person> people = this.jdbc.sql("""
				select s.resident_id, r.name, m.home_sampling, s.retest, s.taken_at, null as subject_id, s.id
				from sample s join registry_resident r on r.id = s.resident_id
				join round_member m on m.round_id = s.round_id and m.resident_id = s.resident_id
				where s.tube_id = :tube and m.path like :scope
				union all
				select 0, p.name, false, s.retest, s.taken_at, s.subject_id, s.id
				from sample s join testing_subject p on p.id = s.subject_id
				where s.tube_id = :tube and s.path like :scope
				order by 5, 7""")
			.param("tube", tubeId)
			.param("scope", user.scopePattern())
			.query((rs, n) -> new Person(rs.getLong(1), PersonNames.initial(rs.getString(2)), rs.getBoolean(3),
					rs.getBoolean(4), rs.getTimestamp(5).toInstant(), rs.getObject(6, Long.class)))
			.list();
		return this.jdbc
			.sql("""
					select barcode, round_id, status, capacity, sample_count, opened_at, closed_at, result from tube where id = :id""")
			.param("id", tubeId)
			.query((rs, n) -> new TubeView(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
					rs.getInt(5) - people.size(), rs.getTimestamp(6).toInstant(),
					rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(), rs.getString(8), people))
			.single();
	}

}
