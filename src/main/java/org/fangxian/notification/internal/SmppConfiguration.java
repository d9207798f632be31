package org.fangxian.notification.internal;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SMPP gateway, when {@code FANGXIAN_SMPP_HOST} names an SMS centre; otherwise the
 * outbox only logs.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${fangxian.smpp.host:}'.isBlank()")
class SmppConfiguration {

	@Bean
	DeliveryReceipts deliveryReceipts(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
		return new DeliveryReceipts(jdbc, tx, clock);
	}

	@Bean(initMethod = "start", destroyMethod = "close")
	SmppGateway smppGateway(Environment environment, DeliveryReceipts receipts) {
		SmppSettings settings = Binder.get(environment).bindOrCreate("fangxian.smpp", SmppSettings.class);
		return new SmppGateway(settings, receipts);
	}

}
