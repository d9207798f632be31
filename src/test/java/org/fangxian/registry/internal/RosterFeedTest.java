package org.fangxian.registry.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reader's thread of a roster import: every row once, in file order, in chunks; the
 * file's own failure reaches the importer; an import that stops early stops the reader.
 */
class RosterFeedTest {

	private static InputStream roster(int rows) {
		StringBuilder csv = new StringBuilder("姓名,联系电话\n");
		for (int i = 1; i <= rows; i++) {
			csv.append("居民").append(i).append(",1380000").append(String.format("%04d", i)).append('\n');
		}
		return new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void handsOverEveryRowOnceInFileOrderPreparedOnItsOwnThread() {
		List<String> names = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		AtomicReference<String> preparedOn = new AtomicReference<>();
		AtomicReference<RosterSheet> header = new AtomicReference<>();
		try (RosterFeed<String> feed = RosterFeed.start(roster(25), "r.csv", Map.of(), header::set, 10, row -> {
			preparedOn.set(Thread.currentThread().getName());
			return row.rowNumber() + ":" + row.get(RosterField.NAME);
		})) {
			for (List<String> chunk = feed.next(); chunk != null; chunk = feed.next()) {
				sizes.add(chunk.size());
				names.addAll(chunk);
			}
			assertThat(feed.next()).isNull();
		}
		assertThat(sizes).containsExactly(10, 10, 5);
		assertThat(names).hasSize(25).startsWith("2:居民1", "3:居民2").endsWith("26:居民25");
		assertThat(preparedOn.get()).isEqualTo("roster-reader").isNotEqualTo(Thread.currentThread().getName());
		assertThat(header.get()).isNotNull();
	}

	@Test
	void throwsTheFilesOwnFailureWhereTheImportAsksForRows() {
		InputStream noNameColumn = new ByteArrayInputStream(
				"序号,身份证号码\n1,230102195203150118\n".getBytes(StandardCharsets.UTF_8));
		try (RosterFeed<RosterRow> feed = RosterFeed.start(noNameColumn, "r.csv", Map.of(), sheet -> {
		}, 10, row -> row)) {
			assertThatExceptionOfType(RosterFormatException.class).isThrownBy(feed::next)
				.satisfies(ex -> assertThat(ex.messageKey()).isEqualTo("roster.format.noNameColumn"));
		}
	}

	@Test
	void anImportThatStopsEarlyStopsTheReader() throws InterruptedException {
		AtomicInteger prepared = new AtomicInteger();
		RosterFeed<Integer> feed = RosterFeed.start(roster(100_000), "r.csv", Map.of(), sheet -> {
		}, 100, row -> prepared.incrementAndGet());
		assertThat(feed.next()).hasSize(100);
		feed.close();
		int atClose = prepared.get();
		// At most the chunks waiting and the one being made: the rest of the file is
		// never read.
		assertThat(atClose).isLessThan(100 * (RosterFeed.AHEAD + 3));
		// close() waited for the reader to let go: nothing more is read afterwards.
		Thread.sleep(300);
		assertThat(prepared.get()).isEqualTo(atClose);
	}

}
