package org.fangxian.platform.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.TimeZone;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

@Configuration(proxyBeanMethods = false)
@org.springframework.scheduling.annotation.EnableScheduling
class PlatformConfiguration implements WebMvcConfigurer {

	/**
	 * The one clock and zone of the application: quarantine days, check-in deadlines,
	 * pass expiry and texts follow it, not the server's zone (China Standard Time unless
	 * fangxian.time-zone says otherwise).
	 */
	@Bean
	@ConditionalOnMissingBean
	Clock clock(Environment environment) {
		return Clock.system(zone(environment));
	}

	/**
	 * The JVM's default zone set to the same before any other bean starts, so what
	 * formats or converts with the default (Thymeleaf's #temporals, the JDBC session's
	 * time zone) agrees with the Clock.
	 */
	@Bean
	static BeanFactoryPostProcessor defaultTimeZone(Environment environment) {
		ZoneId zone = zone(environment);
		return beanFactory -> TimeZone.setDefault(TimeZone.getTimeZone(zone));
	}

	static ZoneId zone(Environment environment) {
		return ZoneId.of(environment.getProperty("fangxian.time-zone", "Asia/Shanghai"));
	}

	/**
	 * No observation per Spring Security filter: at the gate's request rates they cost
	 * about a fifth of the request's CPU (docs/benchmarks.md) and tell nothing the HTTP
	 * server metrics do not.
	 */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "fangxian.observe-security-filters",
			havingValue = "false", matchIfMissing = true)
	io.micrometer.observation.ObservationPredicate noSecurityFilterObservations() {
		return (name, context) -> !name.startsWith("spring.security.");
	}

	/**
	 * Nor the wrapping that would start them: without this, Spring Security still wraps
	 * each filter of its chain in an observing filter and the authorization manager in an
	 * observing one, per request, only for the predicate above to drop what they start
	 * (3-4 % of a gate scan's request CPU, issue 17's profile).
	 */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "fangxian.observe-security-filters",
			havingValue = "false", matchIfMissing = true)
	org.springframework.security.config.observation.SecurityObservationSettings noSecurityObservations() {
		return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
	}

	/**
	 * Instants in the common form ({@code ...T10:15:30.123Z}) read without
	 * {@code DateTimeFormatter} (issue 17: 4 % of a gate scan's request CPU); any other
	 * form as before. {@code fangxian.json.iso-instants=false}: Jackson's reader alone,
	 * for A/B benchmarks.
	 */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "fangxian.json.iso-instants",
			havingValue = "true", matchIfMissing = true)
	org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer isoInstants() {
		return builder -> builder.addModule(IsoInstants.module());
	}

	/**
	 * The request context without parsing {@code Accept-Language} up front (see
	 * {@link LazyLocaleRequestContextFilter});
	 * {@code fangxian.web.lazy-request-locale=false}: Spring Boot's own filter, for A/B
	 * benchmarks.
	 */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "fangxian.web.lazy-request-locale",
			havingValue = "true", matchIfMissing = true)
	static LazyLocaleRequestContextFilter lazyLocaleRequestContextFilter() {
		return new LazyLocaleRequestContextFilter();
	}

	/**
	 * Chinese unless the user picks English (?lang=en); the browser's language is not
	 * guessed. A cookie that names no locale at all ({@code x.y}) counts as none, as a
	 * language the application does not speak does.
	 */
	@Bean
	LocaleResolver localeResolver() {
		CookieLocaleResolver resolver = new CookieLocaleResolver("FANGXIAN_LANG");
		resolver.setDefaultLocale(Locale.SIMPLIFIED_CHINESE);
		resolver.setCookieMaxAge(Duration.ofDays(365));
		resolver.setRejectInvalidCookies(false);
		return resolver;
	}

	/**
	 * {@code ?lang=} switches the language; a value that is no locale is ignored. A bean,
	 * so a handler mapping of its own (the gate's scan) applies it too.
	 */
	@Bean
	static LocaleChangeInterceptor langParameter() {
		LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
		interceptor.setParamName("lang");
		interceptor.setIgnoreInvalidLocale(true);
		return interceptor;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(langParameter());
	}

}
