package org.fangxian.registry.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.registry.MessyRosterFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.fangxian.registry.internal.RosterField.*;

class RosterReaderTest {

	private static final RosterReader reader = new RosterReader();

	private static RosterSheet messy;

	@BeforeAll
	static void readMessyRoster() throws IOException {
		messy = readResource(MessyRosterFixture.XLSX);
	}

	// The messy roster, as Excel

	@Test
	void findsTheHeaderBelowTheTitleAndBlankRow() {
		assertThat(messy.headerRowNumber()).isEqualTo(MessyRosterFixture.HEADER_ROW);
		assertThat(messy.headers()).isEqualTo(MessyRosterFixture.HEADERS);
	}

	@Test
	void mapsEveryColumnOfTheMessyRoster() {
		assertThat(messy.mapping()).containsExactly(Map.entry(0, SEQ), Map.entry(1, NAME), Map.entry(2, SEX),
				Map.entry(3, ID_NUMBER), Map.entry(4, PHONE), Map.entry(5, COMPOUND), Map.entry(6, BUILDING),
				Map.entry(7, UNIT), Map.entry(8, ROOM), Map.entry(9, RELATION), Map.entry(10, TAGS),
				Map.entry(11, STATUS), Map.entry(12, NOTE));
		assertThat(messy.unmappedHeaders()).isEmpty();
		assertThat(messy.columnOf(PHONE)).isEqualTo(4);
		assertThat(messy.columnOf(ADDRESS)).isEqualTo(-1);
	}

	@Test
	void numbersRowsAsExcelShowsThemSkippingBlankRowsAndTheFooter() {
		assertThat(messy.rows()).extracting(RosterRow::rowNumber).isEqualTo(MessyRosterFixture.DATA_ROWS);
		assertThat(row(4).get(NAME)).isEqualTo("王建国");
		assertThat(row(16).get(SEX)).isEqualTo("女");
		assertThat(row(29).get(NAME)).isEqualTo("杨小宇");
	}

	@Test
	void keepsRowValuesAsTyped() {
		RosterRow first = row(4);
		assertThat(first.values()).containsOnlyKeys(NAME, SEX, ID_NUMBER, PHONE, COMPOUND, BUILDING, UNIT, ROOM,
				RELATION, TAGS, STATUS);
		assertThat(first.get(PHONE)).isEqualTo("+86 138-0451-0001");
		assertThat(first.get(NOTE)).isEmpty();
		assertThat(first.has(NOTE)).isFalse();
		assertThat(row(8).get(TAGS)).isEqualTo("独居老人、残疾人");
		assertThat(row(8).get(PHONE)).isEqualTo("0451-86661234");
		assertThat(row(21).get(STATUS)).isEqualTo("迁出");
		assertThat(row(23).get(BUILDING)).isEqualTo("2号楼");
		assertThat(row(23).get(ROOM)).isEqualTo("602室");
		assertThat(row(16).has(NAME)).isFalse();
		assertThat(row(19).has(ID_NUMBER)).isFalse();
		assertThat(row(17).get(ID_NUMBER)).isEqualTo(row(4).get(ID_NUMBER));
	}

	@Test
	void normalisesFullWidthCharactersSpacesAndTheCheckCharacter() {
		assertThat(row(6).get(NAME)).isEqualTo("王 磊");
		assertThat(row(6).get(PHONE)).isEqualTo("13804510003");
		assertThat(row(7).get(ID_NUMBER)).isEqualTo("23010220120520048X");
		assertThat(row(9).get(ID_NUMBER)).isEqualTo("230102194108230625");
		assertThat(row(9).get(NOTE)).isEqualTo("行动不便,需上门服务");
		assertThat(row(24).get(NAME)).isEqualTo("林 芳");
		assertThat(row(28).get(ID_NUMBER)).isEqualTo("230102199307180467");
	}

	@Test
	void rendersNumberCellsAsTheirDigits() {
		assertThat(row(5).get(PHONE)).isEqualTo("13804510002");
		assertThat(row(11).get(ID_NUMBER)).isEqualTo("230102199004030832");
		assertThat(row(12).get(ID_NUMBER)).isEqualTo("230102500612242");
		assertThat(row(25).get(ID_NUMBER)).isEqualTo("230102198706151000");
		assertThat(row(4).get(BUILDING)).isEqualTo("1");
		assertThat(row(4).get(ROOM)).isEqualTo("101");
	}

