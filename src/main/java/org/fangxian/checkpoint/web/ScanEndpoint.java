package org.fangxian.checkpoint.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.fangxian.checkpoint.internal.GateScans;
import org.fangxian.security.CurrentUser;

import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/checkpoints/{checkpointId}/scans} (integration contract), the
 * gate's hot path, handled without Spring MVC's handler-method machinery: argument
 * resolvers, message converters and content negotiation took a fifth of a scan's request
 * thread, and the gate took 10-19 % more scans without them (docs/benchmarks.md,
 * 2026-12-05). What stays the same: the security filters before it, the JSON (the
 * application's own mapper), and the errors, which go to the same exception handlers as
 * every other API call's ({@code ApiErrors}, for {@link RestController}s: hence the
 * annotation). The decision itself is {@link GateScans}'s.
 */
@RestController
class ScanEndpoint implements HttpRequestHandler {

	static final String PATH = "/api/v1/checkpoints/{checkpointId}/scans";

	/** The decision with its reason as a stable code and as a sentence for the guard. */
	record ScanAnswer(long scanId, GateScans.Decision decision, String reason, String message, String person,
			boolean replayed, GateScans.Identity identity) {
	}

	private final GateScans scans;

	private final MessageSource messages;

	private final HandlerExceptionResolver errors;

	private final ObjectReader reader;

	private final ObjectWriter writer;

	/** This handler as the exception handlers see a controller's method. */
	private final HandlerMethod asHandlerMethod;

	ScanEndpoint(GateScans scans, MessageSource messages, JsonMapper json,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) throws NoSuchMethodException {
		this.scans = scans;
		this.messages = messages;
		this.errors = errors;
		this.reader = json.readerFor(GateScans.ScanRequest.class);
		this.writer = json.writerFor(ScanAnswer.class);
		this.asHandlerMethod = new HandlerMethod(this, "handleRequest", HttpServletRequest.class,
				HttpServletResponse.class);
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		try {
			scan(request, response);
		}
		catch (Exception ex) {
			if (this.errors.resolveException(request, response, this.asHandlerMethod, ex) == null) {
				if (ex instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw new ServletException(ex);
			}
		}
	}

	private void scan(HttpServletRequest request, HttpServletResponse response) throws Exception {
		if ("OPTIONS".equals(request.getMethod())) {
			response.setHeader("Allow", "POST, OPTIONS");
			return;
		}
		if (!"POST".equals(request.getMethod())) {
			throw new HttpRequestMethodNotSupportedException(request.getMethod(), List.of("POST"));
		}
		requireJson(request.getContentType());
		long checkpointId = checkpointId(request);
		GateScans.ScanRequest body;
		try {
			body = this.reader.readValue(request.getInputStream());
		}
		catch (JacksonException ex) {
			throw new HttpMessageNotReadableException("Not a scan: " + ex.getOriginalMessage(), ex,
					new ServletServerHttpRequest(request));
		}
		if (body == null) {
			throw new HttpMessageNotReadableException("No scan", new ServletServerHttpRequest(request));
		}
		CurrentUser user = CurrentUser.signedIn()
			.orElseThrow(() -> new AuthenticationCredentialsNotFoundException("not signed in"));
		GateScans.ScanResult result = this.scans.scan(user, checkpointId, body);
		ScanAnswer answer = new ScanAnswer(result.scanId(), result.decision(), result.reason(),
				this.messages.getMessage(result.reason(), null, result.reason(), LocaleContextHolder.getLocale()),
				result.person(), result.replayed(), result.identity());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		this.writer.writeValue(response.getOutputStream(), answer);
	}

	/** What {@code @RequestBody} takes as JSON. */
	private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON,
			new MediaType("application", "*+json"));

	private static void requireJson(String contentType) throws HttpMediaTypeNotSupportedException {
		if (contentType == null) {
			throw new HttpMediaTypeNotSupportedException((MediaType) null, JSON);
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			if (JSON.stream().noneMatch(json -> json.includes(type))) {
				throw new HttpMediaTypeNotSupportedException(type, JSON);
			}
		}
		catch (InvalidMediaTypeException ex) {
			throw new HttpMediaTypeNotSupportedException(ex.getMessage());
		}
	}

	private static long checkpointId(HttpServletRequest request) {
		@SuppressWarnings("unchecked")
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		String value = variables.get("checkpointId");
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			TypeMismatchException mismatch = new TypeMismatchException(value, long.class, ex);
			mismatch.initPropertyName("checkpointId");
			throw mismatch;
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Mapping {

		/** Asked before the controllers' mappings, for this one path only. */
		@Bean
		SimpleUrlHandlerMapping scanEndpointMapping(ScanEndpoint endpoint, LocaleChangeInterceptor langParameter) {
			SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of(PATH, endpoint));
			mapping.setInterceptors(langParameter);
			mapping.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return mapping;
		}

	}

}
