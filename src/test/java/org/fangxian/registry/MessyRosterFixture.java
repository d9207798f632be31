package org.fangxian.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * Writes the messy resident roster used by the roster reader and importer tests, as a
 * community in 哈尔滨市道里区共乐街道 would really keep it: {@code messy-roster.xlsx}, the same
 * sheet saved as CSV in UTF-8 with a BOM ({@code messy-roster.csv}) and as CSV the way
 * Excel in China saves it, in GBK ({@code messy-roster-gbk.csv}). Run {@link #main} from
 * the project root to regenerate {@code src/test/resources/rosters/}; the files are
 * committed so tests read exactly what a user would upload.
 *
 * <p>
 * Layout: row 1 is the title "共乐街道福乐湾社区居民花名册（2022年4月）" merged across A:M, row 2 is blank,
 * row 3 the header {@code 序号 | 姓名 | 性别 | 身份证号码 | 联系电话 | 小区 | 楼栋 | 单元 | 门牌号 | 与户主关系 |
 * 人员类别 | 居住状态 | 备注}, rows 4-29 the residents (row 15 blank), and row 30 the footer
 * "填表人：张三 审核人：李四" merged across A:M. In the .xlsx, 序号, the digit-only 楼栋/单元/门牌号 cells,
 * the phone in row 5 and the ID numbers in rows 11, 12 and 25 are number cells;
 * everything else is text. The CSV files hold the same values as text, so all three read
 * identically.
 *
 * <p>
 * Row numbers are those Excel shows. "Reader" is what {@code RosterReader} hands over;
 * "Importer" is what the importer should do with it.
 *
 * <table>
 * <caption>Defects by row</caption>
 * <tr>
 * <th>Row</th>
 * <th>Resident</th>
 * <th>Defect</th>
 * <th>Reader</th>
 * <th>Importer</th>
 * </tr>
 * <tr>
 * <td>1</td>
 * <td>-</td>
 * <td>title row, merged A1:M1</td>
 * <td>skipped while looking for the header</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>2</td>
 * <td>-</td>
 * <td>blank row</td>
 * <td>skipped</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>3</td>
 * <td>-</td>
 * <td>header</td>
 * <td>header row 3, all 13 columns mapped</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>4</td>
 * <td>王建国</td>
 * <td>phone "+86 138-0451-0001"</td>
 * <td>as typed</td>
 * <td>accept; phone 13804510001; head of 福乐湾小区 1-1-101</td>
 * </tr>
 * <tr>
 * <td>5</td>
 * <td>李秀兰</td>
 * <td>phone is a number cell; ID ends in X</td>
 * <td>"13804510002", "23010219540708022X"</td>
 * <td>accept</td>
 * </tr>
 * <tr>
 * <td>6</td>
 * <td>王 磊</td>
 * <td>full-width space in the name; phone in full-width digits; status 外出</td>
 * <td>"王 磊", "13804510003"</td>
 * <td>accept as 王磊 (drop spaces between Chinese characters); temporarily away</td>
 * </tr>
 * <tr>
 * <td>7</td>
 * <td>王小雨</td>
 * <td>ID check character typed as lower-case x; no phone (child)</td>
 * <td>"23010220120520048X"</td>
 * <td>accept without phone</td>
 * </tr>
 * <tr>
 * <td>8</td>
 * <td>赵德福</td>
 * <td>landline "0451-86661234"; tags "独居老人、残疾人"</td>
 * <td>as typed</td>
 * <td>accept; landline is a valid phone; two tags split on 、</td>
 * </tr>
 * <tr>
 * <td>9</td>
 * <td>刘桂芝</td>
 * <td>ID in full-width digits; tags "独居老人、卧床"</td>
 * <td>"230102194108230625"</td>
 * <td>accept; two tags</td>
 * </tr>
 * <tr>
 * <td>10</td>
 * <td>陈静</td>
 * <td>phone "139 0451 0010"; tag 孕妇; status 租户</td>
 * <td>as typed</td>
 * <td>accept; phone 13904510010; tenant</td>
 * </tr>
 * <tr>
 * <td>11</td>
 * <td>孙浩</td>
 * <td>18-digit ID stored as a number cell</td>
 * <td>all 18 digits "230102199004030832"</td>
 * <td>accept</td>
 * </tr>
 * <tr>
 * <td>12</td>
 * <td>周玉珍</td>
 * <td>legacy 15-digit ID "230102500612242" (number cell)</td>
 * <td>"230102500612242"</td>
 * <td>accept with a warning; upgrade to 230102195006122425 (insert 19, compute check
 * character)</td>
 * </tr>
 * <tr>
 * <td>13</td>
 * <td>吴志强</td>
 * <td>wrong check character: "230102197508210935" (should end 4)</td>
 * <td>as typed</td>
 * <td><b>reject</b>: invalid ID number</td>
 * </tr>
 * <tr>
 * <td>14</td>
 * <td>郑小宝</td>
 * <td>birth date 2091-03-12 in the future (1991 mistyped), check character valid:
 * "230102209103120151"</td>
 * <td>as typed</td>
 * <td><b>reject</b>: birth date in the future</td>
 * </tr>
 * <tr>
 * <td>15</td>
 * <td>-</td>
 * <td>blank row in the middle</td>
 * <td>skipped; later rows keep their numbers</td>
 * <td>-</td>
 * </tr>
 * <tr>
 * <td>16</td>
 * <td>(none)</td>
 * <td>name missing (ID 230102198305050269 valid)</td>
 * <td>no NAME value</td>
 * <td><b>reject</b>: name required</td>
 * </tr>
 * <tr>
 * <td>17</td>
 * <td>马文华</td>
 * <td>ID "230102195203150118" duplicates row 4 (王建国)</td>
 * <td>as typed</td>
 * <td><b>reject</b>: ID number already in this file at row 4</td>
 * </tr>
 * <tr>
 * <td>18</td>
 * <td>钱淑英</td>
 * <td>born 1960-02-29 (leap day, valid)</td>
 * <td>as typed</td>
 * <td>accept; head of 福乐湾小区 3-2-502</td>
 * </tr>
 * <tr>
 * <td>19</td>
 * <td>钱淑英</td>
 * <td>no ID; same name, phone 13804510018 and room as row 18</td>
 * <td>no ID_NUMBER value</td>
 * <td>skip with a warning: same person as row 18 (do not create a second resident)</td>
 * </tr>
 * <tr>
 * <td>20</td>
 * <td>冯秀英</td>
 * <td>no phone; relation 父母; tag 卧床</td>
 * <td>as typed</td>
 * <td>accept</td>
 * </tr>
 * <tr>
 * <td>21</td>
 * <td>何军</td>
 * <td>status 迁出</td>
 * <td>as typed</td>
 * <td>accept as moved out (kept for history, not a current resident)</td>
 * </tr>
 * <tr>
 * <td>22</td>
 * <td>许丽</td>
 * <td>second compound 共乐新苑; phone "+86 13804510022"</td>
 * <td>as typed</td>
 * <td>accept; phone 13804510022; tag 孕妇, tenant</td>
 * </tr>
 * <tr>
 * <td>23</td>
 * <td>邓强</td>
 * <td>building "2号楼", unit "1单元", room "602室"</td>
 * <td>as typed</td>
 * <td>accept; building 2, unit 1, room 602 (same household as row 24)</td>
 * </tr>
 * <tr>
 * <td>24</td>
 * <td>林 芳</td>
 * <td>name " 林 芳 " with leading, inner full-width and trailing spaces</td>
 * <td>"林 芳"</td>
 * <td>accept as 林芳</td>
 * </tr>
 * <tr>
 * <td>25</td>
 * <td>曹雪峰</td>
 * <td>ID stored as a number and rounded by Excel to 15 significant digits (true ID
 * 230102198706150914)</td>
 * <td>"230102198706151000"</td>
 * <td><b>reject</b>: invalid ID number; hint that the column must be formatted as
 * text</td>
 * </tr>
 * <tr>
 * <td>26</td>
 * <td>蒋欣</td>
 * <td>性别 says 男, ID "230102199104120245" says female</td>
 * <td>as typed</td>
 * <td>accept with a warning; sex from the ID (female)</td>
 * </tr>
 * <tr>
 * <td>27</td>
 * <td>彭刚</td>
 * <td>phone "1380451002" has 10 digits; status 外出</td>
 * <td>as typed</td>
 * <td>accept without the phone, warn about it</td>
 * </tr>
 * <tr>
 * <td>28</td>
 * <td>杨帆</td>
 * <td>ID typed with spaces "230102 19930718 0467"</td>
 * <td>"230102199307180467"</td>
 * <td>accept</td>
 * </tr>
 * <tr>
 * <td>29</td>
 * <td>杨小宇</td>
 * <td>none</td>
 * <td>as typed</td>
 * <td>accept</td>
 * </tr>
 * <tr>
 * <td>30</td>
 * <td>-</td>
 * <td>footer "填表人：张三 审核人：李四", merged A30:M30</td>
 * <td>skipped</td>
 * <td>-</td>
 * </tr>
 * </table>
 *
 * <p>
 * In all: the reader returns 25 rows; the importer should accept 19 residents (warnings
 * on rows 12, 26 and 27), reject 5 (rows 13, 14, 16, 17, 25) and skip row 19 as a
 * duplicate.
 */
public final class MessyRosterFixture {

	public static final String XLSX = "rosters/messy-roster.xlsx";

	public static final String CSV_UTF8 = "rosters/messy-roster.csv";

	public static final String CSV_GBK = "rosters/messy-roster-gbk.csv";

	public static final String TITLE = "共乐街道福乐湾社区居民花名册（2022年4月）";

	public static final String FOOTER = "填表人：张三  审核人：李四";

	public static final int HEADER_ROW = 3;

	public static final int FOOTER_ROW = 30;

	public static final List<String> HEADERS = List.of("序号", "姓名", "性别", "身份证号码", "联系电话", "小区", "楼栋", "单元", "门牌号",
			"与户主关系", "人员类别", "居住状态", "备注");

	/** Excel row numbers of the residents, in order; row 15 is blank. */
	public static final List<Integer> DATA_ROWS = List.of(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21,
			22, 23, 24, 25, 26, 27, 28, 29);

	private static final String FU = "福乐湾小区";

	private static final String XIN = "共乐新苑";

	/**
	 * The sheet row by row from row 4: an empty array is a blank row; values are String,
	 * Integer or Long (number cells) and one BigDecimal (an ID as Excel stores it once
	 * rounded to 15 digits).
	 */
	static final List<Object[]> RESIDENTS = List.of(
			row(1, "王建国", "男", id("23010219520315011"), "+86 138-0451-0001", FU, 1, 1, 101, "户主", "党员", "常住", ""),
			row(2, "李秀兰", "女", id("23010219540708022"), 13804510002L, FU, 1, 1, 101, "配偶", "残疾人", "常住", ""),
			row(3, "王\u3000磊", "男", id("23010219801102031"), "１３８０４５１０００３", FU, 1, 1, 101, "子女", "", "外出", "在深圳务工"),
			row(4, "王小雨", "女", id("23010220120520048").toLowerCase(), "", FU, 1, 1, 101, "子女", "", "常住", ""),
			row(5, "赵德福", "男", id("23010219380109051"), "0451-86661234", FU, 1, 1, 302, "户主", "独居老人、残疾人", "常住", ""),
			row(6, "刘桂芝", "女", fullWidth(id("23010219410823062")), "0451-86665678", FU, 1, 2, 501, "户主", "独居老人、卧床",
					"常住", "行动不便，需上门服务"),
			row(7, "陈静", "女", id("23010219920914072"), "139 0451 0010", FU, 2, 1, 201, "户主", "孕妇", "租户", "预产期2022年6月"),
			row(8, "孙浩", "男", Long.parseLong(id("23010219900403083")), "13904510011", FU, 2, 1, 201, "配偶", "党员", "租户",
					""),
			row(9, "周玉珍", "女", 230102500612242L, "13804510012", FU, 2, 2, 302, "户主", "独居老人", "常住", "老一代身份证，未换领"),
			row(10, "吴志强", "男", "230102197508210935", "13804510013", FU, 2, 2, 402, "户主", "", "常住", ""),
			row(11, "郑小宝", "男", id("23010220910312015"), "13804510014", FU, 2, 2, 402, "子女", "", "常住", ""), row(),
			row(12, "", "女", id("23010219830505026"), "13804510016", FU, 3, 1, 401, "配偶", "", "常住", ""),
			row(13, "马文华", "男", id("23010219520315011"), "13804510017", FU, 3, 1, 401, "户主", "党员", "常住", ""),
			row(14, "钱淑英", "女", id("23010219600229038"), "13804510018", FU, 3, 2, 502, "户主", "", "常住", ""),
			row(15, "钱淑英", "女", "", "13804510018", FU, 3, 2, 502, "户主", "独居老人", "常住", ""),
			row(16, "冯秀英", "女", id("23010219351117044"), "", FU, 3, 2, 502, "父母", "卧床", "常住", ""),
			row(17, "何军", "男", id("23010219850706057"), "13804510021", FU, 3, 1, 601, "户主", "", "迁出", "已迁至南岗区"),
			row(18, "许丽", "女", id("23010219881010068"), "+86 13804510022", XIN, 1, 2, 102, "户主", "孕妇", "租户", ""),
			row(19, "邓强", "男", id("23010219790128071"), "13804510023", XIN, "2号楼", "1单元", "602室", "户主", "党员", "常住", ""),
			row(20, "  林\u3000芳 ", "女", id("23010219950303082"), "13804510024", XIN, 2, 1, 602, "配偶", "", "常住", ""),
			row(21, "曹雪峰", "男", new BigDecimal("2.30102198706151E+17"), "13804510025", XIN, 1, 1, 201, "户主", "", "常住",
					""),
			row(22, "蒋欣", "男", id("23010219910412024"), "13804510026", XIN, 1, 1, 201, "配偶", "", "常住", ""),
			row(23, "彭刚", "男", id("23010219840919035"), "1380451002", XIN, 2, 2, 101, "户主", "", "外出", ""),
			row(24, "杨帆", "女", spaced(id("23010219930718046")), "13804510028", XIN, 1, 2, 301, "户主", "党员", "常住", ""),
			row(25, "杨小宇", "男", id("23010220150601013"), "", XIN, 1, 2, 301, "子女", "", "常住", ""));

	private MessyRosterFixture() {
	}

	public static void main(String[] args) throws IOException {
		Path directory = Path.of((args.length > 0) ? args[0] : "src/test/resources/rosters");
		Files.createDirectories(directory);
		Files.write(directory.resolve("messy-roster.xlsx"), xlsx());
		Files.write(directory.resolve("messy-roster.csv"), csv(StandardCharsets.UTF_8));
		Files.write(directory.resolve("messy-roster-gbk.csv"), csv(Charset.forName("GB18030")));
	}

	public static byte[] xlsx() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (Workbook workbook = new Workbook(bytes, "Fangxian", "1.0")) {
			Worksheet sheet = workbook.newWorksheet("花名册");
			sheet.value(0, 0, TITLE);
			sheet.range(0, 0, 0, HEADERS.size() - 1).merge();
			sheet.style(0, 0).bold().fontSize(16).horizontalAlignment("center").set();
			for (int column = 0; column < HEADERS.size(); column++) {
				sheet.value(2, column, HEADERS.get(column));
				sheet.style(2, column).bold().set();
			}
			int excelRow = 4;
			for (Object[] resident : RESIDENTS) {
				if (resident.length > 0) {
					for (int column = 0; column < resident.length; column++) {
						write(sheet, excelRow - 1, column, resident[column]);
					}
				}
				excelRow++;
			}
			sheet.value(FOOTER_ROW - 1, 0, FOOTER);
			sheet.range(FOOTER_ROW - 1, 0, FOOTER_ROW - 1, HEADERS.size() - 1).merge();
			sheet.width(1, 12);
			sheet.width(3, 22);
			sheet.width(4, 18);
		}
		return bytes.toByteArray();
	}

	/**
	 * The sheet as Excel saves it to CSV: every row padded to the full width, blank rows
	 * as bare commas.
	 */
	public static byte[] csv(Charset charset) throws IOException {
		List<List<String>> lines = new ArrayList<>();
		lines.add(padded(TITLE));
		lines.add(padded());
		lines.add(HEADERS);
		for (Object[] resident : RESIDENTS) {
			lines
				.add((resident.length > 0) ? Arrays.stream(resident).map(MessyRosterFixture::text).toList() : padded());
		}
		lines.add(padded(FOOTER));

		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		if (charset.equals(StandardCharsets.UTF_8)) {
			bytes.write(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
		}
		// A strict encoder, so a character GBK lacks fails here instead of turning into
		// "?" in the fixture.
		Writer writer = new OutputStreamWriter(bytes, charset.newEncoder());
		try (CSVPrinter printer = new CSVPrinter(writer, CSVFormat.EXCEL)) {
			for (List<String> line : lines) {
				printer.printRecord(line);
			}
		}
		return bytes.toByteArray();
	}

	/**
	 * Appends the ISO 7064 MOD 11-2 check character to the first 17 characters of an ID
	 * number.
	 */
	public static String id(String first17) {
		int[] weights = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
		int sum = 0;
		for (int i = 0; i < 17; i++) {
			sum += (first17.charAt(i) - '0') * weights[i];
		}
		return first17 + "10X98765432".charAt(sum % 11);
	}

	private static Object[] row(Object... cells) {
		return cells;
	}

	private static String fullWidth(String text) {
		StringBuilder out = new StringBuilder(text.length());
		text.chars().forEach((c) -> out.append((char) ((c > 0x20 && c < 0x7F) ? c + 0xFEE0 : c)));
		return out.toString();
	}

	private static String spaced(String id) {
		return id.substring(0, 6) + " " + id.substring(6, 14) + " " + id.substring(14);
	}

	private static void write(Worksheet sheet, int row, int column, Object value) {
		if (value instanceof Number number) {
			sheet.value(row, column, number);
		}
		else if (!"".equals(value)) {
			sheet.value(row, column, (String) value);
		}
	}

	private static String text(Object value) {
		if (value instanceof BigDecimal number) {
			return number.toPlainString();
		}
		return String.valueOf(value);
	}

	private static List<String> padded(String... first) {
		List<String> line = new ArrayList<>(Arrays.asList(first));
		while (line.size() < HEADERS.size()) {
			line.add("");
		}
		return line;
	}

}
