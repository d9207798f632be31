package org.fangxian.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

@Configuration(proxyBeanMethods = false)
@org.springframework.scheduling.annotation.EnableScheduling
class PlatformConfiguration implements WebMvcConfigurer {

	/**
	 * The one clock and zone of the application: quarantine days, check-in deadlines, pass expiry and texts
	 * follow it, not the server's zone (China Standard Time unless fangxian.time-zone says otherwise).
	 */
	@Bean
	@ConditionalOnMissingBean
	Clock clock(@org.springframework.beans.factory.annotation.Value("${fangxian.time-zone:Asia/Shanghai}") ZoneId zone) {
		return Clock.system(zone);
	}

	/**
	 * No observation per Spring Security filter: at the gate's request rates they cost about a fifth of
	 * the request's CPU (docs/benchmarks.md) and tell nothing the HTTP server metrics do not.
	 */
	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "fangxian.observe-security-filters",
			havingValue = "false", matchIfMissing = true)
	io.micrometer.observation.ObservationPredicate noSecurityFilterObservations() {
		return (name, context) -> !name.startsWith("spring.security.");
	}

	/** Chinese unless the user picks English (?lang=en); the browser's language is not guessed. */
	@Bean
	LocaleResolver localeResolver() {
		CookieLocaleResolver resolver = new CookieLocaleResolver("FANGXIAN_LANG");
		resolver.setDefaultLocale(Locale.SIMPLIFIED_CHINESE);
		resolver.setCookieMaxAge(Duration.ofDays(365));
		return resolver;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
		interceptor.setParamName("lang");
		registry.addInterceptor(interceptor);
	}

}
