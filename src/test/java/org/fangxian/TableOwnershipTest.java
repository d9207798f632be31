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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A module's SQL names only its own tables: what it needs from another module it gets
 * through that module's published API. A table belongs to the module whose migration
 * creates it; the test reads every string literal and text block of each module's main
 * sources and fails on a {@code from}, {@code join}, {@code into}, {@code update} or
 * {@code references} naming another module's table.
 *
 * <p>
 * The subtree {@code path} ({@code /1/7/42/}) is the shared kernel: modules copy it into
 * their own rows and filter by it, which names no table of registry's
 * (docs/architecture.md).
 */
class TableOwnershipTest {

	private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

	private static final Path SOURCES = Path.of("src/main/java/org/fangxian");

	/**
	 * Owners of the migrations written before this test. A new migration names its module
	 * on a line of its own, {@code -- owner: <module>}, before its first
	 * {@code create table}; an applied migration is never edited (Flyway checks each
	 * file's checksum), hence this map.
	 */
	private static final Map<String, String> EARLIER_MIGRATIONS = Map.ofEntries(Map.entry("V1", "registry"),
			Map.entry("V2", "registry"), Map.entry("V3", "security"), Map.entry("V4", "audit"),
			// Spring Session's tables: written by the framework, configured by platform.
			Map.entry("V5", "platform"), Map.entry("V6", "platform"), Map.entry("V7", "checkpoint"),
			Map.entry("V8", "checkpoint"), Map.entry("V9", "registry"), Map.entry("V10", "notification"),
			Map.entry("V11", "testing"), Map.entry("V15", "testing"));

	/**
	 * Owners of tables created by earlier migrations that hold two modules' tables: the
	 * containment migrations V12 (seals and quarantine) and V13 (returnees and
	 * screening), written before containment split into seal, quarantine, returnee and
	 * screening. Applied migrations are not edited, so their owners are named here, table
	 * by table.
	 */
	private static final Map<String, String> EARLIER_TABLES = Map.ofEntries(Map.entry("sealed_area", "seal"),
			Map.entry("sealed_area_event", "seal"), Map.entry("quarantine", "quarantine"),
			Map.entry("quarantine_check_in", "quarantine"), Map.entry("quarantine_test", "quarantine"),
			Map.entry("returnee_report", "returnee"), Map.entry("returnee_submission", "returnee"),
			Map.entry("screening_campaign", "screening"), Map.entry("screening_visit", "screening"),
			Map.entry("screening_attempt", "screening"), Map.entry("screening_newcomer", "screening"));

	/**
	 * Known violations, file → tables of other modules its SQL names: none left (issue
	 * 12). The test fails on a new violation; the way out is a query method or read-only
	 * view published by the owner (registry's V82, security's V96, platform's V97), never
	 * a line here.
	 */
	private static final Map<String, Set<String>> KNOWN_VIOLATIONS = Map.of();

	private static final Pattern CREATE_TABLE = Pattern
		.compile("(?i)\\bcreate\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");

	private static final Pattern OWNER = Pattern.compile("(?m)^--\\s*owner:\\s*([a-z]+)\\s*$");

	private static final Pattern MIGRATION_VERSION = Pattern.compile("^(V\\d+)__.*\\.sql$");

	/**
	 * Where SQL names a table; anything else a table's name appears in (a column, a
	 * message) is not one.
	 */
	private static final Pattern TABLE_REFERENCE = Pattern
		.compile("(?i)\\b(?:from|join|into|update|references|table)\\s+([a-z_][a-z0-9_]*)");

	@Test
	void eachModulesSqlNamesOnlyItsOwnTables() {
		Map<String, String> owners = tableOwners();
		Map<String, Set<String>> found = crossModuleReferences(owners);

		Map<String, Set<String>> added = difference(found, KNOWN_VIOLATIONS);
		Map<String, Set<String>> gone = difference(KNOWN_VIOLATIONS, found);
		assertThat(added).as("""
				SQL naming another module's tables (file → tables): ask the owning module for a query method
				or a read-only view instead. Known violations as they stand now (for KNOWN_VIOLATIONS):
				%s""", render(found, owners)).isEmpty();
		assertThat(gone).as("""
				These known violations are gone: delete them from KNOWN_VIOLATIONS so they cannot come back.
				Known violations as they stand now:
				%s""", render(found, owners)).isEmpty();
	}

	@Test
	void everyTableHasAnOwningModule() {
		Map<String, String> owners = tableOwners();
		assertThat(owners).containsEntry("resident", "registry")
			.containsEntry("account", "security")
			.containsEntry("tube", "testing")
			.containsEntry("sealed_area", "seal")
			.containsEntry("quarantine_check_in", "quarantine")
			.containsEntry("screening_visit", "screening");
		Set<String> modules = modules();
		assertThat(modules).contains(owners.values().toArray(String[]::new));
	}

	@Test
	void findsATableNamedInAnotherModulesSql() {
		Map<String, String> owners = Map.of("resident", "registry", "tube", "testing");
		String source = """
				class Tubes {
					// from resident: a comment names no table
					String sql = \"""
							select t.code from tube t join resident r on r.id = t.resident_id
							\""";
					String message = "moved from " + "elsewhere";
				}
				""";
		assertThat(tablesNamedBy(source, "testing", owners)).containsExactly("resident");
		assertThat(tablesNamedBy(source, "registry", owners)).containsExactly("tube");
	}

