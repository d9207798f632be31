package org.fangxian.platform.web;

import java.util.List;
import java.util.Map;

import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.web.PageMessages;
import org.fangxian.shared.NotFound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.authentication.LockedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error is an RFC 9457 problem with a stable {@code code}, a translated
 * {@code detail} and, for bad input, {@code errors: [{field, code, message}]}. Never a
 * stack trace.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiErrors extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

	private final MessageSource messages;

	private final PageMessages pages;

	ApiErrors(MessageSource messages, PageMessages pages) {
		this.messages = messages;
		this.pages = pages;
	}

	private String text(String key, Object... args) {
		return this.pages.text(key, args);
	}

	private ProblemDetail problem(HttpStatus status, String code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setProperty("code", code);
		return problem;
	}

	@ExceptionHandler(InvalidInput.class)
	ProblemDetail invalid(InvalidInput ex) {
		String message = text(ex.messageKey(), ex.args());
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, ex.messageKey(), message);
		problem.setProperty("errors",
				List.of(Map.of("field", ex.field(), "code", ex.messageKey(), "message", message)));
		return problem;
	}

	@ExceptionHandler(NotFound.class)
	ProblemDetail notFound(NotFound ex) {
		return problem(HttpStatus.NOT_FOUND, ex.messageKey(), text(ex.messageKey()));
	}

	@ExceptionHandler(AccessDeniedException.class)
	ProblemDetail denied(AccessDeniedException ex) {
		String key = ex instanceof org.fangxian.security.CurrentUser.OutsideJurisdictionException
				? "error.outsideJurisdiction" : "error.forbidden";
		return problem(HttpStatus.FORBIDDEN, key, text(key));
	}

	@ExceptionHandler(AuthenticationException.class)
	ProblemDetail unauthenticated(AuthenticationException ex) {
		String key = ex instanceof LockedException ? "auth.locked" : "auth.badCredentials";
		return problem(HttpStatus.UNAUTHORIZED, key, text(key));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		if (databaseAway(ex)) {
			// Restarting or unreachable: a moment later the same request (with its
			// Idempotency-Key) is answered once. Not the caller's fault, not a bug.
			log.warn("Database unavailable: {}", ex.getClass().getSimpleName());
			ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "error.databaseUnavailable",
					text("error.databaseUnavailable"));
			problem.setProperty("errors", List.of());
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, "2")
				.body(problem);
		}
		ProblemDetail problem = unexpectedProblem(ex);
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

	/**
	 * The database could not be reached or cut the connection (SQLSTATE class 08, or 57P
	 * for a server shutting down), or no connection came from the pool in time.
	 */
	static boolean databaseAway(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof org.springframework.dao.DataAccessResourceFailureException
					|| cause instanceof org.springframework.transaction.CannotCreateTransactionException) {
				return true;
			}
			// A rollback that failed on the cut connection hides why the call failed:
			// that is its application exception.
			if (cause instanceof org.springframework.transaction.TransactionSystemException failed
					&& failed.getApplicationException() != null && databaseAway(failed.getApplicationException())) {
				return true;
			}
			// A commit cut off mid-way is rolled back, and that rollback fails on the
			// pool's
			// closed connection ("Connection is closed", no SQLSTATE), which replaces the
			// commit's own 08 error: whether the write landed is unknown, which is what a
			// 503
			// to retry with the same key is for.
			if (cause instanceof org.springframework.transaction.TransactionSystemException
					&& cause.getCause() instanceof java.sql.SQLException closed && closed.getSQLState() == null
					&& "Connection is closed".equals(closed.getMessage())) {
				return true;
			}
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private ProblemDetail unexpectedProblem(Exception ex) {
		BadInput bad = BadInput.of(ex);
		if (bad != null) {
			String message = text(bad.key(), bad.args());
			ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, bad.key(), message);
			problem.setProperty("errors", List.of(Map.of("field", bad.field(), "code", bad.key(), "message", message)));
			return problem;
		}
		log.error("Unexpected error", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "error.unexpected", text("error.unexpected"));
	}

	/**
	 * Spring MVC's own refusals (a parameter of the wrong type, a missing one, an
	 * unreadable body, a wrong method) keep their status but get the {@code code} and
	 * {@code errors} every problem here carries.
	 */
	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		BadInput bad = BadInput.of(ex);
		if (bad != null && statusCode.is4xxClientError()) {
			String message = text(bad.key(), bad.args());
			ProblemDetail problem = problem(HttpStatus.valueOf(statusCode.value()), bad.key(), message);
			problem.setProperty("errors", List.of(Map.of("field", bad.field(), "code", bad.key(), "message", message)));
			return super.handleExceptionInternal(ex, problem, headers, statusCode, request);
		}
		// Spring hands most of its own refusals (415, 405, 406...) over without a body
		// and fills it in later: fill it in here, so it gets its code too.
		if (body == null && ex instanceof org.springframework.web.ErrorResponse refusal) {
			body = refusal.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale());
		}
		if (body instanceof ProblemDetail problem
				&& (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
			String key = statusCode.value() == 404 ? "error.notFound"
					: statusCode.is4xxClientError() ? "error.badRequest" : "error.unexpected";
			problem.setProperty("code", key);
			problem.setProperty("errors", List.of());
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(error -> Map.of("field", error.getField(), "code", String.valueOf(error.getCode()), "message",
					this.messages.getMessage(error, LocaleContextHolder.getLocale())))
			.toList();
		FieldError first = ex.getBindingResult().getFieldError();
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "error.validation",
				first == null ? text("error.validation") : first.getField() + ": " + errors.get(0).get("message"));
		problem.setProperty("errors", errors);
		return ResponseEntity.badRequest().body(problem);
	}

}
