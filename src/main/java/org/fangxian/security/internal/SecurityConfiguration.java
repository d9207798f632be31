package org.fangxian.security.internal;

import java.io.IOException;
import java.util.List;

import org.fangxian.security.Role;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.authentication.configuration.AuthenticationConfiguration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Browser pages use a database-backed session with CSRF protection; the JSON API also
 * accepts bearer tokens, for which CSRF does not apply (no cookie is involved).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration implements WebMvcConfigurer {

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	AuthenticationManager authenticationManager(AuthenticationConfiguration configuration) throws Exception {
		return configuration.getAuthenticationManager();
	}

	/**
	 * API calls that carry a bearer token (a gate's scans, other systems), on a chain of
	 * their own without the session, CSRF, sign-in, sign-out and saved-request filters,
	 * none of which has anything to do for them: the main chain's rule for these paths
	 * (an account for every {@code /api/} path but the token request), with the security
	 * filters' share of a gate scan's request threads down from 11.4 % to 9.1 % (issue
	 * 17, docs/benchmarks.md). A call without a bearer token, or to the token request,
	 * goes to the main chain.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain bearerApiChain(HttpSecurity http, ApiTokens tokens, Accounts accounts) throws Exception {
		http.securityMatcher(SecurityConfiguration::bearerApiCall)
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			.sessionManagement(session -> session.disable())
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable())
			.logout(logout -> logout.disable())
			.addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
			.addFilterAfter(new PasswordChangeGate(accounts), AuthorizationFilter.class)
			.exceptionHandling(errors -> errors.authenticationEntryPoint(SecurityConfiguration::signInFirst)
				.accessDeniedHandler(SecurityConfiguration::forbidden));
		return headers(http).build();
	}

	/**
	 * Whether the bearer chain takes the call. Plain string tests on the path: the
	 * firewall, which runs before any chain is chosen, has already refused paths that are
	 * not normalized (dot segments, encoded or doubled slashes, semicolons), and parsing
	 * path patterns here cost 1.4 % of a gate scan's request threads (issue 17). Every
	 * path under the token request goes to the main chain, which has the rule for it.
	 */
	private static boolean bearerApiCall(HttpServletRequest request) {
		if (!BearerTokenFilter.hasBearer(request)) {
			return false;
		}
		String uri = request.getRequestURI();
		String context = request.getContextPath();
		if (!uri.startsWith(context)) {
			return false;
		}
		String path = uri.substring(context.length());
		return (path.equals("/api") || path.startsWith("/api/")) && !path.startsWith("/api/v1/auth/token");
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ApiTokens tokens, Accounts accounts) throws Exception {
		RequestMatcher api = PathPatternRequestMatcher.withDefaults().matcher("/api/**");
		RequestMatcher tokenEndpoint = PathPatternRequestMatcher.withDefaults()
			.matcher(HttpMethod.POST, "/api/v1/auth/token");
		RequestMatcher bearerCall = BearerTokenFilter::hasBearer;
		// A rule for an /api/ path here must be the bearer chain's too: that chain takes
		// bearer calls to the API before this one is asked.
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/login", "/language", "/q/*", "/sites", "/css/**", "/js/**", "/webjars/**",
					"/favicon.ico", "/favicon.svg", "/error", "/actuator/health", "/actuator/health/**")
			.permitAll()
			.requestMatchers(tokenEndpoint)
			.permitAll()
			// Returnees report their arrival without an account (containment's public
			// form; CSRF still applies).
			.requestMatchers("/report", "/report/**")
			.permitAll()
			// A family's link to its members' passes (checkpoint's family link): the
			// signed token is the key.
			.requestMatchers("/f/*", "/f/*/*")
			.permitAll()
			// A volunteer's own shifts (workforce's signed link), a post's page opened by
			// scanning its code, and a
			// street's or community's signed registration link for volunteers (approved
			// by a worker).
			.requestMatchers("/d/*", "/p/*", "/join/*")
			.permitAll()
			// A resident's own supply requests (task's signed link): ask, see the status,
			// cancel.
			.requestMatchers("/s/*", "/s/*/*/cancel")
			.permitAll()
			// Public notices of a district or street (reporting): no personal data; the
			// editor below needs an account.
			.requestMatchers(HttpMethod.GET, "/notices/*")
			.permitAll()
			.requestMatchers("/actuator/**")
			.hasRole(Role.HQ_ADMIN.name())
			.anyRequest()
			.authenticated())
			.formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
			.logout(logout -> logout.logoutSuccessUrl("/login?logout"))
			.csrf(csrf -> csrf.ignoringRequestMatchers(bearerCall, tokenEndpoint)
				.csrfTokenRepository(new SessionlessCsrfTokens()))
			.addFilterBefore(new BearerTokenFilter(tokens), UsernamePasswordAuthenticationFilter.class)
			// After a reset by an administrator, nothing but choosing a new password
			// until it is done.
			.addFilterAfter(new PasswordChangeGate(accounts), AuthorizationFilter.class)
			.exceptionHandling(
					errors -> errors.defaultAuthenticationEntryPointFor(SecurityConfiguration::signInFirst, api)
						// Pages always go to the login form, whatever the client's
						// Accept header says.
						.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
								new NegatedRequestMatcher(api))
						.defaultAccessDeniedHandlerFor(SecurityConfiguration::forbidden, api));
		return headers(http).build();
	}

	private static HttpSecurity headers(HttpSecurity http) throws Exception {
		return http.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
				"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'")));
	}

	private static void signInFirst(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException ex) throws IOException {
		ProblemResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, "auth.required",
				"Sign in first: POST /api/v1/auth/token, then send Authorization: Bearer <token>.");
	}

	private static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		ProblemResponses.write(response, HttpServletResponse.SC_FORBIDDEN, "auth.forbidden",
				"Not allowed, or the CSRF token is missing.");
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new CurrentUserArgumentResolver());
	}

}
