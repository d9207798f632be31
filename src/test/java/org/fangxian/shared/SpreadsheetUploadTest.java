package org.fangxian.shared;

import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpreadsheetUploadTest {

	private static final long GB_1_5 = 1_500L << 20;

	private static SpreadsheetUpload receive(byte[] content) {
		return SpreadsheetUpload.receive(new ByteArrayInputStream(content), "roster.xlsx");
	}

	private static void assertTooLarge(byte[] content) {
		assertThatThrownBy(() -> receive(content).close()).isInstanceOf(InvalidInput.class)
			.satisfies(ex -> assertThat(((InvalidInput) ex).messageKey()).isEqualTo(SpreadsheetUpload.TOO_LARGE))
			.satisfies(ex -> assertThat(((InvalidInput) ex).field()).isEqualTo("file"));
	}

	@Test
	void anHonestWorkbookPassesAndReadsFromItsCheckedFile() throws Exception {
		Path file;
		try (SpreadsheetUpload upload = receive(SpreadsheetBombs.small("姓名", "身份证号"))) {
			file = upload.file();
			assertThat(upload.format()).isEqualTo(SpreadsheetUpload.Format.XLSX);
			try (ReadableWorkbook workbook = new ReadableWorkbook(upload.file().toFile());
					var rows = workbook.getFirstSheet().openStream()) {
				Row first = rows.findFirst().orElseThrow();
				assertThat(first.getCell(0).getText()).isEqualTo("姓名");
			}
		}
		assertThat(Files.exists(file)).as("closing deletes the temporary file").isFalse();
	}

	@Test
	void refusesSharedStringsThatInflateTo1_5GB() {
		byte[] bomb = SpreadsheetBombs.sharedStrings(GB_1_5);
		assertThat(bomb.length).isLessThan(2 << 20);
		assertTooLarge(bomb);
	}

	@Test
	void refusesABombWhoseZipUnderstatesItsSizes() {
		assertTooLarge(SpreadsheetBombs.lyingAboutSizes(SpreadsheetBombs.sharedStrings(200L << 20)));
	}

	@Test
	@Tag("slow") // reads until the cap: verify and -Pfast -Dmodule=shared run it
	void refusesCellsThatInflateTo1_5GB() {
		assertTooLarge(SpreadsheetBombs.lyingAboutSizes(SpreadsheetBombs.cells(GB_1_5)));
	}

	@Test
	void refusesOneCellOfMegabytesEvenInPiecesOfCdata() {
		assertTooLarge(SpreadsheetBombs.longCell(5_000_000));
	}

	@Test
	void refusesADoctype() {
		byte[] workbook = SpreadsheetBombs.small("<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]>");
		assertTooLarge(workbook);
	}

	@Test
	void boundsACsvInRecordsAndRecordLength() throws Exception {
		SpreadsheetUpload.Limits limits = SpreadsheetUpload.Limits.DEFAULT.withMaxRows(10);
		try (SpreadsheetUpload upload = SpreadsheetUpload
			.receive(new ByteArrayInputStream("a,b\n".repeat(11).getBytes(StandardCharsets.UTF_8)), "x.csv", limits);
				Reader reader = upload.csv(StandardCharsets.UTF_8)) {
			assertThat(upload.format()).isEqualTo(SpreadsheetUpload.Format.CSV);
			assertThatThrownBy(() -> reader.transferTo(Writer.nullWriter())).isInstanceOf(InvalidInput.class);
		}
		String endless = "a,\"" + "x".repeat((int) SpreadsheetUpload.Limits.DEFAULT.maxRecordChars() + 1);
		try (SpreadsheetUpload upload = SpreadsheetUpload
			.receive(new ByteArrayInputStream(endless.getBytes(StandardCharsets.UTF_8)), "x.csv");
				Reader reader = upload.csv(StandardCharsets.UTF_8)) {
			// Still the upload's too-large answer, told apart so a roster can name it.
			assertThatThrownBy(() -> reader.transferTo(Writer.nullWriter()))
				.isInstanceOfSatisfying(SpreadsheetUpload.RecordTooLong.class, (ex) -> {
					assertThat(ex.messageKey()).isEqualTo(SpreadsheetUpload.TOO_LARGE);
					assertThat(ex.maxChars()).isEqualTo(SpreadsheetUpload.Limits.DEFAULT.maxRecordChars());
				});
		}
	}

	private static final class Writer {

		static java.io.Writer nullWriter() {
			return java.io.Writer.nullWriter();
		}

	}

}
