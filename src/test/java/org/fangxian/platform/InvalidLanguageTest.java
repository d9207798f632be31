package org.fangxian.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code lang} parameter or a language cookie that is no locale at all
 * ({@code ?lang=x.y}) is ignored, as an unknown language is: the page or the API answers
 * in the default language, not with a 500.
 */
class InvalidLanguageTest extends IntegrationTest {

	private final HttpClient http = HttpClient.newHttpClient();

	private HttpResponse<String> get(String path, String token, String cookie) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token).header("Accept", "application/json");
		}
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void aLanguageThatIsNoLocaleIsIgnored() throws Exception {
		TestData.Tree tree = this.data.tree();
		String token = this.data.token(baseUrl(), this.data.account(Role.COMMUNITY_WORKER, tree.communityA1()));
		for (String lang : List.of("x.y", "en@x", "%25%25", "zh_CN_..")) {
			HttpResponse<String> api = get("/api/v1/checkpoints?lang=" + lang, token, null);
			assertThat(api.statusCode()).as("API ?lang=" + lang + ": " + api.body()).isEqualTo(200);
			HttpResponse<String> page = get("/login?lang=" + lang, null, null);
			assertThat(page.statusCode()).as("page ?lang=" + lang).isEqualTo(200);
			assertThat(page.body()).as("page ?lang=" + lang).contains("登录");
		}
		HttpResponse<String> api = get("/api/v1/checkpoints", token, "FANGXIAN_LANG=x.y");
		assertThat(api.statusCode()).as("API with a bad language cookie: " + api.body()).isEqualTo(200);
		HttpResponse<String> page = get("/login", null, "FANGXIAN_LANG=x.y");
		assertThat(page.statusCode()).as("page with a bad language cookie").isEqualTo(200);
		assertThat(page.body()).contains("登录");
		// An error answered under a bad cookie is still the error, in the default
		// language.
		HttpResponse<String> missing = get("/api/v1/cases/abc", token, "FANGXIAN_LANG=x.y");
		assertThat(missing.statusCode()).as(missing.body()).isEqualTo(400);
		// A real language still switches.
		assertThat(get("/login?lang=en", null, null).body()).contains("Sign in");
	}

}
