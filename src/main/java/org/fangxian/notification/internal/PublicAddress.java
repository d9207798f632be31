package org.fangxian.notification.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The address residents reach the app at, for links in texts: {@code fangxian.public-url}
 * when set; else the address the current request came to (behind a proxy, with
 * {@code SERVER_FORWARD_HEADERS_STRATEGY=native}, the one the proxy was asked for);
 * outside a request, this machine's own port, with a warning.
 */
@Component
public class PublicAddress {

	private static final Logger log = LoggerFactory.getLogger(PublicAddress.class);

	private final String configured;

	private final Environment environment;

	private final AtomicBoolean warned = new AtomicBoolean();

	public PublicAddress(@Value("${fangxian.public-url:}") String configured, Environment environment) {
		this.configured = configured == null || configured.isBlank() ? null : stripSlash(configured.trim());
		this.environment = environment;
	}

	/**
	 * @return scheme, host, port and context path, without a trailing slash
	 */
	public String base() {
		if (this.configured != null) {
			return this.configured;
		}
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			return fromRequest(attributes.getRequest());
		}
		String port = this.environment.getProperty("local.server.port",
				this.environment.getProperty("server.port", "8080"));
		if (this.warned.compareAndSet(false, true)) {
			log.warn("A text was written outside a web request and FANGXIAN_PUBLIC_URL is not set: its link uses this "
					+ "machine's port {}; set FANGXIAN_PUBLIC_URL to the address residents can reach", port);
		}
		return "http://localhost:" + port;
	}

	/**
	 * The address texts' links use, when it is one no resident's phone can reach (this
	 * machine's own: {@code fangxian.public-url} unset and the request not from outside);
	 * empty when it is reachable or configured.
	 */
	public java.util.Optional<String> unreachable() {
		if (this.configured != null) {
			return java.util.Optional.empty();
		}
		String base = base();
		String host = java.net.URI.create(base).getHost();
		boolean local = host == null || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
				|| host.equals("::1");
		return local ? java.util.Optional.of(base) : java.util.Optional.empty();
	}

	static String fromRequest(HttpServletRequest request) {
		return stripSlash(
				ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString());
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
