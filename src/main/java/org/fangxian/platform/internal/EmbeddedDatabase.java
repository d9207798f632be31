package org.fangxian.platform.internal;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL with passwords instead of trust. zonky's initdb trusts every
 * local user as superuser, which let any process on the machine run
 * {@code COPY ... FROM PROGRAM} and read the data key; so before the server first
 * listens, the superuser gets a password (set in single-user mode, which needs no
 * connection) and pg_hba.conf is rewritten to SCRAM over loopback only. The application
 * then connects as {@value #APP_ROLE}, an ordinary role that owns the {@code public}
 * schema and nothing else: it can migrate its tables but not read files or run programs.
 *
 * <p>
 * The same path upgrades a data folder made by an earlier version (trust, tables owned by
 * the superuser) in place, and takes over a server orphaned by a {@code kill -9} of the
 * application.
 */
final class EmbeddedDatabase implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

	static final String APP_ROLE = "fangxian";

	static final String SUPERUSER = "postgres";

	static final String DATABASE = "postgres";

	/**
	 * First line of the pg_hba.conf this class writes; a file without it comes from trust
	 * days.
	 */
	static final String HBA_MARKER = "# fangxian: SCRAM passwords over loopback only (no trust); rewritten at every start";

	/**
	 * How long an orphaned server gets for a fast shutdown before its processes are
	 * killed.
	 */
	private static final Duration ORPHAN_STOP = Duration.ofSeconds(15);

	private final EmbeddedPostgres postgres;

	private final Secrets.Credentials app;

	private final Secrets.Credentials superuser;

	private EmbeddedDatabase(EmbeddedPostgres postgres, Secrets.Credentials app, Secrets.Credentials superuser) {
		this.postgres = postgres;
		this.app = app;
		this.superuser = superuser;
	}

	/**
	 * Starts (or creates) the server.
	 * @param dataDir the data folder, or null for a temporary one deleted at close
	 * (tests)
	 * @param secretsDir where the generated passwords live (mode 700, files 600)
	 */
	static EmbeddedDatabase start(Path dataDir, Path secretsDir, boolean durable, int port) {
		return start(dataDir, secretsDir, durable, port, AUTO);
	}

	/** {@code fangxian.embedded-db.shared-buffers}'s default: sized to the machine. */
	static final String AUTO = "auto";

	/**
	 * The server's shared buffers: {@code auto} is an eighth of the machine's memory,
	 * between 128 MB (PostgreSQL's own default) and 2 GB; or a size PostgreSQL reads
	 * ({@code 512MB}, {@code 1GB}). With the default 128 MB a million residents' indexes
	 * (about 400 MB) did not fit, so a roster import's inserts, which land on random
	 * leaves of the keyed-hash indexes, kept reading pages back and writing others out.
	 */
	static String sharedBuffers(String setting, long machineBytes) {
		if (AUTO.equals(setting)) {
			long mb = Math.max(128, Math.min(2048, machineBytes / 8 / (1024 * 1024)));
			return mb + "MB";
		}
		if (setting == null || !setting.matches("[1-9][0-9]{0,6}(kB|MB|GB)")) {
			throw new IllegalArgumentException(
					"fangxian.embedded-db.shared-buffers: auto, or a size such as 512MB or 2GB (got " + setting + ")");
		}
		return setting;
	}

	private static long machineMemory() {
		if (java.lang.management.ManagementFactory
			.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getTotalMemorySize();
		}
		return 0;
	}

	/**
	 * @param sharedBuffers {@code auto} or a size (see
	 * {@link #sharedBuffers(String, long)})
	 */
	static EmbeddedDatabase start(Path dataDir, Path secretsDir, boolean durable, int port, String sharedBuffers) {
		String buffers = sharedBuffers(sharedBuffers, machineMemory());
		try {
			Secrets secrets = Secrets.in(secretsDir);
			Secrets.Credentials superuser = secrets.credentials(SUPERUSER, "postgres-superuser.password");
			Secrets.Credentials app = secrets.credentials(APP_ROLE, "postgres-fangxian.password");
			boolean temporary = dataDir == null;
			Path dir = temporary ? Files.createTempDirectory("fangxian-pg") : dataDir.toAbsolutePath().normalize();
			if (!temporary) {
				EmbeddedDatabaseConfiguration.EmbeddedPostgresInstances.refuseForeignMajorVersion(dir);
				Files.createDirectories(dir);
				log.info("Embedded PostgreSQL data directory: {}", dir);
			}
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				// Real data must survive a power cut; zonky turns both off by default for
				// tests.
				.setServerConfig("fsync", durable ? "on" : "off")
				.setServerConfig("synchronous_commit", durable ? "on" : "off")
				.setServerConfig("full_page_writes", durable ? "on" : "off")
				.setServerConfig("max_connections", "200")
				.setServerConfig("shared_buffers", buffers)
				// Loopback only, and no Unix socket: nothing reaches the server but a
				// password over 127.0.0.1/::1.
				.setServerConfig("listen_addresses", "localhost")
				.setServerConfig("unix_socket_directories", "")
				.setServerConfig("password_encryption", "scram-sha-256")
				.setLocaleConfig("encoding", "UTF8")
				// zonky's own readiness check connects as the superuser; with trust gone
				// it needs the password.
				.setConnectConfig("password", superuser.password())
				.setPGStartupWait(Duration.ofSeconds(60))
				.setDataDirectory(dir)
				.setCleanDataDirectory(temporary)
				// Runs after initdb and once zonky holds the folder's lock (so no live
				// instance owns it), before the server starts.
				.setDataDirectoryCustomizer(folder -> secure(folder.toPath().toAbsolutePath(), superuser));
			if (port > 0) {
				builder.setPort(port);
			}
			EmbeddedPostgres postgres = builder.start();
			EmbeddedDatabase database = new EmbeddedDatabase(postgres, app, superuser);
			database.bootstrap();
			return database;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL: " + ex.getMessage(), ex);
		}
	}

	int port() {
		return this.postgres.getPort();
	}

	String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
	}

	Secrets.Credentials app() {
		return this.app;
	}

	Connection connect(Secrets.Credentials credentials) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", credentials.user());
		properties.setProperty("password", credentials.password());
		return DriverManager.getConnection(jdbcUrl(), properties);
	}

	Connection connectAsSuperuser() throws SQLException {
		return connect(this.superuser);
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

	/**
	 * As the superuser, once per start: the application's role with its current password,
	 * the extensions it cannot create itself, and ownership of the schema and of
	 * everything an earlier version made in it as the superuser (extension members stay
	 * with the superuser).
	 */
	private void bootstrap() throws IOException {
		try (Connection connection = connectAsSuperuser(); Statement sql = connection.createStatement()) {
			// A failing statement must not reach the server log (and from there ours)
			// with the password in it.
			sql.execute("set log_min_error_statement = panic");
			sql.execute("""
					do $$ begin
					  if not exists (select from pg_roles where rolname = '%1$s') then
					    create role %1$s login;
					  end if;
					end $$""".formatted(APP_ROLE));
			// Generated passwords are base64url: no quote can end the literal.
			sql.execute("alter role " + APP_ROLE
					+ " with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls" + " password '"
					+ this.app.password() + "'");
			sql.execute("create extension if not exists pg_trgm with schema public");
			sql.execute("create extension if not exists btree_gist with schema public");
			sql.execute("create extension if not exists btree_gin with schema public");
			sql.execute("alter schema public owner to " + APP_ROLE);
			sql.execute("revoke create on schema public from public");
			sql.execute(
					"""
							do $$
							declare
							  object record;
							begin
							  for object in
							    select c.oid, c.relkind from pg_class c
							    where c.relnamespace = 'public'::regnamespace and c.relowner <> '%1$s'::regrole
							      and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
							      and not exists (select from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
							      -- a sequence owned by a column follows its table
							      and not (c.relkind = 'S' and exists (select from pg_depend d where d.classid = 'pg_class'::regclass
							               and d.objid = c.oid and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')))
							  loop
							    execute format('alter %%s %%s owner to %1$s',
							      case object.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view'
							        when 'f' then 'foreign table' else 'table' end, object.oid::regclass);
							  end loop;
							  for object in
							    select p.oid, p.prokind from pg_proc p
							    where p.pronamespace = 'public'::regnamespace and p.proowner <> '%1$s'::regrole
							      and not exists (select from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
							  loop
							    execute format('alter %%s %%s owner to %1$s',
							      case object.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end,
							      object.oid::regprocedure);
							  end loop;
							  for object in
							    select t.oid from pg_type t
							    where t.typnamespace = 'public'::regnamespace and t.typowner <> '%1$s'::regrole
							      and t.typtype in ('d', 'e', 'r', 'm') and t.typelem = 0
							      and not exists (select from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
							  loop
							    execute format('alter type %%s owner to %1$s', object.oid::regtype);
							  end loop;
							end $$"""
						.formatted(APP_ROLE));
		}
		catch (SQLException ex) {
			throw new IOException("Could not prepare the application's database role: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Before the server starts: stop a server an earlier, killed run left on this folder;
	 * give the superuser its password and replace trust with SCRAM if this folder has not
	 * been secured yet (a new folder, or one from an earlier version), or if the password
	 * file was just generated.
	 */
	static void secure(Path dataDir, Secrets.Credentials superuser) {
		try {
			stopOrphan(dataDir);
			Path hba = dataDir.resolve("pg_hba.conf");
			boolean secured = Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_MARKER);
			if (!secured || superuser.generated()) {
				if (!secured) {
					log.info("Securing the embedded PostgreSQL in {}: superuser password, SCRAM, loopback only",
							dataDir);
				}
				singleUser(dataDir, "alter role " + SUPERUSER + " with password '" + superuser.password() + "';\n");
			}
			Files.writeString(hba, HBA_MARKER + """

					# TYPE  DATABASE  USER  ADDRESS       METHOD
					host    all       all   127.0.0.1/32  scram-sha-256
					host    all       all   ::1/128       scram-sha-256
					""", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not secure the embedded PostgreSQL in " + dataDir + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Stops a postmaster that still runs on this folder although its application is gone
	 * (the caller holds the folder's lock, so no live instance owns it): a fast shutdown
	 * through pg_ctl, then a kill if it has not ended in {@link #ORPHAN_STOP}. A stale
	 * pid that now belongs to another program is left alone and only its claim on the
	 * folder removed.
	 */
	static void stopOrphan(Path dataDir) throws IOException {
		Path pidFile = dataDir.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
		long pid;
		try {
			pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
		}
		catch (NumberFormatException ex) {
			pid = -1;
		}
		Optional<ProcessHandle> process = (pid > 0) ? ProcessHandle.of(pid) : Optional.empty();
		if (process.isEmpty() || !process.get().isAlive()) {
			// PostgreSQL itself replaces the file of a process that is gone.
			return;
		}
		Optional<String> command = process.get().info().command();
		if (command.isEmpty()) {
			throw new IllegalStateException("Process " + pid + " claims the data folder " + dataDir
					+ " but cannot be inspected; stop it or remove postmaster.pid, then start again.");
		}
		if (!command.get().endsWith("/postgres") && !command.get().endsWith("\\postgres.exe")) {
			log.warn("postmaster.pid in {} names process {} ({}), which is not PostgreSQL; removing the stale file",
					dataDir, pid, command.get());
			Files.delete(pidFile);
			return;
		}
		log.warn("A PostgreSQL (pid {}) left by an earlier run still holds {}; stopping it", pid, dataDir);
		long started = System.nanoTime();
		List<String> stop = new ArrayList<>(List.of(binary("pg_ctl").toString(), "stop", "-D", dataDir.toString(), "-m",
				"fast", "-w", "-t", Long.toString(ORPHAN_STOP.toSeconds())));
		run(stop, null, ORPHAN_STOP.plusSeconds(5));
		ProcessHandle orphan = process.get();
		if (orphan.isAlive()) {
			log.warn("PostgreSQL {} did not stop in {} s; killing it", pid, ORPHAN_STOP.toSeconds());
			orphan.descendants().forEach(ProcessHandle::destroyForcibly);
			orphan.destroyForcibly();
			try {
				orphan.onExit().get(10, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not stop PostgreSQL " + pid + " on " + dataDir, ex);
			}
		}
		log.info("Stopped the orphaned PostgreSQL {} in {} ms", pid,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
	}

	/**
	 * Runs one statement in single-user mode: no server, no connection, so no
	 * authentication to get around.
	 */
	private static void singleUser(Path dataDir, String statement) throws IOException {
		List<String> command = List.of(binary("postgres").toString(), "--single", "-D", dataDir.toString(), "-F", "-c",
				"listen_addresses=", "-c", "exit_on_error=true", DATABASE);
		String output = run(command, statement, Duration.ofMinutes(5));
		if (output.contains("ERROR") || output.contains("FATAL")) {
			throw new IOException("single-user PostgreSQL reported: " + output.strip());
		}
	}

	/**
	 * Runs a PostgreSQL program as zonky does (in a user namespace when we are root);
	 * stdin never reaches the log.
	 */
	private static String run(List<String> command, String input, Duration timeout) throws IOException {
		List<String> full = new ArrayList<>();
		if (LinuxUtils.isUnshareAvailable()) {
			full.addAll(List.of("unshare", "-U"));
		}
		full.addAll(command);
		Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
		try (OutputStream in = process.getOutputStream()) {
			if (input != null) {
				in.write(input.getBytes(StandardCharsets.UTF_8));
			}
		}
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IOException(command.get(0) + " did not finish in " + timeout.toSeconds() + " s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.exitValue() != 0 && input != null) {
			throw new IOException(command.get(0) + " failed (" + process.exitValue() + "): " + output.strip());
		}
		return output;
	}

	/**
	 * A program of the PostgreSQL that zonky unpacked. zonky keeps that folder to itself;
	 * its preparation is idempotent and cached, so asking it again returns the folder it
	 * already uses. EmbeddedDatabaseTest exercises this on every run, so a zonky upgrade
	 * that moves it fails there.
	 */
	private static Path binary(String name) {
		try {
			Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class,
					File.class);
			prepare.setAccessible(true);
			File folder = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
			return folder.toPath().resolve("bin").resolve(name);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot find the embedded PostgreSQL's programs (zonky changed?)", ex);
		}
	}

}
