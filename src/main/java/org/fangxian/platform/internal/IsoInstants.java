package org.fangxian.platform.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads an {@code Instant} in the one form devices and browsers send,
 * {@code 2026-12-02T10:15:30.123456Z} (0-9 fraction digits, UTC), by hand: Jackson's own
 * reader parses it through {@code DateTimeFormatter.ISO_INSTANT}, 4 % of a gate scan's
 * request CPU (issue 17's profile). Anything else (an offset, a number, a leap second,
 * blanks, a bad date, a {@code @JsonFormat}) goes to Jackson's reader unchanged, so every
 * answer and every error is the one Jackson gives.
 */
final class IsoInstants extends StdScalarDeserializer<Instant> {

	private final ValueDeserializer<Instant> jackson;

	private IsoInstants(ValueDeserializer<Instant> jackson) {
		super(Instant.class);
		this.jackson = jackson;
	}

	/** A module that reads every {@code Instant} of the application's mapper this way. */
	static SimpleModule module() {
		return new SimpleModule("fangxian-iso-instants").addDeserializer(Instant.class,
				new IsoInstants(InstantDeserializer.INSTANT));
	}

	@Override
	public ValueDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
		ValueDeserializer<?> contextual = InstantDeserializer.INSTANT.createContextual(ctxt, property);
		// A property with its own format or leniency is read by Jackson alone.
		return contextual == InstantDeserializer.INSTANT ? this : contextual;
	}

	@Override
	public Instant deserialize(JsonParser parser, DeserializationContext ctxt) {
		if (parser.currentToken() == JsonToken.VALUE_STRING
				&& !ctxt.isEnabled(DateTimeFeature.TRUNCATE_TO_MSECS_ON_READ)) {
			Instant instant = parse(parser.getString());
			if (instant != null) {
				return instant;
			}
		}
		return this.jackson.deserialize(parser, ctxt);
	}

	@Override
	public LogicalType logicalType() {
		return LogicalType.DateTime;
	}

	/**
	 * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, hours 0-23 and seconds 0-59, as
	 * {@link Instant#parse} reads it; null for any other text.
	 */
	static Instant parse(String text) {
		int length = text.length();
		if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
				|| text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
				|| text.charAt(16) != ':') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
				|| second > 59) {
			return null;
		}
		int nanos = 0;
		if (length > 20) {
			// ".f" up to ".fffffffff" before the Z
			int fraction = length - 22;
			if (text.charAt(19) != '.' || fraction < 0) {
				return null;
			}
			int value = digits(text, 20, fraction + 1);
			if (value < 0) {
				return null;
			}
			nanos = value;
			for (int i = fraction + 1; i < 9; i++) {
				nanos *= 10;
			}
		}
		long days;
		try {
			days = LocalDate.of(year, month, day).toEpochDay();
		}
		catch (DateTimeException ex) {
			return null;
		}
		return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
	}

	/** The number written by {@code count} ASCII digits at {@code from}, or -1. */
	private static int digits(String text, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
