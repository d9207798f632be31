package org.fangxian.shared;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Hostile workbooks for tests, made in memory: valid XLSX files a reader would open,
 * whose shared strings or cells inflate a thousandfold.
 */
public final class SpreadsheetBombs {

	private SpreadsheetBombs() {
	}

	private static final String CONTENT_TYPES = """
			<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
			<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
			<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
			<Default Extension="xml" ContentType="application/xml"/>
			<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
			<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
			<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
			</Types>""";

	private static final String RELS = """
			<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
			<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
			<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
			</Relationships>""";

	private static final String WORKBOOK = """
			<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
			<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
			<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>
			</workbook>""";

	private static final String WORKBOOK_RELS = """
			<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
			<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
			<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
			<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
			</Relationships>""";

	private static final String SHEET_START = """
			<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
			<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""";

	private static final String SHEET_END = "</sheetData></worksheet>";

	/**
	 * A header row (姓名, 身份证号) and a row pointing at the last of {@code inflated} bytes of
	 * shared strings.
	 */
	public static byte[] sharedStrings(long inflated) {
		String filler = ("<si><t>" + "A".repeat(30_000) + "</t></si>").repeat(10);
		long count = inflated / filler.length();
		String sheet = SHEET_START
				+ "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
				+ "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>" + (count + 1) + "</v></c></row>" + SHEET_END;
		return workbook(sheet,
				"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
						+ "<si><t>姓名</t></si><si><t>身份证号</t></si>",
				filler, count, "</sst>");
	}

	/** A header row and then {@code inflated} bytes of rows, one cell each. */
	public static byte[] cells(long inflated) {
		String row = "<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>".repeat(20_000);
		String sheetStart = SHEET_START + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>姓名</t></is></c>"
				+ "<c r=\"B1\" t=\"inlineStr\"><is><t>身份证号</t></is></c></row>";
		return workbookWithSheet(sheetStart, row, inflated / row.length(), SHEET_END);
	}

	/**
	 * One row whose one cell holds {@code chars} characters, in CDATA sections joined end
	 * to end.
	 */
	public static byte[] longCell(long chars) {
		String piece = ("<![CDATA[" + "B".repeat(10_000) + "]]>").repeat(10);
		return workbookWithSheet(SHEET_START + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>", piece,
				chars / 100_000, "</t></is></c></row>" + SHEET_END);
	}

	/** A small, honest workbook. */
	public static byte[] small(String... cells) {
		StringBuilder row = new StringBuilder("<row r=\"1\">");
		for (String cell : cells) {
			row.append("<c t=\"inlineStr\"><is><t>").append(cell).append("</t></is></c>");
		}
		row.append("</row>");
		return workbookWithSheet(SHEET_START + row, "", 0, SHEET_END);
	}

	/**
	 * The same zip with every entry's size in the central directory claiming 100 bytes.
	 */
	public static byte[] lyingAboutSizes(byte[] zip) {
		byte[] copy = zip.clone();
		ByteBuffer buffer = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i + 46 <= copy.length; i++) {
			if (buffer.getInt(i) == 0x02014b50) {
				buffer.putInt(i + 24, 100);
			}
		}
		return copy;
	}

	private static byte[] workbookWithSheet(String start, String repeated, long times, String end) {
		return build(start, repeated, times, end, null);
	}

	private static byte[] workbook(String sheet, String sstStart, String repeated, long times, String sstEnd) {
		return build(sstStart, repeated, times, sstEnd, sheet);
	}

	/**
	 * With {@code sheet} null the repeated part is the sheet; otherwise it is the
	 * shared-string table. The repeated block is deflated once and its bytes written
	 * {@code times} times (each part is a fresh deflate stream flushed to a byte
	 * boundary, so they join into one valid stream): a 1.5 GB entry takes a second to
	 * make instead of half a minute.
	 */
	private static byte[] build(String start, String repeated, long times, String end, String sheet) {
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
				put(zip, "[Content_Types].xml", CONTENT_TYPES);
				put(zip, "_rels/.rels", RELS);
				put(zip, "xl/workbook.xml", WORKBOOK);
				put(zip, "xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
				byte[] head = start.getBytes(StandardCharsets.UTF_8);
				byte[] block = repeated.getBytes(StandardCharsets.UTF_8);
				byte[] tail = end.getBytes(StandardCharsets.UTF_8);
				byte[] headRaw = deflate(head, false);
				byte[] blockRaw = deflate(block, false);
				byte[] tailRaw = deflate(tail, true);
				CRC32 crc = new CRC32();
				crc.update(head);
				for (long i = 0; i < times; i++) {
					crc.update(block);
				}
				crc.update(tail);
				ByteArrayOutputStream raw = new ByteArrayOutputStream();
				raw.write(headRaw);
				for (long i = 0; i < times; i++) {
					raw.write(blockRaw);
				}
				raw.write(tailRaw);
				ZipArchiveEntry entry = new ZipArchiveEntry(
						sheet == null ? "xl/worksheets/sheet1.xml" : "xl/sharedStrings.xml");
				entry.setMethod(ZipEntry.DEFLATED);
				entry.setSize(head.length + times * block.length + tail.length);
				entry.setCompressedSize(raw.size());
				entry.setCrc(crc.getValue());
				zip.addRawArchiveEntry(entry, new ByteArrayInputStream(raw.toByteArray()));
				if (sheet != null) {
					put(zip, "xl/worksheets/sheet1.xml", sheet);
				}
				else {
					put(zip, "xl/sharedStrings.xml",
							"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>");
				}
			}
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static byte[] deflate(byte[] input, boolean last) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		deflater.setInput(input);
		if (last) {
			deflater.finish();
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		while (true) {
			int n = last ? deflater.deflate(buffer) : deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
			out.write(buffer, 0, n);
			if (last ? deflater.finished() : n < buffer.length) {
				break;
			}
		}
		deflater.end();
		return out.toByteArray();
	}

	private static void put(ZipArchiveOutputStream zip, String name, String content) throws IOException {
		ZipArchiveEntry entry = new ZipArchiveEntry(name);
		zip.putArchiveEntry(entry);
		zip.write(content.getBytes(StandardCharsets.UTF_8));
		zip.closeArchiveEntry();
	}

}
