package org.fangxian.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fangxian.FangxianApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Application nodes of one installation inside a test: whole Spring Boot applications
 * started with {@link SpringApplicationBuilder} on random ports, all on one embedded
 * PostgreSQL of their own (a data folder under {@code target/}, so their schedulers and
 * outbox senders never touch the rows of the suite's shared database). Test
 * configurations of other test classes are left out, as {@code @SpringBootTest} does.
 */
final class TwoNodes {

	private TwoNodes() {
	}

	/** A data folder for one installation's embedded database and secrets. */
	static Path installation(String name) throws IOException {
		Path dir = Path.of("target", name + "-" + System.nanoTime()).toAbsolutePath();
		Files.createDirectories(dir);
		return dir;
	}

	/**
	 * Starts one node of the installation in {@code dir}; {@code settings} are extra
	 * properties (they win over the test profile's).
	 */
	static ConfigurableApplicationContext start(Path dir, Map<String, String> settings) {
		List<String> args = new ArrayList<>();
		args.add("--server.port=0");
		args.add("--fangxian.data-dir=" + dir);
		args.add("--fangxian.embedded-db.data-dir=" + dir.resolve("postgres"));
		settings.forEach((key, value) -> args.add("--" + key + "=" + value));
		return new SpringApplicationBuilder(FangxianApplication.class).profiles("test")
			.initializers(context -> context.getBeanFactory()
				.registerSingleton("twoNodesTestExclusion", new TestConfigurationExclusion()))
			.run(args.toArray(String[]::new));
	}

	static String url(ConfigurableApplicationContext node) {
		return "http://localhost:" + node.getEnvironment().getProperty("local.server.port");
	}

	static HttpClient http() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/** A gate scan with its retry key (in the header and the body, as the gate page). */
	static HttpResponse<String> scan(HttpClient http, String url, String token, long checkpointId, String idNumber,
			String key) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/checkpoints/" + checkpointId + "/scans"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString("{\"idNumber\":\"" + idNumber
					+ "\",\"direction\":\"IN\",\"temperature\":36.5,\"idempotencyKey\":\"" + key + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Leaves out {@code @TestConfiguration} classes, which component scanning would find.
	 */
	static final class TestConfigurationExclusion extends TypeExcludeFilter {

		@Override
		public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
			return reader.getAnnotationMetadata().hasAnnotation(TestConfiguration.class.getName());
		}

		@Override
		public boolean equals(Object other) {
			return other != null && other.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

}
