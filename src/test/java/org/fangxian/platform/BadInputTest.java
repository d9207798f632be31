package org.fangxian.platform;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input answers 4xx with a problem body (API) or the Chinese error page with the
 * navigation (pages), never 500: the examples of issues 10 and 13, and a probe that walks
 * every mapped endpoint with junk in its path variables, query and body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest extends IntegrationTest {

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	/**
	 * What a path variable or parameter may be sent as by a careless or hostile client.
	 */
	static final List<String> JUNK = List.of("abc", "%00", "99999999999999999999", "-1", "%ED%A0%80", "");

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	HttpClient browser;

	String token;

	String csrf;

	TestData.Tree tree;

	@BeforeAll
	void signIn() throws Exception {
		this.tree = this.data.tree();
		// HQ of the test district: every permission, so a refusal is about the input, not
		// the role.
		String user = this.data.account(Role.HQ_ADMIN, this.tree.district());
		this.token = this.data.token(baseUrl(), user);
		this.browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		String loginCsrf = csrf(page("/login").body());
		form("/login", "username=" + enc(user) + "&password=" + enc(TestData.PASSWORD) + "&_csrf=" + enc(loginCsrf));
		this.csrf = csrf(page("/residents").body());
	}

	static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	static String csrf(String html) {
		Matcher m = CSRF.matcher(html);
		assertThat(m.find()).as("a CSRF token on the page").isTrue();
		return m.group(1);
	}

	HttpResponse<String> page(String path) throws Exception {
		return this.browser.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Accept", "text/html")
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> form(String path, String body) throws Exception {
		return this.browser.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> api(String method, String path, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Authorization", "Bearer " + this.token)
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(60));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A 400 page in Chinese that keeps the navigation and says what is wrong, not
	 * "系统出了点问题".
	 */
	static void assertBadRequestPage(HttpResponse<String> reply, String path) {
		assertThat(reply.statusCode()).as(path + ": " + reply.body()).isEqualTo(400);
		assertThat(reply.body()).as(path)
			.contains("class=\"topnav\"", "href=\"/residents\"")
			.doesNotContain("系统出了点问题", "Exception", "Whitelabel");
	}

	static void assertProblem(HttpResponse<String> reply, int status, String code) {
		assertThat(reply.statusCode()).as(reply.body()).isEqualTo(status);
		JsonNode problem = JsonMapper.shared().readTree(reply.body());
		assertThat(problem.get("code").asString()).isEqualTo(code);
		assertThat(problem.get("errors").isArray()).isTrue();
	}

	@Test
	void pagesAnswerBadAddressesWithTheErrorPageAndTheNavigation() throws Exception {
		for (String path : List.of("/residents/abc", "/residents?after=abc", "/audit?before=xyz", "/imports/1",
				"/residents/new?node=", "/nodes/abc", "/testing/rounds/abc")) {
			assertBadRequestPage(page(path), path);
		}
		HttpResponse<String> unknown = page("/no/such/page");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("页面不存在", "class=\"topnav\"").doesNotContain("系统出了点问题");
	}

	@Test
	void theApiAnswersBadAddressesWithAProblem() throws Exception {
		assertProblem(api("GET", "/api/v1/residents/abc", null), 400, "error.badParameter");
		assertProblem(api("GET", "/api/v1/residents?after=abc", null), 400, "error.badParameter");
		assertProblem(api("GET", "/api/v1/no/such/thing", null), 404, "error.notFound");
	}

	@Test
	void nulAndLoneSurrogatesAreRefusedInJsonFormsAndQueries() throws Exception {
		String resident = "{\"name\":\"%s\",\"idNumber\":\"11010519491231002X\",\"nodeId\":"
				+ this.tree.communityA1().id() + ",\"room\":\"101\"}";
		assertProblem(api("POST", "/api/v1/residents", resident.formatted("王\\u0000五")), 400, "error.badCharacters");
		assertProblem(api("POST", "/api/v1/residents", resident.formatted("\\ud800")), 400, "error.badCharacters");
		assertProblem(api("POST", "/api/v1/residents", resident.formatted("尾\\udc00")), 400, "error.badCharacters");
		assertProblem(api("GET", "/api/v1/residents?q=%00", null), 400, "error.badCharacters");
		// A real character outside the basic plane (a surrogate pair) is fine.
		assertThat(api("POST", "/api/v1/residents", resident.formatted("\\ud840\\udc00三")).statusCode())
			.isLessThan(500);

		HttpResponse<String> nulForm = form("/residents/new",
				"_csrf=" + enc(this.csrf) + "&name=%E7%8E%8B%00&nodeId=" + this.tree.communityA1().id() + "&room=101");
		assertBadRequestPage(nulForm, "POST /residents/new with a NUL");
		assertBadRequestPage(page("/residents?q=%00"), "/residents?q=%00");
	}

	@Test
	void aRoundDatedYear99999IsBadInput() throws Exception {
		String round = "{\"nodeId\":" + this.tree.communityA1().id() + ",\"name\":\"远年\",\"poolSize\":10,"
				+ "\"startsAt\":\"+99999-01-01T00:00:00Z\",\"endsAt\":\"+99999-01-02T00:00:00Z\"}";
		assertProblem(api("POST", "/api/v1/testing/rounds", round), 400, "date.outOfRange");
		HttpResponse<String> page = form("/testing/rounds",
				"_csrf=" + enc(this.csrf) + "&nodeId=" + this.tree.communityA1().id() + "&name=" + enc("远年")
						+ "&poolSize=10&startsAt=" + enc("+99999-01-01T06:00") + "&endsAt="
						+ enc("+99999-01-02T06:00"));
		assertThat(page.statusCode()).as(page.body()).isLessThan(500);
		assertThat(page.body()).doesNotContain("系统出了点问题");
	}

	@Test
	void aBadColumnMappingInTheImportPreviewIsBadInput() throws Exception {
		// An upload of the caller's to preview, then a mapping naming no field.
		String boundary = "----fx" + System.nanoTime();
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"community\"\r\n\r\n"
				+ this.tree.communityA1().id() + "\r\n--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n"
				+ "Content-Type: text/csv\r\n\r\n姓名,身份证号码,门牌号\n张三,11010519491231002X,101\n\r\n--" + boundary + "--\r\n";
		HttpResponse<String> upload = this.browser
			.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/imports?_csrf=" + enc(this.csrf)))
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(upload.statusCode()).as(upload.body()).isEqualTo(302);
		String preview = upload.headers().firstValue("Location").orElseThrow();
		String path = URI.create(preview).getPath();
		HttpResponse<String> bad = form(path,
				"_csrf=" + enc(this.csrf) + "&action=preview&" + enc("map[姓名]") + "=NO_SUCH_FIELD");
		assertBadRequestPage(bad, "bad mapping");
		assertThat(bad.body()).contains("对应关系有误");
	}

	/**
	 * Every GET (page and API) with junk in each path variable and in common parameters:
	 * never a 5xx.
	 */
	@TestFactory
	Stream<DynamicTest> noEndpointAnswers5xxToJunk() {
		Set<String> templates = new TreeSet<>();
		Set<String> posts = new TreeSet<>();
		this.mappings.getHandlerMethods().forEach((info, method) -> {
			Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
			for (String pattern : info.getPatternValues()) {
				// Signing out would end the probe's own session; the rest is fair game.
				if (pattern.startsWith("/actuator") || pattern.startsWith("/error") || pattern.startsWith("/v3")
						|| pattern.startsWith("/swagger") || pattern.equals("/logout") || pattern.equals("/login")) {
					continue;
				}
				if (methods.isEmpty() || methods.contains(RequestMethod.GET)) {
					templates.add(pattern);
				}
				if (methods.contains(RequestMethod.POST) || methods.contains(RequestMethod.PUT)) {
					posts.add(pattern);
				}
			}
		});
		assertThat(templates).hasSizeGreaterThan(40);
		List<DynamicTest> tests = new ArrayList<>();
		for (String template : templates) {
			for (String junk : JUNK) {
				String path = template.replaceAll("\\{[^}]+}", junk.isEmpty() ? "x" : junk) + "?after=" + junk
						+ "&before=" + junk + "&node=" + junk + "&q=" + junk + "&code=" + junk + "&from=" + junk
						+ "&to=" + junk + "&community=" + junk + "&reveal=" + junk;
				tests.add(DynamicTest.dynamicTest("GET " + path, () -> {
					int status = template.startsWith("/api/") ? api("GET", path, null).statusCode()
							: page(path).statusCode();
					assertThat(status).as(path).isLessThan(500);
				}));
			}
		}
		for (String template : posts) {
			String path = template.replaceAll("\\{[^}]+}", "abc");
			String year = template.replaceAll("\\{[^}]+}", "9000000000000");
			tests.add(DynamicTest.dynamicTest("POST " + path, () -> {
				int status = template.startsWith("/api/") ? api("POST", path, "{\"name\":\"x\"}").statusCode()
						: form(path, "_csrf=" + enc(this.csrf) + "&name=x").statusCode();
				assertThat(status).as(path).isLessThan(500);
			}));
			tests.add(DynamicTest.dynamicTest("POST " + year + " with junk values", () -> {
				String junk = "{\"name\":\"\\u0000\",\"startsAt\":\"+99999-01-01T00:00:00Z\",\"date\":\"99999-01-01\"}";
				int status = template.startsWith("/api/") ? api("POST", year, junk).statusCode()
						: form(year, "_csrf=" + enc(this.csrf) + "&name=%00&startsAt=99999-01-01T00:00&date=99999-01-01"
								+ "&arrivalDate=99999-01-01&nodeId=abc&poolSize=-1")
							.statusCode();
				assertThat(status).as(year).isLessThan(500);
			}));
		}
		return tests.stream();
	}

}