	// The same roster saved as CSV

	@Test
	void readsTheUtf8CsvWithBomLikeTheWorkbook() throws IOException {
		assertThat(readResource(MessyRosterFixture.CSV_UTF8)).isEqualTo(messy);
	}

	@Test
	void readsTheGbkCsvLikeTheWorkbook() throws IOException {
		assertThat(readResource(MessyRosterFixture.CSV_GBK)).isEqualTo(messy);
	}

	@Test
	void committedCsvFixturesAreWhatTheGeneratorWrites() throws IOException {
		assertThat(resource(MessyRosterFixture.CSV_UTF8)).isEqualTo(MessyRosterFixture.csv(StandardCharsets.UTF_8));
		assertThat(resource(MessyRosterFixture.CSV_GBK)).isEqualTo(MessyRosterFixture.csv(Charset.forName("GB18030")));
	}

	@Test
	void readsUtf8WithoutBom() {
		RosterSheet sheet = csv("姓名,联系电话\n张　三,１３８００００００００\n", StandardCharsets.UTF_8);
		assertThat(sheet.rows()).singleElement().satisfies((row) -> {
			assertThat(row.get(NAME)).isEqualTo("张 三");
			assertThat(row.get(PHONE)).isEqualTo("13800000000");
		});
	}

	@Test
	void readsUtf16WithBom() {
		byte[] text = "姓名\t联系电话\r\n张三\t13800000000\r\n".getBytes(StandardCharsets.UTF_16LE);
		byte[] bytes = new byte[text.length + 2];
		bytes[0] = (byte) 0xFF;
		bytes[1] = (byte) 0xFE;
		System.arraycopy(text, 0, bytes, 2, text.length);
		RosterRow row = reader.read(new ByteArrayInputStream(bytes), "unicode.csv").rows().get(0);
		assertThat(row.get(NAME)).isEqualTo("张三");
		assertThat(row.get(PHONE)).isEqualTo("13800000000");
	}

	@ParameterizedTest
	@ValueSource(strings = { "\t", ";" })
	void detectsTabAndSemicolonDelimiters(String delimiter) {
		String text = String.join(delimiter, "姓名", "身份证号", "住址") + "\r\n"
				+ String.join(delimiter, "李四", "230102195203150118", "福乐湾小区1栋, 2单元") + "\r\n";
		RosterRow row = csv(text, StandardCharsets.UTF_8).rows().get(0);
		assertThat(row.get(ID_NUMBER)).isEqualTo("230102195203150118");
		assertThat(row.get(ADDRESS)).isEqualTo("福乐湾小区1栋, 2单元");
	}

	@Test
	void countsEmptyLinesAndQuotedLineBreaksAsExcelRows() {
		String text = "名单\n\n姓名,备注\n张三,\"第一行\n第二行\"\n\n李四,\n";
		RosterSheet sheet = csv(text, StandardCharsets.UTF_8);
		assertThat(sheet.headerRowNumber()).isEqualTo(3);
		assertThat(sheet.rows()).extracting(RosterRow::rowNumber).containsExactly(4, 6);
		assertThat(sheet.rows().get(0).get(NOTE)).isEqualTo("第一行 第二行");
	}

	@Test
	void undoesTheTricksThatKeepExcelFromMangingDigits() {
		RosterRow row = csv("姓名,身份证号,手机\n张三,=\"23010219520315011x\",'13800000000\n", StandardCharsets.UTF_8).rows()
			.get(0);
		assertThat(row.get(ID_NUMBER)).isEqualTo("23010219520315011X");
		assertThat(row.get(PHONE)).isEqualTo("13800000000");
	}

