package org.fangxian.testing.internal;

import org.fangxian.testing.LabResultsRecorded;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.PersonNames;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imports a lab's results. The whole file is one transaction: good rows are kept, bad
 * rows reported with their row number and reason, and the same file imported twice
 * changes nothing the second time. A result that contradicts one already recorded is
 * refused, never silently overwritten.
 *
 * <p>
 * A positive pooled tube lists its people at once and marks each for an individual
 * re-test and home isolation until then; an invalid tube voids its swabs, so its people
 * count as not sampled and are asked to come again. Both become follow-ups the community
 * worker sees.
 */
@Service
public class LabResults {

	public enum Result {

		NEGATIVE, POSITIVE, INVALID;

		static Optional<Result> parse(String raw) {
			String clean = raw.trim().toUpperCase(Locale.ROOT);
			return Optional.ofNullable(switch (clean) {
				case "阴性", "阴", "-", "NEGATIVE", "NEG", "N" -> NEGATIVE;
				case "阳性", "阳", "+", "POSITIVE", "POS", "P" -> POSITIVE;
				case "无效", "INVALID", "无效样本", "不合格" -> INVALID;
				default -> null;
			});
		}

	}

	/**
	 * @param reason message key; {@code message} the sentence in the user's language
	 * (filled by the web layer)
	 */
	public record Rejected(int row, String barcode, String reason, Object[] args) {
	}

	public record PositiveTube(String barcode, long roundId, List<TracedPerson> people) {
	}

	public record TracedPerson(long residentId, String name, String address) {
	}

	public record Report(long importId, int accepted, int unchanged, List<Rejected> rejected,
			List<PositiveTube> positiveTubes) {
	}

	private static final int CHUNK = 1000;

	/**
	 * Tubes written per step. Recomputing people's states joins their samples by hash,
	 * reading the round's sample and member tables once per step whatever its size, so
	 * fewer, larger steps: 10,000 tubes (about 100,000 people, under the driver's 32,767
	 * parameters a statement).
	 */
	private static final int WRITE_CHUNK = 10_000;

	private static final DateTimeFormatter[] TIME_FORMATS = { DateTimeFormatter.ofPattern("yyyy-M-d H:m[:s]"),
			DateTimeFormatter.ofPattern("yyyy/M/d H:m[:s]"), DateTimeFormatter.ofPattern("yyyy-M-d'T'H:m[:s]"),
			DateTimeFormatter.ofPattern("yyyy.M.d H:m[:s]"), DateTimeFormatter.ofPattern("yyyyMMddHHmmss") };

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate batch;

	private final MemberStates states;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final SubjectResultTexts subjectTexts;

	LabResults(JdbcClient jdbc, NamedParameterJdbcTemplate batch, MemberStates states, ApplicationEventPublisher events,
			Clock clock, SubjectResultTexts subjectTexts) {
		this.subjectTexts = subjectTexts;
		this.jdbc = jdbc;
		this.batch = batch;
		this.states = states;
		this.events = events;
		this.clock = clock;
	}

	private record Tube(long id, long roundId, String path, String status, String result) {
	}

	private record Accepted(long tubeId, long roundId, String barcode, Result result, Instant at) {
	}

	@Transactional
	public Report importFile(CurrentUser user, String filename, byte[] content) {
		user.require(Permission.MANAGE_TESTING);
		List<LabFile.Line> lines = LabFile.read(filename, content);
		// One import at a time: the same file sent twice at once must still count as
		// "unchanged" the second time.
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('testing.result_import'))").query(Object.class).list();

