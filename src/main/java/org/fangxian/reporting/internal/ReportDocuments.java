package org.fangxian.reporting.internal;

import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * The daily report as a printable PDF in Chinese (the bundled Noto Sans SC subset,
 * embedded) and as XLSX, both from the same rows so the two never disagree.
 */
@Component
public class ReportDocuments {

	static final String FONT = "fonts/NotoSansSC-Regular-GB2312.ttf";

	private static final Locale ZH = Locale.SIMPLIFIED_CHINESE;

	private final MessageSource messages;

	private final byte[] font;

	/** Times of day (the submission stamp) in the installation's zone, the Clock's. */
	private final ZoneId zone;

	ReportDocuments(MessageSource messages, java.time.Clock clock) {
		this.messages = messages;
		this.zone = clock.getZone();
		try (InputStream in = ReportDocuments.class.getClassLoader().getResourceAsStream(FONT)) {
			this.font = in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String text(String key, Object... args) {
		return this.messages.getMessage(key, args, key, ZH);
	}

	/** Label and value, section by section, as both documents show them. */
	List<String[]> figureRows(Dashboard d) {
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { text("dashboard.gate.in"), String.valueOf(d.gate().in()) });
		rows.add(new String[] { text("dashboard.gate.out"), String.valueOf(d.gate().out()) });
		rows.add(new String[] { text("dashboard.gate.denied"), String.valueOf(d.gate().denied()) });
		rows.add(new String[] { text("dashboard.gate.turnBacks"), String.valueOf(d.gate().turnBacks()) });
		rows.add(new String[] { text("dashboard.gate.feverAlerts"), String.valueOf(d.gate().feverAlerts()) });
		rows.add(new String[] { text("dashboard.testing.expected"), String.valueOf(d.testing().expected()) });
		rows.add(new String[] { text("dashboard.testing.sampled"), String.valueOf(d.testing().sampled()) });
		rows.add(new String[] { text("dashboard.testing.positive"), String.valueOf(d.testing().positive()) });
		rows.add(new String[] { text("dashboard.containment.sealedAreas"),
				String.valueOf(d.containment().sealedAreas()) });
		rows.add(new String[] { text("dashboard.containment.peopleSealed"),
				String.valueOf(d.containment().peopleSealed()) });
		rows.add(new String[] { text("dashboard.containment.quarantined"),
				String.valueOf(d.containment().quarantined()) });
		rows.add(new String[] { text("dashboard.containment.overdueCheckIns"),
				String.valueOf(d.containment().overdueCheckIns()) });
		for (Map.Entry<String, Map<String, Long>> section : d.more().entrySet()) {
			section.getValue()
				.forEach((key, value) -> rows
					.add(new String[] { text("figure." + section.getKey() + "." + key), String.valueOf(value) }));
		}
		return rows;
	}

	private String title(DailyReport report) {
		return text("report.title", report.name(), report.date().toString());
	}

	private String stateText(DailyReport.State state) {
		return state == null ? text("report.state.NONE") : text("report.state." + state.name());
	}

	public void pdf(DailyReport report, OutputStream out) {
		Document document = new Document(PageSize.A4, 48, 48, 56, 56);
		PdfWriter.getInstance(document, out);
		document.addTitle(title(report));
		document.open();
		try {
			BaseFont base = BaseFont.createFont(FONT, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true, this.font, null);
			Font heading = new Font(base, 18);
			Font normal = new Font(base, 11);
			Font small = new Font(base, 9, Font.NORMAL, Color.DARK_GRAY);
			Paragraph title = new Paragraph(title(report), heading);
			title.setAlignment(Element.ALIGN_CENTER);
			title.setSpacingAfter(6);
			document.add(title);
			String stamp = report.submittedAt() == null ? stateText(report.state()) : stateText(report.state()) + " "
					+ DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(this.zone).format(report.submittedAt());
			Paragraph state = new Paragraph(stamp, small);
			state.setAlignment(Element.ALIGN_CENTER);
			state.setSpacingAfter(12);
			document.add(state);

			document.add(section(text("report.figures"), heading.getSize() - 4, base));
			PdfPTable figures = new PdfPTable(new float[] { 3, 1 });
			figures.setWidthPercentage(100);
			for (String[] row : figureRows(report.figures())) {
				figures.addCell(cell(row[0], normal, Element.ALIGN_LEFT));
				figures.addCell(cell(row[1], normal, Element.ALIGN_RIGHT));
			}
			document.add(figures);

			if (!report.figures().children().isEmpty()) {
				document.add(section(text("report.children"), heading.getSize() - 4, base));
				PdfPTable children = new PdfPTable(new float[] { 3, 1, 1, 1, 1, 1, 1, 1 });
				children.setWidthPercentage(100);
				for (String header : List.of(text("dashboard.name"), text("dashboard.gate.in"),
						text("dashboard.gate.out"), text("dashboard.gate.denied"), text("dashboard.gate.turnBacks"),
						text("dashboard.testing.sampled"), text("dashboard.containment.sealedAreas"),
						text("dashboard.containment.quarantined"))) {
					children.addCell(cell(header, small, Element.ALIGN_CENTER));
				}
				for (Dashboard.Child child : report.figures().children()) {
					children.addCell(cell(child.name(), small, Element.ALIGN_LEFT));
					for (long value : new long[] { child.gate().in(), child.gate().out(), child.gate().denied(),
							child.gate().turnBacks(), child.testing().sampled(), child.containment().sealedAreas(),
							child.containment().quarantined() }) {
						children.addCell(cell(String.valueOf(value), small, Element.ALIGN_RIGHT));
					}
				}
				document.add(children);
			}

			for (String[] part : new String[][] { { "report.workDone", report.workDone() },
					{ "report.problems", report.problems() }, { "report.plans", report.plans() } }) {
				document.add(section(text(part[0]), heading.getSize() - 4, base));
				document.add(new Paragraph(part[1].isBlank() ? text("report.empty") : part[1], normal));
			}

			if (!report.streets().isEmpty()) {
				document.add(section(text("report.streets"), heading.getSize() - 4, base));
				for (DailyReport.Street street : report.streets()) {
					document.add(new Paragraph(street.name() + "：" + stateText(street.state()), normal));
					if (street.submitted() && !street.workDone().isBlank()) {
						document.add(new Paragraph(street.workDone(), small));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		document.close();
	}

	private static Paragraph section(String text, float size, BaseFont base) {
		Paragraph paragraph = new Paragraph(text, new Font(base, size, Font.BOLD));
		paragraph.setSpacingBefore(12);
		paragraph.setSpacingAfter(6);
		return paragraph;
	}

	private static PdfPCell cell(String text, Font font, int align) {
		PdfPCell cell = new PdfPCell(new Phrase(text, font));
		cell.setHorizontalAlignment(align);
		cell.setPadding(4);
		return cell;
	}

	public void xlsx(DailyReport report, OutputStream out) throws IOException {
		Workbook workbook = new Workbook(out, "Fangxian", "1.0");
		Worksheet sheet = workbook.newWorksheet(text("report.sheet"));
		sheet.value(0, 0, title(report));
		sheet.value(1, 0, stateText(report.state()));
		int r = 3;
		for (String[] row : figureRows(report.figures())) {
			sheet.value(r, 0, row[0]);
			sheet.value(r, 1, Long.parseLong(row[1]));
			r++;
		}
		r++;
		for (String[] part : new String[][] { { "report.workDone", report.workDone() },
				{ "report.problems", report.problems() }, { "report.plans", report.plans() } }) {
			sheet.value(r, 0, text(part[0]));
			sheet.value(r, 1, part[1]);
			r++;
		}
		if (!report.figures().children().isEmpty()) {
			Worksheet children = workbook.newWorksheet(text("report.children"));
			String[] headers = { text("dashboard.name"), text("dashboard.gate.in"), text("dashboard.gate.out"),
					text("dashboard.gate.denied"), text("dashboard.gate.turnBacks"), text("dashboard.gate.feverAlerts"),
					text("dashboard.testing.expected"), text("dashboard.testing.sampled"),
					text("dashboard.testing.positive"), text("dashboard.containment.sealedAreas"),
					text("dashboard.containment.peopleSealed"), text("dashboard.containment.quarantined"),
					text("dashboard.containment.overdueCheckIns") };
			for (int c = 0; c < headers.length; c++) {
				children.value(0, c, headers[c]);
			}
			int row = 1;
			for (Dashboard.Child child : report.figures().children()) {
				children.value(row, 0, child.name());
				long[] values = { child.gate().in(), child.gate().out(), child.gate().denied(),
						child.gate().turnBacks(), child.gate().feverAlerts(), child.testing().expected(),
						child.testing().sampled(), child.testing().positive(), child.containment().sealedAreas(),
						child.containment().peopleSealed(), child.containment().quarantined(),
						child.containment().overdueCheckIns() };
				for (int c = 0; c < values.length; c++) {
					children.value(row, c + 1, values[c]);
				}
				row++;
			}
		}
		if (!report.streets().isEmpty()) {
			Worksheet streets = workbook.newWorksheet(text("report.streets"));
			int row = 0;
			for (DailyReport.Street street : report.streets()) {
				streets.value(row, 0, street.name());
				streets.value(row, 1, stateText(street.state()));
				streets.value(row, 2, street.workDone());
				row++;
			}
		}
		workbook.finish();
	}

}