	/** Table → module, from the migrations that create the tables. */
	static Map<String, String> tableOwners() {
		Map<String, String> owners = new TreeMap<>();
		for (Path migration : files(MIGRATIONS, ".sql")) {
			String name = migration.getFileName().toString();
			Matcher version = MIGRATION_VERSION.matcher(name);
			assertThat(version.matches()).as("migration name %s", name).isTrue();
			String sql = read(migration);
			// A migration's tables belong to the owner named on the nearest '-- owner:'
			// line above them (one
			// migration may create tables for two modules, each under its own line), else
			// to the earlier map.
			Matcher create = CREATE_TABLE.matcher(sql);
			while (create.find()) {
				String module = EARLIER_TABLES.getOrDefault(create.group(1).toLowerCase(),
						EARLIER_MIGRATIONS.get(version.group(1)));
				Matcher owner = OWNER.matcher(sql).region(0, create.start());
				while (owner.find()) {
					module = owner.group(1);
				}
				assertThat(module)
					.as("%s creates %s: say which module owns it with a line '-- owner: <module>'", name,
							create.group(1))
					.isNotNull();
				String previous = owners.put(create.group(1).toLowerCase(), module);
				// Re-created by its own module (gate_scan partitioned by month, V102),
				// never
				// by another.
				assertThat(previous).as("table %s created twice by two modules", create.group(1)).isIn(null, module);
			}
		}
		return owners;
	}

	private static Set<String> modules() {
		Set<String> modules = new TreeSet<>();
		try (Stream<Path> children = Files.list(SOURCES)) {
			children.filter(Files::isDirectory).forEach(dir -> modules.add(dir.getFileName().toString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return modules;
	}

	/**
	 * Source file (relative to the base package) → tables of other modules its SQL names.
	 */
	private static Map<String, Set<String>> crossModuleReferences(Map<String, String> owners) {
		Map<String, Set<String>> found = new TreeMap<>();
		for (Path file : files(SOURCES, ".java")) {
			Path relative = SOURCES.relativize(file);
			if (relative.getNameCount() < 2) {
				continue;
			}
			String module = relative.getName(0).toString();
			Set<String> foreign = tablesNamedBy(read(file), module, owners);
			if (!foreign.isEmpty()) {
				found.put(relative.toString().replace('\\', '/'), foreign);
			}
		}
		return found;
	}

	static Set<String> tablesNamedBy(String javaSource, String module, Map<String, String> owners) {
		Set<String> foreign = new TreeSet<>();
		for (String literal : stringLiterals(javaSource)) {
			Matcher reference = TABLE_REFERENCE.matcher(literal);
			while (reference.find()) {
				String table = reference.group(1).toLowerCase();
				String owner = owners.get(table);
				if (owner != null && !owner.equals(module)) {
					foreign.add(table);
				}
			}
		}
		return foreign;
	}

	/**
	 * The contents of the string literals and text blocks of a Java source, comments
	 * skipped.
	 */
	static List<String> stringLiterals(String source) {
		List<String> literals = new ArrayList<>();
		int i = 0;
		int n = source.length();
		while (i < n) {
			char c = source.charAt(i);
			if (source.startsWith("//", i)) {
				int end = source.indexOf('\n', i);
				i = end < 0 ? n : end;
			}
			else if (source.startsWith("/*", i)) {
				int end = source.indexOf("*/", i + 2);
				i = end < 0 ? n : end + 2;
			}
			else if (source.startsWith("\"\"\"", i)) {
				int end = source.indexOf("\"\"\"", i + 3);
				while (end > 0 && source.charAt(end - 1) == '\\') {
					end = source.indexOf("\"\"\"", end + 1);
				}
				end = end < 0 ? n : end;
				literals.add(source.substring(i + 3, end));
				i = end + 3;
			}
			else if (c == '"' || c == '\'') {
				int j = i + 1;
				while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
					j += source.charAt(j) == '\\' ? 2 : 1;
				}
				if (c == '"') {
					literals.add(source.substring(i + 1, Math.min(j, n)));
				}
				i = j + 1;
			}
			else {
				i++;
			}
		}
		return literals;
	}

	private static Map<String, Set<String>> difference(Map<String, Set<String>> a, Map<String, Set<String>> b) {
		Map<String, Set<String>> difference = new TreeMap<>();
		a.forEach((file, tables) -> {
			Set<String> left = new TreeSet<>(tables);
			left.removeAll(b.getOrDefault(file, Set.of()));
			if (!left.isEmpty()) {
				difference.put(file, left);
			}
		});
		return difference;
	}

	private static String render(Map<String, Set<String>> found, Map<String, String> owners) {
		StringBuilder lines = new StringBuilder();
		found.forEach((file, tables) -> {
			lines.append("\t\t\tMap.entry(\"").append(file).append("\", Set.of(");
			lines.append(String.join(", ", tables.stream().map(t -> "\"" + t + "\"").toList()));
			lines.append(")), // ");
			lines.append(String.join(", ", tables.stream().map(owners::get).distinct().sorted().toList()));
			lines.append('\n');
		});
		return lines.toString();
	}

	private static List<Path> files(Path root, String suffix) {
		try (Stream<Path> walk = Files.walk(root)) {
			return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
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
