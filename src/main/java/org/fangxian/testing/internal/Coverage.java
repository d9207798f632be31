package org.fangxian.testing.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.RoomOrder;
import org.fangxian.shared.SpreadsheetText;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * 应检尽检: how far a round has got at any node, and who is still missing there. The
 * definitions (also in docs/glossary.md), over the round's population below the node:
 * <ul>
 * <li>exempt: exempted (away, under 3) and not sampled anyway;</li>
 * <li>expected: everyone else (the bedridden included: they are sampled at home);</li>
 * <li>sampled: expected people with a valid swab (in a tube that did not come back
 * invalid);</li>
 * <li>pending / negative / positive: the sampled, by their tubes' results (positive if
 * any is);</li>
 * <li>missing: expected and not sampled — the reminder and door-knocking list.</li>
 * </ul>
 * So expected = sampled + missing and sampled = pending + negative + positive.
 */
@Service
public class Coverage {

	private final JdbcClient jdbc;

	private final Rounds rounds;

	private final PersonalDataProtection protection;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Coverage(JdbcClient jdbc, Rounds rounds, PersonalDataProtection protection, ApplicationEventPublisher events,
			Clock clock) {
		this.clock = clock;
		this.jdbc = jdbc;
		this.rounds = rounds;
		this.protection = protection;
		this.events = events;
	}

	public record Counts(long expected, long sampled, long pending, long negative, long positive, long exempt,
			long missing) {

		/** Sampled as a share of expected, 0..100. */
		public int percent() {
			return this.expected == 0 ? 100 : (int) Math.floor(this.sampled * 100.0 / this.expected);
		}

	}

	/**
	 * Counts of one place below the node: a child node, or (from a community down) a
	 * building or unit.
	 */
	public record Part(long nodeId, String label, Counts counts) {
	}

	/**
	 * {@code positive} counts people, {@code positiveTubes} tubes: one positive pooled
	 * tube of ten is one tube and ten people (each to be re-tested alone), never
	 * "positive 10" alone.
	 */
	public record Report(long roundId, long nodeId, String nodeName, String nodeKind, long expected, long sampled,
			long pending, long negative, long positive, long exempt, long missing, List<Part> breakdown,
			long positiveTubes) {

		public Counts counts() {
			return new Counts(this.expected, this.sampled, this.pending, this.negative, this.positive, this.exempt,
					this.missing);
		}

	}

	public record MissingPerson(long residentId, String name, String address, String phone, boolean homeSampling,
			boolean resample) {
	}

	private static final String COUNTS = """
			count(*) filter (where m.exempt is null or m.state <> 'NONE') as expected,
			count(*) filter (where m.state <> 'NONE') as sampled,
			count(*) filter (where m.state = 'PENDING') as pending,
			count(*) filter (where m.state = 'NEGATIVE') as negative,
			count(*) filter (where m.state = 'POSITIVE') as positive,
			count(*) filter (where m.exempt is not null and m.state = 'NONE') as exempt,
			count(*) filter (where m.exempt is null and m.state = 'NONE') as missing
			""";

	private static Counts counts(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new Counts(rs.getLong("expected"), rs.getLong("sampled"), rs.getLong("pending"), rs.getLong("negative"),
				rs.getLong("positive"), rs.getLong("exempt"), rs.getLong("missing"));
	}

	/**
	 * @param place a 12-digit division code or a node id; blank: the round's node, or the
	 * user's own node when the round is wider than their jurisdiction
	 */
	@Transactional(readOnly = true)
	public Report report(CurrentUser user, long roundId, String place, boolean breakdown) {
		user.require(Permission.MANAGE_TESTING);
		Round round = this.rounds.get(user, roundId);
		Node node = node(user, round, place);
		Counts total = this.jdbc
			.sql("select " + COUNTS
					+ " from round_member m where m.round_id = :round and m.path ~>=~ :from and m.path ~<~ :to")
			.param("round", roundId)
			.param("from", node.path())
			.param("to", node.subtreeEnd())
			.query((rs, n) -> counts(rs))
			.single();
		List<Part> parts = breakdown ? breakdown(roundId, node) : List.of();
		// Tubes with a positive result holding anyone below the node (a street's pooled
		// tube may mix two communities: each counts it once).
		long positiveTubes = this.jdbc.sql("""
				select count(distinct t.id) from tube t join sample s on s.tube_id = t.id
				join round_member m on m.round_id = s.round_id and m.resident_id = s.resident_id
				where t.round_id = :round and t.result = 'POSITIVE' and m.path ~>=~ :from and m.path ~<~ :to""")
			.param("round", roundId)
			.param("from", node.path())
			.param("to", node.subtreeEnd())
			.query(Long.class)
			.single();
		return new Report(roundId, node.id(), node.name(), node.kind().name(), total.expected(), total.sampled(),
				total.pending(), total.negative(), total.positive(), total.exempt(), total.missing(), parts,
				positiveTubes);
	}

