package org.fangxian.notification.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Links in texts: the configured public address, else the one the request came to, never
 * a guess.
 */
class PublicAddressTest {

	@AfterEach
	void forgetRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	static void requestTo(String scheme, String host, int port, String contextPath) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST",
				contextPath + "/api/v1/containment/quarantines");
		request.setScheme(scheme);
		request.setServerName(host);
		request.setServerPort(port);
		request.setContextPath(contextPath);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
	}

	@Test
	void theConfiguredAddressWinsEvenInsideARequest() {
		requestTo("http", "10.0.0.7", 9090, "");
		assertThat(new PublicAddress("https://fangxian.example.gov.cn/", new MockEnvironment()).base())
			.isEqualTo("https://fangxian.example.gov.cn");
	}

	@Test
	void withoutItTheAddressTheRequestCameToWithItsPortAndContextPath() {
		requestTo("https", "fangxian.daoli.gov.cn", 8443, "/fx");
		assertThat(new PublicAddress("", new MockEnvironment()).base())
			.isEqualTo("https://fangxian.daoli.gov.cn:8443/fx");
		requestTo("http", "192.168.1.20", 9090, "");
		assertThat(new PublicAddress(" ", new MockEnvironment()).base()).isEqualTo("http://192.168.1.20:9090");
	}

	@Test
	void outsideARequestThePortTheAppListensOn() {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "9191");
		assertThat(new PublicAddress(null, environment).base()).isEqualTo("http://localhost:9191");
	}

	@Test
	void anAddressOnlyThisMachineKnowsIsCalledUnreachable() {
		requestTo("http", "localhost", 8080, "");
		assertThat(new PublicAddress("", new MockEnvironment()).unreachable()).contains("http://localhost:8080");
		requestTo("http", "127.0.0.1", 8080, "");
		assertThat(new PublicAddress("", new MockEnvironment()).unreachable()).contains("http://127.0.0.1:8080");
		requestTo("https", "fangxian.daoli.gov.cn", 443, "");
		assertThat(new PublicAddress("", new MockEnvironment()).unreachable()).isEmpty();
		requestTo("http", "localhost", 8080, "");
		assertThat(new PublicAddress("https://fangxian.example.gov.cn", new MockEnvironment()).unreachable()).isEmpty();
	}

}
