package org.fangxian;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A signed-in browser session over plain HTTP, for page tests that need no JavaScript:
 * cookies kept, redirects not followed, each form post carrying the CSRF token of the
 * page it comes from.
 */
public final class WebSession {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final String baseUrl;

	private final HttpClient client;

	private WebSession(String baseUrl) {
		this.baseUrl = baseUrl;
		this.client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	private WebSession(String baseUrl, HttpClient client) {
		this.baseUrl = baseUrl;
		this.client = client;
	}

	/**
	 * The same browser (its cookies) talking to another address: another application node
	 * of the same installation.
	 */
	public WebSession on(String otherBaseUrl) {
		return new WebSession(otherBaseUrl, this.client);
	}

	/** Signs in with {@link TestData#PASSWORD}; fails unless the login answers 302. */
	public static WebSession signIn(String baseUrl, String username) {
		return signIn(baseUrl, username, TestData.PASSWORD);
	}

	/** Signs in with the given password; fails unless the login lands inside. */
	public static WebSession signIn(String baseUrl, String username, String password) {
		WebSession session = new WebSession(baseUrl);
		HttpResponse<String> login = session.post("/login", "/login",
				Map.of("username", username, "password", password));
		if (login.statusCode() != 302 || login.headers().firstValue("Location").orElse("").contains("error")) {
			throw new IllegalStateException("sign-in failed for " + username + ": " + login.statusCode());
		}
		return session;
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path)).header("Accept", "text/html").GET());
	}

	/**
	 * Posts a form as the browser would from {@code formPage}: its CSRF token is read
	 * from that page first.
	 */
	public HttpResponse<String> post(String formPage, String path, Map<String, String> fields) {
		Matcher token = CSRF.matcher(get(formPage).body());
		if (!token.find()) {
			throw new IllegalStateException("no CSRF token on " + formPage);
		}
		String body = fields.entrySet()
			.stream()
			.map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
			.collect(Collectors.joining("&")) + "&_csrf=" + enc(token.group(1));
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