	// Headers

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			姓名               | NAME
			*姓名              | NAME
			＊姓名：           | NAME
			居民 姓名          | NAME
			姓　名             | NAME
			Name               | NAME
			公民身份号码       | ID_NUMBER
			证件号码（必填）   | ID_NUMBER
			【必填】身份证号   | ID_NUMBER
			ID Number          | ID_NUMBER
			证件类型           | ID_TYPE
			联系电话（手机）   | PHONE
			电话/手机          | PHONE
			手机号码:          | PHONE
			小区名称           | COMPOUND
			楼号               | BUILDING
			楼组               | UNIT
			室                 | ROOM
			家庭住址           | ADDRESS
			关系               | RELATION
			特殊人群           | TAGS
			人员状态           | STATUS
			出生日期           | BIRTH_DATE
			性别               | SEX
			（备注）           | NOTE
			序号               | SEQ
			""")
	void recognisesHeaderSynonymsWhateverTheirDecoration(String header, RosterField field) {
		assertThat(RosterField.ofHeader(header)).contains(field);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "ID", "楼栋/单元", "共乐街道福乐湾社区居民花名册（2022年4月）", "健康码颜色", "填表人：张三" })
	void leavesOtherHeadersUnrecognised(String header) {
		assertThat(RosterField.ofHeader(header)).isEmpty();
	}

	@Test
	void userOverridesTakePrecedenceOverSynonyms() {
		String text = "住户,证件,电话,手机号码(本人),状态,备注\n张三,230102195203150118,0451-1,13800000000,绿码,独居\n";
		Map<String, RosterField> overrides = new HashMap<>();
		overrides.put("住户", NAME);
		overrides.put("证件", ID_NUMBER);
		overrides.put("手机号码（本人）", PHONE);
		overrides.put("状态", SEQ);
		overrides.put("备注", TAGS);
		RosterSheet sheet = reader.read(utf8(text), "roster.csv", overrides);
		assertThat(sheet.mapping()).containsExactly(Map.entry(0, NAME), Map.entry(1, ID_NUMBER), Map.entry(3, PHONE),
				Map.entry(4, SEQ), Map.entry(5, TAGS));
		assertThat(sheet.unmappedHeaders()).containsExactly("电话");
		RosterRow row = sheet.rows().get(0);
		assertThat(row.values()).containsOnlyKeys(NAME, ID_NUMBER, PHONE, TAGS);
		assertThat(row.get(PHONE)).isEqualTo("13800000000");
		assertThat(row.get(TAGS)).isEqualTo("独居");
	}

	@Test
	void aSecondColumnForAFieldIsLeftUnmapped() {
		RosterSheet sheet = csv("姓名,电话,手机,健康码\n张三,0451-1,13800000000,绿\n", StandardCharsets.UTF_8);
		assertThat(sheet.mapping()).containsExactly(Map.entry(0, NAME), Map.entry(1, PHONE));
		assertThat(sheet.unmappedHeaders()).containsExactly("手机", "健康码");
		assertThat(sheet.rows().get(0).get(PHONE)).isEqualTo("0451-1");
	}

	@Test
	void ignoresColumnsBeyondTheCap() {
		StringBuilder header = new StringBuilder("姓名,电话");
		StringBuilder data = new StringBuilder("张三,13800000000");
		for (int column = 2; column < 210; column++) {
			header.append(',').append((column == 205) ? "备注" : "列" + column);
			data.append(",x");
		}
		RosterSheet sheet = csv(header + "\n" + data + "\n", StandardCharsets.UTF_8);
		assertThat(sheet.headers()).hasSize(RosterReader.MAX_COLUMNS);
		assertThat(sheet.mapping()).doesNotContainValue(NOTE);
	}

	// Rows

	@Test
	void skipsRowsWithNothingButNumberingOrAFooter() {
		String text = "序号,姓名,身份证号,备注\n1,张三,,\n2,,,\n3,,,\n合计,,,2人\n填表人:王五,,,\n4,,230102195203150118,\n";
		RosterSheet sheet = csv(text, StandardCharsets.UTF_8);
		assertThat(sheet.rows()).extracting(RosterRow::rowNumber).containsExactly(2, 7);
	}

	@Test
	void keepsARowThatLooksLikeAFooterButNamesSomeone() {
		RosterSheet sheet = csv("备注,姓名\n合计,张三\n", StandardCharsets.UTF_8);
		assertThat(sheet.rows()).extracting(RosterRow::rowNumber).containsExactly(2);
	}

	@Test
	void truncatesOverlongCells() {
		String text = "姓名,备注\n张三," + "很".repeat(5_000) + "\n";
		assertThat(csv(text, StandardCharsets.UTF_8).rows().get(0).get(NOTE)).hasSize(CellText.MAX_CHARS);
	}

	@Test
	void readsDatesFromTheWorkbook() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (Workbook workbook = new Workbook(bytes, "test", "1.0")) {
			Worksheet sheet = workbook.newWorksheet("Sheet1");
			List<String> headers = List.of("姓名", "出生日期", "备注");
			for (int column = 0; column < headers.size(); column++) {
				sheet.value(0, column, headers.get(column));
			}
			sheet.value(1, 0, "张三");
			sheet.value(1, 1, LocalDate.of(1980, 1, 2));
			sheet.style(1, 1).format("yyyy-mm-dd").set();
			sheet.value(1, 2, LocalDate.of(2022, 4, 1));
			sheet.style(1, 2).format("yyyy\"年\"m\"月\"d\"日\"").set();
			sheet.value(2, 0, "李四");
			sheet.value(2, 1, 29221);
			sheet.value(3, 0, "王五");
			sheet.value(3, 1, 1980);
			sheet.value(4, 0, "赵六");
			sheet.value(4, 1, "1980/1/1");
			sheet.value(5, 0, "钱七");
			sheet.value(5, 1, 19800101);
		}
		RosterSheet sheet = reader.read(new ByteArrayInputStream(bytes.toByteArray()), "dates.XLSX");
		assertThat(sheet.rows()).extracting((row) -> row.get(BIRTH_DATE))
			.containsExactly("1980-01-02", "1980-01-01", "1980", "1980/1/1", "19800101");
		assertThat(sheet.rows().get(0).get(NOTE)).isEqualTo("2022-04-01");
	}

	// Streaming and limits

	@Test
	@Tag("slow") // seconds of rows: verify and -Pfast -Dmodule=registry run it
	void streamsAMillionRowsWithoutHoldingThem() {
		int rows = 1_000_000;
		List<RosterSheet> headers = new ArrayList<>();
		AtomicInteger seen = new AtomicInteger();
		AtomicInteger lastNumber = new AtomicInteger();
		reader.stream(generated(rows), "big.csv", Map.of(), headers::add, (row) -> {
			assertThat(headers).hasSize(1);
			seen.incrementAndGet();
			lastNumber.set(row.rowNumber());
		});
		assertThat(headers).singleElement().satisfies((sheet) -> assertThat(sheet.rows()).isEmpty());
		assertThat(seen).hasValue(rows);
		assertThat(lastNumber).hasValue(rows + 1);
	}

	@Test
	@Tag("slow") // seconds of rows: verify and -Pfast -Dmodule=registry run it
	void refusesMoreRowsThanTheCap() {
		assertThatExceptionOfType(RosterFormatException.class).isThrownBy(() -> reader
			.stream(generated(RosterReader.MAX_ROWS, (number) -> "\n"), "big.csv", Map.of(), (sheet) -> {
			}, (row) -> {
			})).satisfies((ex) -> assertThat(ex.messageKey()).isEqualTo("roster.format.tooManyRows"));
	}

	@Test
	void refusesARecordWithoutEnd() {
		String text = "姓名,备注\n张三,\"" + "x".repeat(CsvRows.MAX_RECORD_CHARS + 10);
		assertFormatError(() -> csv(text, StandardCharsets.UTF_8), "roster.format.rowTooLong");
	}

	@Test
	void leavesExceptionsFromTheConsumerAlone() {
		assertThatIllegalStateException()
			.isThrownBy(() -> reader.stream(utf8("姓名,电话\n张三,1\n"), "a.csv", Map.of(), (sheet) -> {
			}, (row) -> {
				throw new IllegalStateException("importer failed");
			}))
			.withMessage("importer failed");
	}

	// Files that are not rosters

	@ParameterizedTest
	@CsvSource(nullValues = "null", value = { "roster.xls, .xls", "roster.txt, .txt", "roster, ''", "null, ''" })
	void refusesUnsupportedExtensions(String filename, String extension) {
		RosterFormatException ex = assertFormatError(() -> reader.read(utf8("姓名,电话\n"), filename),
				"roster.format.unsupported");
		assertThat(ex.args()).containsExactly(extension);
	}

	@Test
	void refusesARosterWithoutANameColumn() {
		RosterFormatException ex = assertFormatError(
				() -> csv("花名册\n序号,身份证号码,联系电话\n1,230102195203150118,13800000000\n", StandardCharsets.UTF_8),
				"roster.format.noNameColumn");
		assertThat(ex.args()).containsExactly(2);
	}

	@Test
	void refusesAFileWithoutAHeader() {
		assertFormatError(() -> csv("a,b,c\n1,2,3\n", StandardCharsets.UTF_8), "roster.format.noHeader");
		assertFormatError(() -> csv("", StandardCharsets.UTF_8), "roster.format.noHeader");
		assertFormatError(() -> csv("\n".repeat(15) + "姓名,电话\n张三,1\n", StandardCharsets.UTF_8),
				"roster.format.noHeader");
	}

	@Test
	void refusesAWorkbookThatIsNot() {
		assertFormatError(() -> reader.read(utf8("姓名,电话\n"), "roster.xlsx"), "roster.format.corrupt");
	}

	@Test
	void refusesUndecodableBytesAfterAnAsciiStart() {
		byte[] ascii = ("name,phone\n" + "zhang,1\n".repeat(10_000)).getBytes(StandardCharsets.US_ASCII);
		byte[] gbk = "张三,1\n".getBytes(Charset.forName("GB18030"));
		byte[] bytes = new byte[ascii.length + gbk.length];
		System.arraycopy(ascii, 0, bytes, 0, ascii.length);
		System.arraycopy(gbk, 0, bytes, ascii.length, gbk.length);
		RosterFormatException ex = assertFormatError(() -> reader.read(new ByteArrayInputStream(bytes), "a.csv"),
				"roster.format.badEncoding");
		assertThat(ex.args()).containsExactly(10_002);
	}

	private static RosterRow row(int rowNumber) {
		return messy.rows()
			.stream()
			.filter((row) -> row.rowNumber() == rowNumber)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No row " + rowNumber));
	}

	private static RosterSheet readResource(String name) throws IOException {
		try (InputStream in = RosterReaderTest.class.getResourceAsStream("/" + name)) {
			return reader.read(in, name);
		}
	}

	private static byte[] resource(String name) throws IOException {
		try (InputStream in = RosterReaderTest.class.getResourceAsStream("/" + name)) {
			return in.readAllBytes();
		}
	}

	private static RosterSheet csv(String text, Charset charset) {
		return reader.read(new ByteArrayInputStream(text.getBytes(charset)), "roster.csv");
	}

	private static InputStream utf8(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

	private static RosterFormatException assertFormatError(Runnable read, String messageKey) {
		RosterFormatException[] caught = new RosterFormatException[1];
		assertThatExceptionOfType(RosterFormatException.class).isThrownBy(read::run).satisfies((ex) -> caught[0] = ex);
		assertThat(caught[0].messageKey()).isEqualTo(messageKey);
		return caught[0];
	}

	/**
	 * A CSV roster of the given number of residents, produced as it is read so the test
	 * holds none of it.
	 */
	private static InputStream generated(int rows) {
		return generated(rows, (number) -> "居民" + number + ",230102199001011234,13800000000,福乐湾小区,1,2,301\n");
	}

	private static InputStream generated(int rows, IntFunction<String> lines) {
		return new InputStream() {

			private byte[] line = "姓名,身份证号码,联系电话,小区,楼栋,单元,门牌号\n".getBytes(StandardCharsets.UTF_8);

			private int position;

			private int written;

			@Override
			public int read() {
				byte[] one = new byte[1];
				return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xFF);
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				if (this.position == this.line.length) {
					if (this.written == rows) {
						return -1;
					}
					this.written++;
					this.line = lines.apply(this.written).getBytes(StandardCharsets.UTF_8);
					this.position = 0;
				}
				int count = Math.min(length, this.line.length - this.position);
				System.arraycopy(this.line, this.position, buffer, offset, count);
				this.position += count;
				return count;
			}

		};
	}

}
