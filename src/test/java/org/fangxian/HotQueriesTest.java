package org.fangxian;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hot query names its district (issue 17; docs/scaling.md): on Citus the district
 * is the distribution column, and a query that does not name it goes to every shard. The
 * hot tables carry {@code district_id}, derived by the database (V90), so inserts need no
 * change; the reads, updates and deletes of the hot paths filter by it
 * ({@code district_id = :district} or {@code district_id = any(districts_under(:path))}).
 *
 * <p>
 * {@link #HOT} is the registry of hot statements (file → a fragment of each), each of
 * which must filter by the district. Any other statement in the main sources that reads,
 * updates or deletes a hot table without the filter must be in a file of
 * {@link #NOT_YET}, with the reason; that list may only shrink.
 */
class HotQueriesTest {

	private static final Path SOURCES = Path.of("src/main/java/org/fangxian");

	static final Set<String> HOT_TABLES = Set.of("gate_scan", "gate_visit", "checkpoint_alert", "tube", "sample",
			"quarantine_check_in", "audit_event", "outbox_message");

	/** The hot statements: file → a fragment (whitespace-insensitive) of each. */
	static final Map<String, List<String>> HOT = Map.of(
			// a scan sent again gets its first answer
			"checkpoint/internal/GateScans.java", List.of("select id, decision, reason, resident_id from gate_scan"),
			"checkpoint/internal/GateVisits.java", List.of("select id from gate_visit"),
			// the guard's live counters (polled) and the worker's alerts
			"checkpoint/internal/GateCounters.java",
			List.of("from gate_scan where", "from gate_visit where", "from checkpoint_alert a",
					"update checkpoint_alert"),
			// a swab: the retried key, the tube locked, the person already in it or in
			// another
			"testing/internal/Tubes.java",
			List.of("select tube_id from sample", "from tube where district_id",
					"select count(*) from sample where district_id", "select t.barcode, t.status from sample s"),
			"quarantine/internal/QuarantineBook.java", List.of("from quarantine_check_in where"),
			"audit/internal/AuditLog.java", List.of("from audit_event"), "notification/Outbox.java",
			List.of("delivered_at, last_error from outbox_message", "select status, count(*) from outbox_message"));

	/**
	 * Files with statements on hot tables that do not name the district yet, and why. May
	 * only shrink.
	 */
	static final Map<String, String> NOT_YET = Map.ofEntries(
	// @formatter:off
			Map.entry("checkpoint/Passages.java", "tracing: a person's passages by resident id, a fan-out at a few a second"),
			Map.entry("checkpoint/internal/GateCounters.java", "an alert found by its id before the scope check (one click)"),
			Map.entry("notification/internal/OutboxDispatcher.java", "the sender claims due messages of every district; on Citus a claim per district"),
			Map.entry("notification/internal/DeliveryReceipts.java", "a receipt names only the centre's message id"),
			Map.entry("notification/internal/OutboxRetention.java", "the nightly retention deletes old finished texts of every district (on Citus one delete on each shard)"),
			Map.entry("quarantine/ContainmentFigures.java", "dashboard figures over a subtree (to become read models)"),
			Map.entry("quarantine/internal/QuarantineBook.java", "check-in sub-queries correlated to the quarantine row (co-located on Citus)"),
			Map.entry("quarantine/internal/QuarantineDataPurge.java", "the purge, batched over a subtree, once an emergency ends"),
			Map.entry("testing/RoadRetests.java", "road re-tests by person, across districts by nature"),
			Map.entry("testing/SamplingRecords.java", "tracing's reads of tube mates and sampling windows"),
			Map.entry("testing/internal/Coverage.java", "coverage over a subtree (round_member, scoped by path)"),
			Map.entry("testing/internal/Followups.java", "follow-ups of a lab result"),
			Map.entry("testing/internal/LabResults.java", "the lab file names tubes by barcode only"),
			Map.entry("testing/internal/MemberStates.java", "people's states recomputed per import chunk"),
			Map.entry("testing/internal/Sites.java", "a site's pace over its points' tubes"),
			Map.entry("testing/internal/Subjects.java", "a testing subject's samples"),
			Map.entry("testing/internal/SubjectResultTexts.java", "result texts for the tubes a lab import just resulted"),
			Map.entry("testing/internal/Tubes.java", "a tube's view, removals and close (after the locked, district-scoped look-up)"));
	// @formatter:on

	private static final Pattern READS_HOT_TABLE = Pattern
		.compile("(?i)\\b(?:from|join|update)\\s+(" + String.join("|", HOT_TABLES) + ")\\b");

	private static final Pattern DISTRICT_FILTER = Pattern.compile("(?i)\\bdistrict_id\\s*=\\s*(?:any\\s*\\(|:[a-z])");

	@Test
	void everyHotQueryFiltersByItsDistrict() {
		List<String> problems = new ArrayList<>();
		HOT.forEach((file, fragments) -> {
			List<String> literals = TableOwnershipTest.stringLiterals(read(SOURCES.resolve(file)));
			for (String fragment : fragments) {
				List<String> matching = literals.stream()
					.filter(literal -> squeeze(literal).contains(squeeze(fragment)))
					.toList();
				if (matching.size() != 1) {
					problems.add(file + ": '" + fragment + "' names " + matching.size()
							+ " statements, not one (update the registry)");
				}
				else if (!READS_HOT_TABLE.matcher(matching.get(0)).find()) {
					problems.add(file + ": '" + fragment + "' is not a statement on a hot table");
				}
				else if (!DISTRICT_FILTER.matcher(matching.get(0)).find()) {
					problems.add(file + ": hot statement without district_id filter: " + squeeze(matching.get(0)));
				}
			}
		});
		assertThat(problems).isEmpty();
	}

	@Test
	void otherStatementsOnHotTablesAreListedUntilTheyFilterByDistrict() {
		Map<String, Integer> found = new TreeMap<>();
		for (Path file : javaFiles()) {
			String relative = SOURCES.relativize(file).toString().replace('\\', '/');
			int count = unfiltered(read(file)).size();
			if (count > 0) {
				found.put(relative, count);
			}
		}
		Set<String> added = new TreeSet<>(found.keySet());
		added.removeAll(NOT_YET.keySet());
		Set<String> gone = new TreeSet<>(NOT_YET.keySet());
		gone.removeAll(found.keySet());
		assertThat(added).as("statements on hot tables without a district_id filter (file → count): %s", found)
			.isEmpty();
		assertThat(gone).as("these files filter every hot statement by district now: delete them from NOT_YET")
			.isEmpty();
	}

	@Test
	void findsAHotStatementWithoutItsDistrict() {
		String source = """
				class Scans {
					String bad = \"""
							select id from gate_scan where checkpoint_id = :c
							\""";
					String good = \"""
							select id from gate_scan where district_id = :d and checkpoint_id = :c
							\""";
					String scoped = "update tube set status = 'CLOSED' where district_id = any(districts_under(:path))";
					String insert = "insert into gate_scan (checkpoint_id) values (:c)";
					String other = "select id from resident where id = :id";
				}
				""";
		assertThat(unfiltered(source)).singleElement().satisfies(sql -> assertThat(sql).contains("checkpoint_id = :c"));
	}

	/** A statement on residents, and the alias it gives them (group 1), if any. */
	private static final Pattern READS_RESIDENTS = Pattern.compile(
			"(?i)\\b(?:from|join|update)\\s+(?:resident|registry_resident)\\b(?:\\s+(?:as\\s+)?(?!where\\b|join\\b|left\\b|on\\b|order\\b|limit\\b|set\\b)([a-z_]\\w*))?");

	private static final Pattern NAMES_DISTRICT = Pattern
		.compile("(?i)\\bdistrict_id\\s*=\\s*(?:any\\s*\\(|:[a-z]|district_of\\s*\\()");

	/**
	 * Residents read by path name their district: the path index is led by it (V123), so
	 * a scope without it reads the whole city's index (393 ms for a community at 3
	 * million residents, against 24 ms with it).
	 */
	@Test
	void residentsReadByPathNameTheirDistrict() {
		List<String> problems = new ArrayList<>();
		for (Path file : javaFiles()) {
			residentsByPathWithoutDistrict(read(file))
				.forEach(sql -> problems.add(SOURCES.relativize(file) + ": " + squeeze(sql)));
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void findsResidentsReadByPathWithoutTheirDistrict() {
		String source = """
				class Directory {
					String bad = "select count(*) from resident where path like :p";
					String good = "select id from resident where district_id = any(districts_under(:s)) and path like :p";
					String building = "select id from registry_resident r where r.district_id = district_of(:b) and r.path ~>=~ :b";
					String byId = "select path from resident where id = :id";
					String joined = "select r.name from round_member m join registry_resident r on r.id = m.resident_id where m.path like :p";
					String aliased = "select r.id from registry_resident r where r.path like :p";
				}
				""";
		assertThat(residentsByPathWithoutDistrict(source)).containsExactly(
				"select count(*) from resident where path like :p",
				"select r.id from registry_resident r where r.path like :p");
	}

	static List<String> residentsByPathWithoutDistrict(String javaSource) {
		return TableOwnershipTest.stringLiterals(javaSource)
			.stream()
			.filter(HotQueriesTest::readsResidentsByPath)
			.filter(literal -> !NAMES_DISTRICT.matcher(literal).find())
			.toList();
	}

	/**
	 * Whether a statement picks residents by their own path (unqualified, or by the alias
	 * it gives them), not by another table's joined to them by id.
	 */
	private static boolean readsResidentsByPath(String sql) {
		java.util.regex.Matcher residents = READS_RESIDENTS.matcher(sql);
		while (residents.find()) {
			String alias = residents.group(1);
			String own = alias == null ? "(?:^|[^\\w.]|\\bresident\\.)"
					: "(?:^|[^\\w.]|\\b(?:resident|" + Pattern.quote(alias) + ")\\.)";
			if (Pattern.compile("(?i)" + own + "path\\s+(?:like|~>=~)").matcher(sql).find()) {
				return true;
			}
		}
		return false;
	}

	/** The statements of a source that read, update or delete a hot table unfiltered. */
	static List<String> unfiltered(String javaSource) {
		return TableOwnershipTest.stringLiterals(javaSource)
			.stream()
			.filter(literal -> READS_HOT_TABLE.matcher(literal).find())
			.filter(literal -> !DISTRICT_FILTER.matcher(literal).find())
			.toList();
	}

	private static String squeeze(String sql) {
		return sql.replaceAll("\\s+", " ").trim();
	}

	private static List<Path> javaFiles() {
		try (Stream<Path> files = Files.walk(SOURCES)) {
			return files.filter(path -> path.toString().endsWith(".java")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
