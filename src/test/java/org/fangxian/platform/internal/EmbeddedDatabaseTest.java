package org.fangxian.platform.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// Starts PostgreSQL servers of its own: an integration test, in platform's fast loop only.
@Tag("integration")
class EmbeddedDatabaseTest {

	@Test
	void refusesADataFolderOfAnotherPostgresMajorAndLeavesItAlone(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("PG_VERSION"), "15\n");
		Files.writeString(dir.resolve("precious"), "community records");

		assertThatThrownBy(() -> EmbeddedDatabaseConfiguration.EmbeddedPostgresInstances.refuseForeignMajorVersion(dir))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("PostgreSQL 15")
			.hasMessageContaining("has not been touched");
		assertThat(Files.readString(dir.resolve("precious"))).isEqualTo("community records");
	}

	@Test
	void acceptsItsOwnMajorAndAnEmptyFolder(@TempDir Path dir) throws Exception {
		EmbeddedDatabaseConfiguration.EmbeddedPostgresInstances.refuseForeignMajorVersion(dir);
		Files.writeString(dir.resolve("PG_VERSION"), EmbeddedDatabaseConfiguration.SUPPORTED_MAJOR + "\n");
		EmbeddedDatabaseConfiguration.EmbeddedPostgresInstances.refuseForeignMajorVersion(dir);
	}

	private static Connection connect(int port, String user, String password) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", user);
		if (password != null) {
			properties.setProperty("password", password);
		}
		return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", properties);
	}

	private static String one(Connection connection, String query) throws SQLException {
		try (Statement sql = connection.createStatement(); ResultSet rs = sql.executeQuery(query)) {
			rs.next();
			return rs.getString(1);
		}
	}

	@Test
	void refusesConnectionsWithoutTheGeneratedPassword(@TempDir Path root) throws Exception {
		try (EmbeddedDatabase database = EmbeddedDatabase.start(root.resolve("postgres"), root.resolve("secrets"),
				false, 0)) {
			for (String user : List.of("postgres", EmbeddedDatabase.APP_ROLE)) {
				assertThatThrownBy(() -> connect(database.port(), user, null).close()).isInstanceOf(SQLException.class)
					.hasMessageContaining("password");
				assertThatThrownBy(() -> connect(database.port(), user, "guess").close())
					.isInstanceOf(SQLException.class)
					.hasMessageContaining("password authentication failed");
			}
			try (Connection superuser = database.connectAsSuperuser()) {
				assertThat(one(superuser, "show listen_addresses")).isEqualTo("localhost");
				assertThat(one(superuser, "show unix_socket_directories")).isEmpty();
				assertThat(one(superuser, "select count(*) from pg_hba_file_rules where auth_method = 'trust'"))
					.isEqualTo("0");
			}
			assertThat(Files.readString(root.resolve("postgres/pg_hba.conf"))).doesNotContain("trust\n")
				.contains("scram-sha-256");
		}
	}

	/**
	 * An eighth of the machine's memory, kept between PostgreSQL's own 128 MB and 2 GB; a
	 * size given is taken as it is, anything else refused before the server starts.
	 */
	@Test
	void sharedBuffersAreSizedToTheMachineUnlessGiven(@TempDir Path root) throws Exception {
		long gib = 1024L * 1024 * 1024;
		assertThat(EmbeddedDatabase.sharedBuffers("auto", 8 * gib)).isEqualTo("1024MB");
		assertThat(EmbeddedDatabase.sharedBuffers("auto", 24 * gib)).isEqualTo("2048MB");
		assertThat(EmbeddedDatabase.sharedBuffers("auto", gib / 2)).isEqualTo("128MB");
		assertThat(EmbeddedDatabase.sharedBuffers("auto", 0)).isEqualTo("128MB");
		assertThat(EmbeddedDatabase.sharedBuffers("512MB", 8 * gib)).isEqualTo("512MB");
		for (String bad : List.of("", "lots", "512", "-1GB", "1TB", "512MB; drop table resident")) {
			assertThatThrownBy(() -> EmbeddedDatabase.sharedBuffers(bad, 8 * gib))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("fangxian.embedded-db.shared-buffers");
		}
		try (EmbeddedDatabase database = EmbeddedDatabase.start(root.resolve("postgres"), root.resolve("secrets"),
				false, 0, "200MB"); Connection superuser = database.connectAsSuperuser()) {
			assertThat(one(superuser, "show shared_buffers")).isEqualTo("200MB");
		}
	}

	@Test
	void theApplicationsRoleOwnsItsSchemaButIsNoSuperuserAndCannotRunPrograms(@TempDir Path root) throws Exception {
		try (EmbeddedDatabase database = EmbeddedDatabase.start(root.resolve("postgres"), root.resolve("secrets"),
				false, 0); Connection app = database.connect(database.app())) {
			assertThat(one(app, "select rolsuper from pg_roles where rolname = current_user")).isEqualTo("f");
			assertThat(one(app, "select nspowner::regrole::text from pg_namespace where nspname = 'public'"))
				.isEqualTo(EmbeddedDatabase.APP_ROLE);
			try (Statement sql = app.createStatement()) {
				sql.execute("create table loot (line text)");
				assertThatThrownBy(() -> sql.execute("copy loot from program 'cat /etc/hostname'"))
					.isInstanceOf(SQLException.class)
					.hasMessageContaining("permission denied");
				assertThatThrownBy(() -> sql.execute("select pg_read_file('postmaster.pid')"))
					.isInstanceOf(SQLException.class)
					.hasMessageContaining("permission denied");
				assertThatThrownBy(() -> sql.execute("create schema elsewhere")).isInstanceOf(SQLException.class);
			}
		}
	}

	@Test
	void secretsAreReadableByTheOwnerAloneAndLooseFilesAreTightened(@TempDir Path root) throws Exception {
		Path secrets = Files.createDirectories(root.resolve("secrets"));
		Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path key = Files.writeString(secrets.resolve("data.key"), "left readable by an earlier version");
		Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

		try (EmbeddedDatabase database = EmbeddedDatabase.start(root.resolve("postgres"), secrets, false, 0)) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rwx------");
			try (Stream<Path> files = Files.list(secrets)) {
				List<Path> all = files.toList();
				assertThat(all).extracting(p -> p.getFileName().toString())
					.contains("data.key", "postgres-superuser.password", "postgres-fangxian.password");
				for (Path file : all) {
					assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
						.isEqualTo("rw-------");
				}
			}
			assertThat(Files.readString(secrets.resolve("postgres-fangxian.password")).strip())
				.isEqualTo(database.app().password());
		}
	}

	@Test
	void upgradesAFolderMadeWithTrustByAnEarlierVersion(@TempDir Path root) throws Exception {
		Path dir = root.resolve("postgres");
		// What earlier versions did: zonky's trust, tables made by the superuser.
		try (EmbeddedPostgres old = EmbeddedPostgres.builder()
			.setDataDirectory(dir)
			.setCleanDataDirectory(false)
			.start();
				Connection superuser = old.getPostgresDatabase().getConnection();
				Statement sql = superuser.createStatement()) {
			sql.execute("create extension pg_trgm");
			sql.execute("create table resident (id bigserial primary key, name text)");
			sql.execute("insert into resident (name) values ('张三')");
			sql.execute("create view resident_names as select name from resident");
			sql.execute("create function shout(text) returns text language sql as 'select upper($1)'");
		}
		assertThat(Files.readString(dir.resolve("pg_hba.conf"))).contains("trust");

		try (EmbeddedDatabase database = EmbeddedDatabase.start(dir, root.resolve("secrets"), false, 0)) {
			assertThat(Files.readString(dir.resolve("pg_hba.conf"))).startsWith(EmbeddedDatabase.HBA_MARKER)
				.doesNotContain("trust\n");
			assertThatThrownBy(() -> connect(database.port(), "postgres", null).close())
				.isInstanceOf(SQLException.class);
			try (Connection app = database.connect(database.app()); Statement sql = app.createStatement()) {
				assertThat(one(app, "select name from resident_names")).isEqualTo("张三");
				// The owner can migrate what the superuser once made.
				sql.execute("alter table resident add column phone text");
				sql.execute("insert into resident (name) values ('李四')");
				sql.execute(
						"create or replace function shout(text) returns text language sql as 'select upper($1) || ''!'''");
				assertThat(one(app, "select count(*) from pg_class where relnamespace = 'public'::regnamespace "
						+ "and relkind in ('r','v','S') and relowner <> current_user::regrole"))
					.isEqualTo("0");
				assertThat(one(app, "select similarity('abc', 'abd') > 0")).isEqualTo("t");
			}
		}
	}

	@Test
	void aStartAfterKillNineStopsTheOrphanedServerAndComesUpWithin30Seconds(@TempDir Path root) throws Exception {
		Path dir = root.resolve("postgres");
		Path secrets = root.resolve("secrets");
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), EmbeddedDatabaseChild.class.getName(), dir.toString(),
				secrets.toString())
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader out = new BufferedReader(
					new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.equals("READY")) {
				// start-up log
			}
			assertThat(line).as("the child database came up").isEqualTo("READY");
		}
		finally {
			child.destroyForcibly(); // SIGKILL: no shutdown hook runs
			child.waitFor();
		}
		long orphanPid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
		Optional<ProcessHandle> orphan = ProcessHandle.of(orphanPid);
		assertThat(orphan).as("the killed JVM left its postmaster running").isPresent();
		assertThat(orphan.get().isAlive()).isTrue();

		long started = System.nanoTime();
		try (EmbeddedDatabase database = EmbeddedDatabase.start(dir, secrets, false, 0)) {
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(took).isLessThan(Duration.ofSeconds(30));
			assertThat(orphan.get().isAlive()).as("the orphan was stopped").isFalse();
			try (Connection app = database.connect(database.app())) {
				assertThat(one(app, "select note from survivor")).isEqualTo("written before kill -9");
			}
		}
		finally {
			orphan.get().destroyForcibly();
		}
	}

}
