package org.fangxian.notification.internal;

import java.time.Clock;

import org.fangxian.notification.SmsGateway;
import org.fangxian.security.PersonalDataProtection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class OutboxConfiguration {

	/** The provider's gateway when one is configured as a bean, else the log. */
	@Bean
	OutboxDispatcher outboxDispatcher(JdbcClient jdbc, TransactionTemplate tx, PersonalDataProtection protection,
			ObjectProvider<SmsGateway> gateways, Clock clock,
			@Value("${fangxian.outbox.max-attempts:5}") int maxAttempts) {
		return new OutboxDispatcher(jdbc, tx, protection, gateways.getIfUnique(OutboxLogGateway::new), clock,
				maxAttempts, 100);
	}

	@Bean
	OutboxSchedule outboxSchedule(OutboxDispatcher dispatcher,
			@Value("${fangxian.outbox.dispatch-enabled:true}") boolean enabled) {
		return new OutboxSchedule(dispatcher, enabled);
	}

	/** Polls the outbox; switched off in tests, which dispatch when they choose. */
	record OutboxSchedule(OutboxDispatcher dispatcher, boolean enabled) {

		@Scheduled(fixedDelayString = "${fangxian.outbox.poll-ms:5000}",
				initialDelayString = "${fangxian.outbox.first-poll-ms:10000}")
		void poll() {
			if (this.enabled) {
				this.dispatcher.dispatchDue();
			}
		}

	}

}
