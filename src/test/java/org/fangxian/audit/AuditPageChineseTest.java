package org.fangxian.audit;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit page in Chinese (issue 13 "Every screen in Chinese"): action codes, target
 * types and the details' terms as Chinese text, counts as 6,000.
 */
class AuditPageChineseTest extends IntegrationTest {

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	HttpResponse<String> get(HttpClient client, String path, String language) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.header("Accept", "text/html")
			.header("Accept-Language", language)
			.timeout(Duration.ofSeconds(60))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void actionsTargetsAndDetailsReadAsChineseWithOneNumberFormat() throws Exception {
		TestData.Tree tree = this.data.tree();
		String hq = this.data.account(Role.HQ_ADMIN, tree.district());
		for (String[] row : new String[][] { { "RESIDENTS_SEARCHED", "node", "query <phone>, 6000 shown" },
				{ "RESIDENTS_EXPORTED", "node", "12500 rows, UNMASKED" }, { "RISK_AREA_SET", "division", "HIGH" },
				{ "ACCOUNT_CREATED", "account", "user name gate-7, role CHECKPOINT_GUARD, node 51" } }) {
			this.jdbc.sql("""
					insert into audit_event (actor, action, target_type, target_id, detail)
					values (:actor, :action, :type, :id, :detail)""")
				.param("actor", hq)
				.param("action", row[0])
				.param("type", row[1])
				.param("id", String.valueOf(tree.district().id()))
				.param("detail", row[2])
				.update();
		}
		// Stored in UTC, shown in China Standard Time: 17:30 UTC is 01:30 the next day.
		this.jdbc.sql("""
				insert into audit_event (at, actor, action, target_type, target_id, detail)
				values (timestamptz '2026-11-30 17:30:00+00', :actor, 'RESIDENTS_SEARCHED', 'node', '1', 'late')""")
			.param("actor", hq)
			.update();
		HttpClient client = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		Matcher m = CSRF.matcher(get(client, "/login", "zh-CN").body());
		assertThat(m.find()).isTrue();
		client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=" + enc(hq) + "&password=" + enc(TestData.PASSWORD) + "&_csrf=" + enc(m.group(1))))
			.build(), HttpResponse.BodyHandlers.ofString());

		String page = get(client, "/audit?actor=" + enc(hq), "zh-CN").body();
		assertThat(page).contains("查询居民", "导出居民", "设定风险地区", "区划节点 " + tree.district().id(), "〈手机号〉", "6,000", "12,500",
				"未打码", "高风险");
		assertThat(page).contains("用户名 gate-7，角色 卡点值守，节点 51").doesNotContain("CHECKPOINT_GUARD");
		assertThat(page).contains("2026-12-01</span> <span class=\"nobr\">01:30:00");
		assertThat(page).doesNotContain("17:30:00");
		assertThat(page).doesNotContain("RESIDENTS_SEARCHED", "RESIDENTS_EXPORTED", "UNMASKED", ">HIGH<", "6000 ",
				"shown", "rows");

		String english = get(client, "/audit?actor=" + enc(hq) + "&lang=en", "en").body();
		assertThat(english).contains("Residents searched", "6,000 shown", "12,500 rows, UNMASKED");
	}

}
