package org.fangxian.platform;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each role lands where its work is, both right after signing in and at {@code /} (issue
 * 13 "Landing per role", issue 14 "/dashboard for an installation admin").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LandingTest extends IntegrationTest {

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@Autowired
	PasswordEncoder passwordEncoder;

	/** A signed-in browser session: the login answer and the session to go on with. */
	record Session(HttpClient client, String landing) {
	}

	Session signIn(String username) throws Exception {
		HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		Matcher m = CSRF.matcher(get(client, "/login").body());
		assertThat(m.find()).isTrue();
		HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(
					"username=" + enc(username) + "&password=" + enc(TestData.PASSWORD) + "&_csrf=" + enc(m.group(1))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		return new Session(client, login.headers().firstValue("Location").orElseThrow());
	}

	HttpResponse<String> get(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Accept", "text/html")
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	static String path(HttpResponse<String> response) {
		return URI.create(response.headers().firstValue("Location").orElse("")).getPath();
	}

	/** Where {@code /} sends a signed-in account (after the login's own redirect). */
	String landing(String username) throws Exception {
		Session session = signIn(username);
		assertThat(URI.create(session.landing()).getPath()).isEqualTo("/");
		HttpResponse<String> home = get(session.client(), "/");
		assertThat(home.statusCode()).as(home.body()).isEqualTo(302);
		return path(home);
	}

	String installationAdmin() {
		String username = "hq-installation-" + UUID.randomUUID().toString().substring(0, 8);
		this.jdbc.sql("""
				insert into account (username, display_name, password_hash, role, node_id)
				values (:username, :username, :hash, 'HQ_ADMIN', null)""")
			.param("username", username)
			.param("hash", this.passwordEncoder.encode(TestData.PASSWORD))
			.update();
		return username;
	}

	@Test
	@Order(1)
	void anInstallationAdministratorIsLedThroughTheSetUpOrToTheDashboardNeverA400() throws Exception {
		boolean fresh = this.jdbc.sql("select count(*) from division_node where parent_id is null and code is not null")
			.query(Long.class)
			.single() == 0;
		Session session = signIn(installationAdmin());
		HttpResponse<String> dashboard = get(session.client(), "/dashboard");
		HttpResponse<String> home = get(session.client(), "/");
		if (fresh) {
			// No district yet: the set-up, first the division import.
			assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(302);
			assertThat(path(dashboard)).isEqualTo("/welcome");
			assertThat(path(home)).isEqualTo("/welcome");
			HttpResponse<String> welcome = get(session.client(), "/welcome");
			assertThat(welcome.statusCode()).isEqualTo(200);
			assertThat(welcome.body()).contains("导入本区的行政区划", "href=\"/divisions\"", "href=\"/accounts\"",
					"href=\"/checkpoints\"");
		}
		else {
			assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(200);
			assertThat(path(home)).isEqualTo("/dashboard");
		}
	}

	@Test
	@Order(2)
	void aGuardLandsOnTheScanPageOfTheirOnlyGateAndOnTheListWhenThereAreSeveral() throws Exception {
		TestData.Tree tree = this.data.tree();
		long gate = this.jdbc.sql("insert into checkpoint (node_id, path, name) values (:node, '', '东门') returning id")
			.param("node", tree.communityA1().id())
			.query(Long.class)
			.single();
		assertThat(landing(this.data.account(Role.CHECKPOINT_GUARD, tree.communityA1())))
			.isEqualTo("/checkpoints/" + gate + "/scan");
		this.jdbc.sql("insert into checkpoint (node_id, path, name) values (:node, '', '西门')")
			.param("node", tree.communityA1().id())
			.update();
		assertThat(landing(this.data.account(Role.CHECKPOINT_GUARD, tree.communityA1()))).isEqualTo("/checkpoints");
	}

	@Test
	@Order(3)
	void aSamplerLandsOnTheSamplingPageOfTheOpenRoundElseOnTesting() throws Exception {
		TestData.Tree tree = this.data.tree();
		assertThat(landing(this.data.account(Role.SAMPLER, tree.communityA2()))).isEqualTo("/testing");
		// A round needs people to test: one household with one resident.
		TestData.NodeRef compound = this.data.node(tree.communityA2().id(), "COMPOUND", null, "福同小区");
		long household = this.jdbc
			.sql("insert into household (node_id, room, address) values (:node, '101', '101') returning id")
			.param("node", compound.id())
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into resident (node_id, household_id, name, id_type)
				values (:node, :household, '王小明', 'RESIDENT_ID')""")
			.param("node", compound.id())
			.param("household", household)
			.update();
		String hq = this.data.token(baseUrl(), this.data.account(Role.HQ_ADMIN, tree.district()));
		Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
		HttpResponse<String> opened = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/testing/rounds"))
				.header("Authorization", "Bearer " + hq)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"nodeId\":" + tree.communityA2().id()
						+ ",\"name\":\"第一轮\",\"poolSize\":10,\"startsAt\":\"" + now.minus(1, ChronoUnit.HOURS)
						+ "\",\"endsAt\":\"" + now.plus(8, ChronoUnit.HOURS) + "\"}", StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(opened.statusCode()).as(opened.body()).isEqualTo(201);
		long round = this.jdbc.sql("select id from testing_round where node_id = :node")
			.param("node", tree.communityA2().id())
			.query(Long.class)
			.single();
		assertThat(landing(this.data.account(Role.SAMPLER, tree.communityA2())))
			.isEqualTo("/testing/rounds/" + round + "/sampling");
	}

	@Test
	@Order(4)
	void administratorsLandOnTheDashboardAndAWorkerOnTheirCommunity() throws Exception {
		TestData.Tree tree = this.data.tree();
		assertThat(landing(this.data.account(Role.HQ_ADMIN, tree.district()))).isEqualTo("/dashboard");
		assertThat(landing(this.data.account(Role.STREET_ADMIN, tree.streetA()))).isEqualTo("/dashboard");
		assertThat(landing(this.data.account(Role.COMMUNITY_WORKER, tree.communityB1()))).isEqualTo("/today");
	}

}
