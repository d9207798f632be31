package org.fangxian.notification.internal;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The SMPP gateway exists exactly when FANGXIAN_SMPP_HOST names an SMS centre, with the
 * variables' values.
 */
class SmppConfigurationTest {

	final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(SmppConfiguration.class)
		.withBean(JdbcClient.class, () -> mock(JdbcClient.class))
		.withBean(TransactionTemplate.class, () -> mock(TransactionTemplate.class))
		.withBean(Clock.class, Clock::systemUTC);

	@Test
	void withoutAHostThereIsNoGatewayAndTheOutboxOnlyLogs() {
		this.context.withPropertyValues("fangxian.smpp.host=")
			.run(app -> assertThat(app).doesNotHaveBean(SmppGateway.class));
		this.context.run(app -> assertThat(app).doesNotHaveBean(SmppGateway.class));
	}

	@Test
	void aHostMakesTheGatewayWithTheConfiguredAccountAndRate() {
		// nothing listens there: the gateway starts anyway and keeps trying in the
		// background
		this.context
			.withPropertyValues("fangxian.smpp.host=127.0.0.1", "fangxian.smpp.port=1", "fangxian.smpp.system-id=fx01",
					"fangxian.smpp.password=pw345678", "fangxian.smpp.source-addr=10690001", "fangxian.smpp.rate=2.5")
			.run(app -> {
				assertThat(app).hasSingleBean(SmppGateway.class);
				assertThat(app.getBean(SmppGateway.class).reachesPhones()).isTrue();
				assertThat(app.getBean(SmppGateway.class).connected()).isFalse();
			});
	}

	@Test
	void aPasswordLongerThanSmppAllowsStopsTheStart() {
		this.context.withPropertyValues("fangxian.smpp.host=127.0.0.1", "fangxian.smpp.password=123456789")
			.run(app -> assertThat(app).hasFailed()
				.getFailure()
				.satisfies(ex -> assertThat(org.assertj.core.util.Throwables.getStackTrace(ex))
					.doesNotContain("123456789")));
	}

}