		Map<String, Tube> tubes = tubes(lines);
		List<Rejected> rejected = new ArrayList<>();
		Map<String, Result> inFile = new HashMap<>();
		List<Accepted> accepted = new ArrayList<>();
		int unchanged = 0;
		for (LabFile.Line line : lines) {
			String barcode = line.barcode().replace(" ", "").toUpperCase(Locale.ROOT);
			if (!Tubes.BARCODE.matcher(barcode).matches()) {
				rejected.add(new Rejected(line.row(), line.barcode(), "testing.import.barcode", new Object[0]));
				continue;
			}
			Optional<Result> result = Result.parse(line.result());
			if (result.isEmpty()) {
				rejected
					.add(new Rejected(line.row(), barcode, "testing.import.result", new Object[] { line.result() }));
				continue;
			}
			Optional<Instant> at = time(line.time());
			if (at.isEmpty()) {
				rejected.add(new Rejected(line.row(), barcode, "testing.import.time", new Object[] { line.time() }));
				continue;
			}
			Tube tube = tubes.get(barcode);
			// A tube of a round the user does not cover is reported exactly like one that
			// does not exist.
			if (tube == null || !user.covers(tube.path())) {
				rejected.add(new Rejected(line.row(), barcode, "testing.import.unknownTube", new Object[0]));
				continue;
			}
			if (tube.status().equals("OPEN")) {
				rejected.add(new Rejected(line.row(), barcode, "testing.import.tubeOpen", new Object[0]));
				continue;
			}
			String earlier = tube.result() != null ? tube.result()
					: inFile.containsKey(barcode) ? inFile.get(barcode).name() : null;
			if (earlier == null) {
				accepted.add(new Accepted(tube.id(), tube.roundId(), barcode, result.get(), at.get()));
				inFile.put(barcode, result.get());
			}
			else if (earlier.equals(result.get().name())) {
				unchanged++;
			}
			else {
				rejected.add(new Rejected(line.row(), barcode, "testing.import.contradicts", new Object[] { earlier }));
			}
		}

