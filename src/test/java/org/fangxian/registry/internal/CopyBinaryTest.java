package org.fangxian.registry.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * COPY's binary format as the server reads it (whether it does is
 * {@link ResidentCopyTest}'s): the header once, each row its count of values, each value
 * its length (-1 for null), and a row never half written.
 */
class CopyBinaryTest {

	@Test
	void aRowIsItsCountThenEachValueBehindItsLength() {
		CopyBinary copy = new CopyBinary(4, 1);
		ByteBuffer first = ByteBuffer
			.wrap(copy.text("王").number(7L).date(LocalDate.of(1999, 12, 31)).bytes(null).endRow().take());

		byte[] header = new byte[11];
		first.get(header);
		assertThat(new String(header, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("PGCOPY");
		assertThat(first.getInt()).as("flags").isZero();
		assertThat(first.getInt()).as("header extension").isZero();
		assertThat(first.getShort()).as("values in the row").isEqualTo((short) 4);
		assertThat(first.getInt()).isEqualTo(3);
		byte[] name = new byte[3];
		first.get(name);
		assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo("王");
		assertThat(first.getInt()).isEqualTo(8);
		assertThat(first.getLong()).isEqualTo(7L);
		assertThat(first.getInt()).isEqualTo(4);
		assertThat(first.getInt()).as("days since 2000-01-01").isEqualTo(-1);
		assertThat(first.getInt()).as("null").isEqualTo(-1);
		assertThat(first.hasRemaining()).isFalse();

		// The next piece goes on with rows only.
		ByteBuffer second = ByteBuffer
			.wrap(copy.text(null).number((Long) null).date(null).bytes(new byte[] { 1, 2 }).endRow().take());
		assertThat(second.getShort()).isEqualTo((short) 4);
		assertThat(second.getInt()).isEqualTo(-1);
		assertThat(second.getInt()).isEqualTo(-1);
		assertThat(second.getInt()).isEqualTo(-1);
		assertThat(second.getInt()).isEqualTo(2);
		assertThat(second.get()).isEqualTo((byte) 1);
		assertThat(second.get()).isEqualTo((byte) 2);
		assertThat(second.hasRemaining()).isFalse();
		assertThat(CopyBinary.trailer()).containsExactly(0xff, 0xff);
	}

	@Test
	void aTextArrayIsWrittenAsTheServerSendsOne() {
		ByteBuffer tags = ByteBuffer
			.wrap(new CopyBinary(2, 1).textArray(List.of("X", "甲")).textArray(List.of()).endRow().take());
		tags.position(19 + 2);
		assertThat(tags.getInt()).as("length").isEqualTo(20 + 4 + 1 + 4 + 3);
		assertThat(tags.getInt()).as("dimensions").isEqualTo(1);
		assertThat(tags.getInt()).as("has nulls").isZero();
		assertThat(tags.getInt()).as("element type: text").isEqualTo(25);
		assertThat(tags.getInt()).as("elements").isEqualTo(2);
		assertThat(tags.getInt()).as("lower bound").isEqualTo(1);
		assertThat(tags.getInt()).isEqualTo(1);
		assertThat(tags.get()).isEqualTo((byte) 'X');
		assertThat(tags.getInt()).isEqualTo(3);
		tags.position(tags.position() + 3);
		assertThat(tags.getInt()).as("the empty array's length").isEqualTo(12);
		assertThat(tags.getInt()).as("no dimensions").isZero();
		assertThat(tags.getInt()).isZero();
		assertThat(tags.getInt()).isEqualTo(25);
		assertThat(tags.hasRemaining()).isFalse();
	}

	@Test
	void aRowOfTheWrongSizeIsNotWritten() {
		CopyBinary copy = new CopyBinary(2, 1);
		copy.text("a");
		assertThatThrownBy(copy::take).isInstanceOf(IllegalStateException.class);
		assertThatThrownBy(copy::endRow).isInstanceOf(IllegalStateException.class);
		copy.text("b");
		assertThatThrownBy(() -> copy.text("c")).isInstanceOf(IllegalStateException.class);
		assertThat(copy.endRow().take()).hasSize(19 + 2 + 4 + 1 + 4 + 1);
	}

}
