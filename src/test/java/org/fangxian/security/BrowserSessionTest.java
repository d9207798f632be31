package org.fangxian.security;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Form login with CSRF, sessions kept in PostgreSQL so they survive restarts and span
 * instances.
 */
class BrowserSessionTest extends IntegrationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private HttpClient browser() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	private String csrfFrom(HttpClient client, String path) throws Exception {
		String html = client
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Matcher m = CSRF.matcher(html);
		assertThat(m.find()).as("page %s carries a CSRF token", path).isTrue();
		return m.group(1);
	}

	private HttpResponse<String> postForm(HttpClient client, String path, String form) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Test
	void formLoginNeedsTheCsrfTokenAndStoresTheSessionInTheDatabase() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		HttpClient client = browser();

		HttpResponse<String> forged = postForm(client, "/login",
				"username=" + enc(user) + "&password=" + enc(TestData.PASSWORD));
		assertThat(forged.statusCode()).isEqualTo(403);

		String csrf = csrfFrom(client, "/login");
		HttpResponse<String> login = postForm(client, "/login",
				"username=" + enc(user) + "&password=" + enc(TestData.PASSWORD) + "&_csrf=" + enc(csrf));
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying(v -> assertThat(v).doesNotContain("error"));
		assertThat(this.jdbc.sql("select count(*) from spring_session where principal_name = :u")
			.param("u", user)
			.query(Long.class)
			.single()).isEqualTo(1);

		HttpResponse<String> page = client.send(
				HttpRequest.newBuilder(URI.create(baseUrl() + "/nodes/" + tree.communityA1().id())).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("福乐湾社区").contains("lang=\"zh-CN\"");

		// A page form posted without its token is refused even inside a valid session.
		HttpResponse<String> noToken = postForm(client, "/nodes/" + tree.communityA1().id() + "/children",
				"name=" + enc("伪造小区"));
		assertThat(noToken.statusCode()).isEqualTo(403);
		assertThat(this.jdbc.sql("select count(*) from division_node where name = '伪造小区'").query(Long.class).single())
			.isZero();
	}

	@org.springframework.beans.factory.annotation.Autowired
	AccountService accounts;

	@Test
	void disablingAnAccountEndsItsSessions() throws Exception {
		TestData.Tree tree = this.data.tree();
		String user = this.data.account(Role.VOLUNTEER, tree.communityA1());
		HttpClient client = browser();
		String csrf = csrfFrom(client, "/login");
		postForm(client, "/login",
				"username=" + enc(user) + "&password=" + enc(TestData.PASSWORD) + "&_csrf=" + enc(csrf));
		String nodePage = "/nodes/" + tree.communityA1().id();
		assertThat(client
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + nodePage)).build(),
					HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);

		long id = this.jdbc.sql("select id from account where username = :u")
			.param("u", user)
			.query(Long.class)
			.single();
		this.accounts.setEnabled(this.data.user(Role.HQ_ADMIN, tree.district()), id, false);

		HttpResponse<String> after = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + nodePage)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(after.statusCode()).isEqualTo(302);
		assertThat(after.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).endsWith("/login"));
	}

	@Test
	void wrongPasswordShowsTheLoginFormAgain() throws Exception {
		HttpClient client = browser();
		String csrf = csrfFrom(client, "/login");
		HttpResponse<String> login = postForm(client, "/login", "username=nobody&password=wrong&_csrf=" + enc(csrf));
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location"))
			.hasValueSatisfying(v -> assertThat(v).endsWith("/login?error"));
	}

}
