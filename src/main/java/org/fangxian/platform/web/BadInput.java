package org.fangxian.platform.web;

import java.sql.SQLException;
import java.time.DateTimeException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.multipart.MultipartException;

/**
 * Which unexpected exceptions are really the caller's bad input, by class rather than
 * endpoint by endpoint: a parameter of the wrong type ({@code /residents/abc},
 * {@code ?after=abc}), an unreadable body, a date that cannot be one, and a value
 * PostgreSQL refuses as data (SQLSTATE class 22: out-of-range date, overlong text, NUL).
 * The pages and the API answer them alike, as 400.
 */
record BadInput(String field, String key, Object... args) {

	static BadInput of(Throwable ex) {
		if (ex instanceof TypeMismatchException mismatch) {
			String name = mismatch.getPropertyName() == null ? "parameter" : mismatch.getPropertyName();
			return new BadInput(name, "error.badParameter", name);
		}
		if (ex instanceof MissingServletRequestParameterException missing) {
			return new BadInput(missing.getParameterName(), "error.badParameter", missing.getParameterName());
		}
		if (ex instanceof HttpMessageNotReadableException || ex instanceof MultipartException) {
			return new BadInput("body", "error.badRequest");
		}
		if (ex instanceof DateTimeException) {
			return new BadInput("date", "date.outOfRange", 1900, 2199);
		}
		if (ex instanceof DataAccessException
				&& NestedExceptionUtils.getMostSpecificCause(ex) instanceof SQLException sql
				&& sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
			return new BadInput("input", "error.badValue");
		}
		return null;
	}

}