	/**
	 * Above a community, by child (streets of a district, communities of a street); from
	 * a community down, by the place people are registered at (building and unit),
	 * labelled from below the node.
	 */
	private List<Part> breakdown(long roundId, Node node) {
		if (node.kind().ordinal() < NodeKind.COMMUNITY.ordinal()) {
			return this.jdbc.sql(
					"select g.child, c.name, g.* from (select cast(split_part(substr(m.path, length(:path) + 1), '/', 1) as bigint) as child, "
							+ COUNTS
							+ """
									 from round_member m where m.round_id = :round and m.path ~>=~ :from and m.path ~<~ :to and m.path <> :path group by 1) g
									join registry_division c on c.id = g.child order by c.code nulls last, c.name""")
				.param("round", roundId)
				.param("path", node.path())
				.param("from", node.path())
				.param("to", node.subtreeEnd())
				.query((rs, n) -> new Part(rs.getLong(1), rs.getString(2), counts(rs)))
				.list();
		}
		return this.jdbc
			.sql("select g.node_id, (select string_agg(a.name, ' ' order by length(a.path)) from registry_division a "
					+ "where a.id = any (cast(string_to_array(trim(both '/' from n.path), '/') as bigint[])) and length(a.path) > length(:path)) as label, g.* "
					+ "from (select m.node_id, " + COUNTS
					+ """
							 from round_member m where m.round_id = :round and m.path ~>=~ :from and m.path ~<~ :to group by m.node_id) g
							join registry_division n on n.id = g.node_id order by n.path""")
			.param("round", roundId)
			.param("path", node.path())
			.param("from", node.path())
			.param("to", node.subtreeEnd())
			.query((rs, n) -> new Part(rs.getLong(1), rs.getString(2) == null ? "" : rs.getString(2), counts(rs)))
			.list()
			.stream()
			.sorted(java.util.Comparator.comparing(Part::label, Coverage::natural))
			.toList();
	}

