package org.fangxian;

import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Tag;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Base of integration tests: the whole application on a random port, against a real
 * embedded PostgreSQL shared by all tests of the run. Tests do not clean up; each makes
 * its own corner of the tree with {@link TestData} so they never see each other's rows.
 * Tagged {@code integration}: the fast loop ({@code -Pfast}) runs only one module's
 * (CONTRIBUTING.md); untagged tests are unit tests.
 */
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class IntegrationTest {

	@LocalServerPort
	protected int port;

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected TestData data;

	protected String baseUrl() {
		return "http://localhost:" + this.port;
	}

	/** A unique 12-digit community-like code in the unused "99" province prefix. */
	public static String uniqueCode() {
		return "99" + String.format("%010d", ThreadLocalRandom.current().nextLong(10_000_000_000L));
	}

}
