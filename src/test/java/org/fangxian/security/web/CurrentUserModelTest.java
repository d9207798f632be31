package org.fangxian.security.web;

import java.lang.reflect.Method;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.ControllerAdviceBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signed-in user reaches every page as {@code me} (the menu is drawn from it), and no
 * global model attribute runs for the JSON API (issue 17: it cost every gate scan).
 */
class CurrentUserModelTest extends IntegrationTest {

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@Autowired
	ApplicationContext context;

	@Test
	void noModelAttributeMethodOfAControllerAdviceAppliesToAnApiController() {
		List<Class<?>> apis = new ArrayList<>();
		for (String name : this.context.getBeanNamesForAnnotation(RestController.class)) {
			apis.add(AopUtils.getTargetClass(this.context.getBean(name)));
		}
		assertThat(apis).as("the API controllers").hasSizeGreaterThan(10);
		List<String> applying = new ArrayList<>();
		for (ControllerAdviceBean advice : ControllerAdviceBean.findAnnotatedBeans(this.context)) {
			java.util.Set<Method> attributes = MethodIntrospector.selectMethods(advice.getBeanType(),
					(java.lang.reflect.Method m) -> AnnotatedElementUtils.hasAnnotation(m, ModelAttribute.class)
							&& !AnnotatedElementUtils.hasAnnotation(m, RequestMapping.class));
			for (Class<?> api : apis) {
				if (!attributes.isEmpty() && advice.isApplicableToBeanType(api)) {
					applying.add(advice.getBeanType().getSimpleName() + " → " + api.getSimpleName());
				}
			}
		}
		assertThat(applying).isEmpty();
	}

	@Test
	void aSignedInPageStillKnowsWhoIsSignedIn() throws Exception {
		TestData.Tree tree = this.data.tree();
		String username = this.data.account(Role.COMMUNITY_WORKER, tree.communityA1());
		HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		HttpResponse<String> loginPage = get(client, "/login");
		assertThat(loginPage.body()).doesNotContain("class=\"topnav\"");
		Matcher m = CSRF.matcher(loginPage.body());
		assertThat(m.find()).isTrue();
		HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(
					"username=" + enc(username) + "&password=" + enc(TestData.PASSWORD) + "&_csrf=" + enc(m.group(1))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		HttpResponse<String> page = get(client, "/checkpoints");
		assertThat(page.statusCode()).isEqualTo(200);
		// The menu is drawn from me, with this worker's rights (residents, not the HQ's
		// accounts).
		assertThat(page.body()).contains("class=\"topnav\"").contains("href=\"/residents\"");
	}

	private HttpResponse<String> get(HttpClient client, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Accept", "text/html")
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
