package org.fangxian.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics the README promises at /actuator/prometheus, for the HQ's administrators
 * only.
 */
class PrometheusTest extends IntegrationTest {

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> scrape(String bearer) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/prometheus"));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return this.http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anHqAdministratorScrapesJvmMetricsAsText() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		HttpResponse<String> metrics = scrape(token);
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.headers().firstValue("Content-Type"))
			.hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
		assertThat(metrics.body()).contains("jvm_memory_used_bytes", "http_server_requests");
	}

	@Test
	void nobodyElseDoes() throws Exception {
		TestData.Tree tree = this.data.tree();
		HttpResponse<String> anonymous = scrape(null);
		assertThat(anonymous.statusCode()).isEqualTo(302);
		assertThat(anonymous.headers().firstValue("Location"))
			.hasValueSatisfying(v -> assertThat(v).endsWith("/login"));
		assertThat(anonymous.body()).doesNotContain("jvm_");
		String worker = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		HttpResponse<String> refused = scrape(worker);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).doesNotContain("jvm_");
	}

}
