package org.fangxian.platform.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written reader of {@link IsoInstants} answers as Jackson's own does, value or
 * error, for the common form and for every form it leaves to Jackson.
 */
class IsoInstantsTest {

	private static final JsonMapper JACKSON = JsonMapper.builder().build();

	private static final JsonMapper OURS = JsonMapper.builder().addModule(IsoInstants.module()).build();

	record Body(Instant scannedAt) {
	}

	record Formatted(@com.fasterxml.jackson.annotation.JsonFormat(pattern = "yyyy-MM-dd HH:mm",
			timezone = "Asia/Shanghai") Instant at) {
	}

	@Test
	void theCommonFormIsReadByHandAndAsInstantParseReadsIt() {
		for (String text : List.of("2026-12-02T10:15:30Z", "2026-12-02T10:15:30.1Z", "2026-12-02T10:15:30.12Z",
				"2026-12-02T10:15:30.123Z", "2026-12-02T10:15:30.123456Z", "2026-12-02T10:15:30.123456789Z",
				"2026-12-02T10:15:30.000000001Z", "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z",
				"1969-12-31T23:59:59.5Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
				Instant.now().toString())) {
			assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
		}
	}

	@Test
	void everyOtherFormIsLeftToJackson() {
		for (String text : List.of("2026-12-02T10:15:30", "2026-12-02T10:15:30.Z", "2026-12-02T10:15:30.1234567890Z",
				"2026-12-02T10:15:30+08:00", "2026-12-02T10:15:30.5+00:00", "2026-12-02 10:15:30Z",
				"2026-12-02T24:00:00Z", "2026-12-02T23:59:60Z", "2026-02-30T10:15:30Z", "2026-13-02T10:15:30Z",
				"2026-00-02T10:15:30Z", "2026-12-00T10:15:30Z", "2026-12-02T10:60:30Z", "+2026-12-02T10:15:30Z",
				"2026-12-02t10:15:30z", " 2026-12-02T10:15:30Z", "2026-12-02T10:15:30Z ", "２026-12-02T10:15:30Z",
				"2026-12-0２T10:15:30Z", "abcd-ef-ghTij:kl:mnZ", "", "1764670530", "1764670530.5")) {
			assertThat(IsoInstants.parse(text)).as(text).isNull();
		}
	}

	@Test
	void theMapperAnswersAsJacksonDoesValueOrError() {
		for (String value : List.of("\"2026-12-02T10:15:30.123456Z\"", "\"2026-12-02T10:15:30Z\"",
				"\"2026-12-02T10:15:30+08:00\"", "\" 2026-12-02T10:15:30Z \"", "\"2026-02-30T10:15:30Z\"",
				"\"2026-12-02T24:00:00Z\"", "\"2026-12-02T23:59:60Z\"", "\"\"", "\"  \"", "\"yesterday\"", "null",
				"1764670530", "1764670530.5", "\"1764670530\"", "true", "{}", "[]", "[\"2026-12-02T10:15:30Z\"]")) {
			String json = "{\"scannedAt\":" + value + "}";
			assertThat(read(OURS, json, Body.class)).as(json).isEqualTo(read(JACKSON, json, Body.class));
		}
	}

	@Test
	void aPropertyWithItsOwnFormatIsReadByJackson() {
		String json = "{\"at\":\"2026-12-02 18:15\"}";
		assertThat(read(OURS, json, Formatted.class)).isEqualTo(read(JACKSON, json, Formatted.class))
			.isEqualTo(new Formatted(Instant.parse("2026-12-02T10:15:00Z")).toString());
		String iso = "{\"at\":\"2026-12-02T10:15:30Z\"}";
		assertThat(read(OURS, iso, Formatted.class)).isEqualTo(read(JACKSON, iso, Formatted.class))
			.startsWith("error ");
	}

	/** The value read, or the error's class, as text to compare. */
	private static String read(JsonMapper mapper, String json, Class<?> type) {
		try {
			return Objects.toString(mapper.readValue(json, type));
		}
		catch (JacksonException ex) {
			return "error " + ex.getClass().getName();
		}
	}

}