		long importId = this.jdbc.sql("""
				insert into result_import (account_id, filename, accepted, unchanged, rejected, positive)
				values (:account, :filename, :accepted, :unchanged, :rejected, :positive) returning id""")
			.param("account", user.accountId())
			.param("filename", filename == null ? "" : filename.length() > 255 ? filename.substring(0, 255) : filename)
			.param("accepted", accepted.size())
			.param("unchanged", unchanged)
			.param("rejected", rejected.size())
			.param("positive", accepted.stream().filter(a -> a.result() == Result.POSITIVE).count())
			.query(Long.class)
			.single();
		for (int from = 0; from < accepted.size(); from += WRITE_CHUNK) {
			List<Accepted> chunk = accepted.subList(from, Math.min(accepted.size(), from + WRITE_CHUNK));
			this.batch.batchUpdate("""
					update tube set result = :result, result_at = :at, import_id = :import
					where id = :id and result is null""",
					chunk.stream()
						.map(a -> new MapSqlParameterSource().addValue("result", a.result().name())
							.addValue("at", Timestamp.from(a.at()))
							.addValue("import", importId)
							.addValue("id", a.tubeId()))
						.toArray(MapSqlParameterSource[]::new));
			List<Long> invalid = chunk.stream()
				.filter(a -> a.result() == Result.INVALID)
				.map(Accepted::tubeId)
				.toList();
			if (!invalid.isEmpty()) {
				this.jdbc.sql("update sample set voided = true where tube_id in (:tubes)")
					.param("tubes", invalid)
					.update();
			}
			followUps(chunk, Result.POSITIVE, "RETEST");
			followUps(chunk, Result.INVALID, "RESAMPLE");
			this.states.refreshTubes(chunk.stream().map(Accepted::tubeId).toList());
			this.subjectTexts.resultsArrived(chunk.stream().map(Accepted::tubeId).toList());
			List<Long> conclusive = chunk.stream()
				.filter(a -> a.result() != Result.INVALID)
				.map(Accepted::tubeId)
				.toList();
			if (!conclusive.isEmpty()) {
				List<LabResultsRecorded.PersonResult> people = personResults(conclusive);
				resolveRetests(people);
				// In this transaction: a case opened or a quarantine test recorded from
				// it commits with the result.
				this.events.publishEvent(new LabResultsRecorded(importId, user.accountId(), user.username(), people));
			}
		}
		List<PositiveTube> positives = accepted.stream()
			.filter(a -> a.result() == Result.POSITIVE)
			.map(a -> new PositiveTube(a.barcode(), a.roundId(), people(a.tubeId())))
			.toList();
		this.events.publishEvent(AuditEvent.of(user, "LAB_RESULTS_IMPORTED", "result_import", importId,
				accepted.size() + " accepted, " + unchanged + " unchanged, " + rejected.size() + " rejected, "
						+ positives.size() + " positive"));
		return new Report(importId, accepted.size(), unchanged, rejected, positives);
	}

	/**
	 * The people of these tubes with their result. A tube of one (a 1-in-1 re-test, or a
	 * round without pooling) is an individual result; a pooled one is not, whatever it
	 * says.
	 */
	private List<LabResultsRecorded.PersonResult> personResults(List<Long> tubeIds) {
		return this.jdbc.sql("""
				select s.resident_id, t.barcode, s.taken_at, t.result_at, t.result, t.capacity = 1 as individual
				from sample s join tube t on t.id = s.tube_id
				where s.tube_id in (:tubes) and not s.voided and s.resident_id is not null""")
			.param("tubes", tubeIds)
			.query((rs, n) -> new LabResultsRecorded.PersonResult(rs.getLong("resident_id"), rs.getString("barcode"),
					rs.getTimestamp("taken_at").toInstant(), rs.getTimestamp("result_at").toInstant(),
					rs.getString("result").equals("POSITIVE"), rs.getBoolean("individual")))
			.list();
	}

	/**
	 * An individual result ends the wait for a re-test (待复核): negative releases, positive
	 * makes a case.
	 */
	private void resolveRetests(List<LabResultsRecorded.PersonResult> people) {
		for (boolean positive : new boolean[] { false, true }) {
			List<Long> residents = people.stream()
				.filter(p -> p.individual() && p.positive() == positive)
				.map(LabResultsRecorded.PersonResult::residentId)
				.toList();
			if (residents.isEmpty()) {
				continue;
			}
			this.jdbc.sql("""
					update testing_followup set resolved_at = now(), resolution = :resolution
					where resident_id in (:residents) and kind = 'RETEST' and resolved_at is null""")
				.param("resolution", positive ? "POSITIVE" : "NEGATIVE")
				.param("residents", residents)
				.update();
		}
	}

	private void followUps(List<Accepted> chunk, Result result, String kind) {
		List<Long> tubeIds = chunk.stream().filter(a -> a.result() == result).map(Accepted::tubeId).toList();
		if (tubeIds.isEmpty()) {
			return;
		}
		// A positive tube of one is the person's own result: no re-test, a case (see
		// resolveRetests).
		this.jdbc.sql("""
				insert into testing_followup (round_id, tube_id, resident_id, path, kind)
				select s.round_id, s.tube_id, s.resident_id, m.path, :kind
				from sample s join round_member m on m.round_id = s.round_id and m.resident_id = s.resident_id
				join tube t on t.id = s.tube_id
				where s.tube_id in (:tubes) and (:kind <> 'RETEST' or t.capacity > 1)
				on conflict (tube_id, resident_id) do nothing""").param("kind", kind).param("tubes", tubeIds).update();
	}

	private List<TracedPerson> people(long tubeId) {
		return this.jdbc.sql("""
				select r.id, r.name, coalesce(h.address, r.address, '') from sample s
				join registry_resident r on r.id = s.resident_id left join registry_household h on h.id = r.household_id
				where s.tube_id = :tube order by r.id""")
			.param("tube", tubeId)
			.query((rs, n) -> new TracedPerson(rs.getLong(1), PersonNames.initial(rs.getString(2)), rs.getString(3)))
			.list();
	}

	private Map<String, Tube> tubes(List<LabFile.Line> lines) {
		List<String> barcodes = lines.stream()
			.map(l -> l.barcode().replace(" ", "").toUpperCase(Locale.ROOT))
			.distinct()
			.toList();
		Map<String, Tube> tubes = new LinkedHashMap<>();
		for (int from = 0; from < barcodes.size(); from += CHUNK) {
			this.jdbc.sql("""
					select t.barcode, t.id, t.round_id, r.path, t.status, t.result
					from tube t join testing_round r on r.id = t.round_id where t.barcode in (:barcodes)""")
				.param("barcodes", barcodes.subList(from, Math.min(barcodes.size(), from + CHUNK)))
				.query((rs, n) -> tubes.put(rs.getString(1),
						new Tube(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6))))
				.list();
		}
		return tubes;
	}

	/** Lab time as written; blank means "now" (the lab reported it without a time). */
	Optional<Instant> time(String raw) {
		String text = raw == null ? "" : raw.trim();
		if (text.isEmpty()) {
			return Optional.of(this.clock.instant());
		}
		try {
			return Optional.of(OffsetDateTime.parse(text).toInstant());
		}
		catch (DateTimeParseException ex) {
			// not ISO with an offset: a local time as labs write it
		}
		for (DateTimeFormatter format : TIME_FORMATS) {
			try {
				return Optional.of(LocalDateTime.parse(text, format).atZone(this.clock.getZone()).toInstant());
			}
			catch (DateTimeParseException ex) {
				// try the next way of writing it
			}
		}
		try {
			return Optional.of(LocalDate.parse(text.replace('/', '-'), DateTimeFormatter.ofPattern("yyyy-M-d"))
				.atStartOfDay(this.clock.getZone())
				.toInstant());
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

}
