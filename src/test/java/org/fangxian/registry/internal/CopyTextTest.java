package org.fangxian.registry.internal;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** COPY's text format: what would end a field or a row is escaped, nulls are \N. */
class CopyTextTest {

	@Test
	void escapesWhatWouldEndAFieldOrARow() {
		String row = new CopyText(1).text("a\tb\nc\rd\\e")
			.text(null)
			.number(7L)
			.number((Long) null)
			.bytes(new byte[] { 0x0a, (byte) 0xff })
			.date(LocalDate.of(2026, 12, 3))
			.textArray(List.of("X", "a\"b\\c"))
			.endRow()
			.toString();
		assertThat(row)
			.isEqualTo("a\\tb\\nc\\rd\\\\e\t\\N\t7\t\\N\t\\\\x0aff\t2026-12-03\t{\"X\",\"a\\\\\"b\\\\\\\\c\"}\n");
	}

}
