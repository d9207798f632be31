package org.fangxian.platform;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.fangxian.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public pages (a returnee's report form, the queue board, a family link, a check-in
 * link, the sign-in form) are opened by many people who never sign in: they must not
 * leave a session row each, and the tokens in their links must not be written to the log
 * in full.
 */
@ExtendWith(OutputCaptureExtension.class)
class PublicPagesTest extends IntegrationTest {

	static final List<String> PUBLIC = List.of("/report", "/sites", "/login",
			"/f/123.1893456000.AAAAAAAAAAAAAAAAAAAAAA", "/q/qTokenAbCdEfGhIjKlMnOp", "/report/done",
			"/language?lang=en");

	long sessions() {
		return this.jdbc.sql("select count(*) from spring_session").query(Long.class).single();
	}

	@Test
	void anonymousVisitsLeaveNoSessionBehind() throws Exception {
		HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		long before = sessions();
		for (int i = 0; i < 5; i++) {
			for (String path : PUBLIC) {
				HttpResponse<String> reply = anonymous.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
					.header("Accept", "text/html")
					.timeout(Duration.ofSeconds(60))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(reply.statusCode()).as(path).isLessThan(500);
				assertThat(reply.headers().allValues("Set-Cookie")).as(path).noneMatch(c -> c.startsWith("SESSION="));
			}
		}
		assertThat(sessions()).isEqualTo(before);
	}

	@Test
	void aPublicFormStillNeedsItsCsrfTokenWithoutASession() throws Exception {
		HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		HttpResponse<String> forged = anonymous.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/report"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("name=x"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(forged.statusCode()).isEqualTo(403);
	}

	@Test
	void tokensOfPublicLinksAreMaskedInTheLog(CapturedOutput output) {
		String family = "https://fx.example/f/4711.1893456000.Zx9_secretSignature12";
		String checkIn = "/q/AbCdSecretCheckInToken";
		String pass = "FXP1.981.1893456000.s3cr3tSignatureAAAAAA";
		LoggerFactory.getLogger("fangxian.sms").info("SMS #1 to 139****0001: 家庭码 {} ", family);
		LoggerFactory.getLogger(PublicPagesTest.class)
			.warn("check-in failed for " + checkIn + " with " + pass,
					new IllegalStateException("while opening " + checkIn));
		assertThat(output.getOut()).contains("/f/4711…", "/q/AbCd…", "FXP1.…")
			.doesNotContain("secretSignature12", "SecretCheckInToken", "s3cr3tSignature");
	}

}