	/** "2栋 1单元" before "10栋 1单元". */
	static int natural(String a, String b) {
		String[] x = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
		String[] y = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
		for (int i = 0; i < Math.min(x.length, y.length); i++) {
			int c = x[i].matches("\\d{1,9}") && y[i].matches("\\d{1,9}")
					? Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i])) : x[i].compareTo(y[i]);
			if (c != 0) {
				return c;
			}
		}
		return Integer.compare(x.length, y.length);
	}

	/** Swabs of one hour of the round, and all of them up to its end. */
	public record Hour(Instant start, long swabs, long cumulative) {
	}

	/**
	 * The round's progress hour by hour below the node: routine swabs that count (not in
	 * a tube that came back invalid, not re-tests), so the last running total is the
	 * coverage's "sampled" (exempt people who came anyway included).
	 */
	@Transactional(readOnly = true)
	public List<Hour> timeline(CurrentUser user, long roundId, String place) {
		user.require(Permission.MANAGE_TESTING);
		Round round = this.rounds.get(user, roundId);
		Node node = node(user, round, place);
		// The whole round needs no join to its members: every sample of the round is
		// below its node.
		// Below it, start from the node's members and fetch each one's routine sample by
		// its index
		// (offset 0 keeps the planner from turning that into a hash join over all the
		// round's samples).
		String sql = node.path().equals(round.path())
				? """
						select date_trunc('hour', s.taken_at) as hour, count(*) from sample s
						where s.round_id = :round and not s.voided and not s.retest and s.resident_id is not null group by 1 order by 1"""
				: """
						select date_trunc('hour', s.taken_at) as hour, count(*) from round_member m
						cross join lateral (select x.taken_at from sample x
						                    where x.round_id = m.round_id and x.resident_id = m.resident_id
						                      and not x.voided and not x.retest offset 0) s
						where m.round_id = :round and m.path ~>=~ :from and m.path ~<~ :to
						group by 1 order by 1""";
		List<Hour> hours = new java.util.ArrayList<>();
		long[] total = { 0 };
		this.jdbc.sql(sql)
			.param("round", roundId)
			.param("from", node.path())
			.param("to", node.subtreeEnd())
			.query((rs, n) -> {
				total[0] += rs.getLong(2);
				return hours.add(new Hour(rs.getTimestamp(1).toInstant(), rs.getLong(2), total[0]));
			})
			.list();
		return hours;
	}

	public static final int MISSING_LIMIT = 5000;

	/** People per page of the missing list on the round page. */
	public static final int MISSING_PAGE = 50;

	/**
	 * Who is missing below the node, by address, for door-knocking. Phones are masked;
	 * the full number needs {@code REVEAL_PERSONAL_DATA} and is audited.
	 */
	@Transactional
	public List<MissingPerson> missing(CurrentUser user, long roundId, String place, boolean reveal) {
		return missingPage(user, roundId, place, reveal, 0, MISSING_LIMIT).people();
	}

	/**
	 * One page of the missing list: {@code total} is everyone missing below the node (up
	 * to {@link #MISSING_LIMIT}), {@code people} the ones from {@code offset}.
	 */
	public record MissingPage(int offset, int size, int total, List<MissingPerson> people) {

		public boolean hasPrevious() {
			return this.offset > 0;
		}

		public boolean hasNext() {
			return this.offset + this.people.size() < this.total;
		}

		/** The 1-based number of the first person shown. */
		public int from() {
			return this.people.isEmpty() ? 0 : this.offset + 1;
		}

		public int to() {
			return this.offset + this.people.size();
		}

	}

	@Transactional
	public MissingPage missingPage(CurrentUser user, long roundId, String place, boolean reveal, int offset, int size) {
		user.require(Permission.MANAGE_TESTING);
		user.require(Permission.VIEW_RESIDENTS);
		if (reveal) {
			user.require(Permission.REVEAL_PERSONAL_DATA);
		}
		if (offset < 0 || size < 1) {
			throw new InvalidInput("page", "testing.missing.page");
		}
		Round round = this.rounds.get(user, roundId);
		Node node = node(user, round, place);
		List<MissingPerson> all = this.jdbc
			.sql("""
					select r.id, r.name, coalesce(h.address, r.address, '') as address, r.phone_masked, r.phone_cipher, m.home_sampling,
					       exists (select 1 from testing_followup f where f.round_id = m.round_id and f.resident_id = m.resident_id
					               and f.kind = 'RESAMPLE') as resample
					from round_member m join registry_resident r on r.id = m.resident_id left join registry_household h on h.id = m.household_id
					where m.round_id = :round and m.path ~>=~ :from and m.path ~<~ :to and m.state = 'NONE' and m.exempt is null
					limit :limit""")
			.param("round", roundId)
			.param("from", node.path())
			.param("to", node.subtreeEnd())
			.param("limit", MISSING_LIMIT)
			.query((rs, n) -> new MissingPerson(rs.getLong(1), rs.getString(2), rs.getString(3),
					reveal ? this.protection.decrypt(rs.getBytes(5)) : rs.getString(4), rs.getBoolean(6),
					rs.getBoolean(7)))
			.list();
		// The address holds compound, building, unit and room ("3栋2单元1001室"): door
		// order, so a worker walks the list floor by floor, unit by unit (101 before
		// 1001).
		List<MissingPerson> sorted = all.stream()
			.sorted(java.util.Comparator.comparing(MissingPerson::address, RoomOrder.ROOMS)
				.thenComparingLong(MissingPerson::residentId))
			.toList();
		List<MissingPerson> people = sorted.subList(Math.min(offset, sorted.size()),
				Math.min(sorted.size(), offset + Math.min(size, MISSING_LIMIT)));
		this.events.publishEvent(AuditEvent.of(user, reveal ? "TESTING_MISSING_REVEALED" : "TESTING_MISSING_VIEWED",
				"testing_round", roundId, "node " + node.id() + ", " + people.size() + " people"));
		return new MissingPage(offset, size, sorted.size(), people);
	}

	/**
	 * The coverage by place and the missing list (masked) as a workbook; audited as an
	 * export.
	 */
	@Transactional
	public void export(CurrentUser user, long roundId, String place, OutputStream out, Function<String, String> text)
			throws IOException {
		Report report = report(user, roundId, place, true);
		List<MissingPerson> people = missing(user, roundId, String.valueOf(report.nodeId()), false);
		Workbook workbook = new Workbook(out, "Fangxian", "1.0");
		Worksheet sheet = workbook.newWorksheet(text.apply("testing.export.coverageSheet"));
		String[] heads = { "testing.coverage.place", "testing.coverage.expected", "testing.coverage.sampled",
				"testing.coverage.pending", "testing.coverage.negative", "testing.coverage.positive",
				"testing.coverage.exempt", "testing.coverage.missing", "testing.coverage.percent" };
		for (int c = 0; c < heads.length; c++) {
			sheet.value(0, c, text.apply(heads[c]));
			sheet.style(0, c).bold().set();
		}
		int row = 1;
		row(sheet, row++, report.nodeName(), report.counts());
		for (Part part : report.breakdown()) {
			row(sheet, row++, part.label(), part.counts());
		}
		Worksheet progress = workbook.newWorksheet(text.apply("testing.export.progressSheet"));
		String[] progressHeads = { "testing.progress.hour", "testing.progress.swabs", "testing.progress.cumulative",
				"testing.coverage.percent" };
		for (int c = 0; c < progressHeads.length; c++) {
			progress.value(0, c, text.apply(progressHeads[c]));
			progress.style(0, c).bold().set();
		}
		row = 1;
		DateTimeFormatter hourFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00").withZone(this.clock.getZone());
		for (Hour hour : timeline(user, roundId, String.valueOf(report.nodeId()))) {
			progress.value(row, 0, hourFormat.format(hour.start()));
			progress.value(row, 1, hour.swabs());
			progress.value(row, 2, hour.cumulative());
			progress.value(row, 3,
					report.expected() == 0 ? 100 : (int) Math.min(100, hour.cumulative() * 100 / report.expected()));
			row++;
		}
		Worksheet list = workbook.newWorksheet(text.apply("testing.export.missingSheet"));
		String[] listHeads = { "field.name", "testing.missing.address", "field.phone", "testing.missing.note" };
		for (int c = 0; c < listHeads.length; c++) {
			list.value(0, c, text.apply(listHeads[c]));
			list.style(0, c).bold().set();
		}
		row = 1;
		for (MissingPerson p : people) {
			list.value(row, 0, SpreadsheetText.cell(p.name()));
			list.value(row, 1, SpreadsheetText.cell(p.address()));
			list.value(row, 2, SpreadsheetText.cell(p.phone()));
			list.value(row, 3, p.homeSampling() ? text.apply("testing.missing.homeSampling")
					: p.resample() ? text.apply("testing.missing.resample") : "");
			row++;
		}
		workbook.finish();
		this.events.publishEvent(AuditEvent.of(user, "TESTING_COVERAGE_EXPORTED", "testing_round", roundId,
				"node " + report.nodeId() + ", " + people.size() + " missing people"));
	}

	private static void row(Worksheet sheet, int row, String label, Counts c) {
		sheet.value(row, 0, SpreadsheetText.cell(label));
		long[] values = { c.expected(), c.sampled(), c.pending(), c.negative(), c.positive(), c.exempt(), c.missing() };
		for (int i = 0; i < values.length; i++) {
			sheet.value(row, i + 1, values[i]);
		}
		sheet.value(row, 8, c.percent());
	}

	/** The node a coverage request names, within the user's jurisdiction. */
	Node node(CurrentUser user, Round round, String place) {
		String text = place == null ? "" : place.trim();
		if (text.isEmpty()) {
			return this.rounds.place(user,
					user.covers(round.path()) || user.nodeId() == null ? round.nodeId() : user.nodeId(), null);
		}
		if (text.matches("\\d{12}")) {
			return this.rounds.place(user, null, text);
		}
		if (text.matches("\\d{1,11}")) {
			return this.rounds.place(user, Long.valueOf(text), null);
		}
		throw new InvalidInput("code", "testing.coverage.code");
	}

}
