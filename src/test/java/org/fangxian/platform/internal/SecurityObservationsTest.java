package org.fangxian.platform.internal;

import org.fangxian.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.ObservationFilterChainDecorator;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's filters run unwrapped: no observing filter around each of them per
 * request (issue 17's profile), unless {@code fangxian.observe-security-filters=true}.
 */
class SecurityObservationsTest extends IntegrationTest {

	@Autowired
	@Qualifier("springSecurityFilterChain")
	private jakarta.servlet.Filter securityFilters;

	@Test
	void securityFiltersAreNotWrappedInObservations() {
		Object proxy = this.securityFilters instanceof FilterChainProxy chain
				&& ReflectionTestUtils.getField(chain, "springSecurityFilterChain") instanceof FilterChainProxy inner
						? inner : this.securityFilters;
		assertThat(proxy).isInstanceOf(FilterChainProxy.class);
		assertThat(ReflectionTestUtils.getField(proxy, "filterChainDecorator"))
			.isNotInstanceOf(ObservationFilterChainDecorator.class);
	}

}
