package org.fangxian.registry.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.SpreadsheetText;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Exports the roster of a node as XLSX, in the same columns the importer reads, so an
 * exported file can be edited and imported back. ID numbers and phones are masked unless
 * the user may reveal them and asks to; every export is audited.
 */
@Service
public class RosterExport {

	private static final int PAGE = 5000;

	private final ResidentRecords records;

	private final DivisionTree tree;

	private final PersonalDataProtection protection;

	private final MessageSource messages;

	private final ApplicationEventPublisher events;

	RosterExport(ResidentRecords records, DivisionTree tree, PersonalDataProtection protection, MessageSource messages,
			ApplicationEventPublisher events) {
		this.records = records;
		this.tree = tree;
		this.protection = protection;
		this.messages = messages;
		this.events = events;
	}

	/**
	 * Checks the request before any byte is written, so a refusal is a clean error, not a
	 * broken file.
	 */
	public Node authorize(CurrentUser user, long nodeId, boolean unmasked) {
		user.require(Permission.EXPORT_RESIDENTS);
		if (unmasked) {
			user.require(Permission.REVEAL_PERSONAL_DATA);
		}
		return this.tree.node(user, nodeId);
	}

	@Transactional
	public int write(CurrentUser user, Node node, boolean unmasked, Locale uiLocale, OutputStream out)
			throws IOException {
		authorize(user, node.id(), unmasked);
		// Values are written in Chinese whatever the screen language: the file must
		// import back in.
		Locale locale = Locale.SIMPLIFIED_CHINESE;
		Workbook workbook = new Workbook(out, "Fangxian", "1.0");
		Worksheet sheet = workbook.newWorksheet(text("export.sheet", locale));
		String[] headers = { "姓名", "证件类型", "身份证号码", "联系电话", "住址", "与户主关系", "人员类别", "居住状态", "出生日期", "性别", "备注" };
		for (int c = 0; c < headers.length; c++) {
			sheet.value(0, c, headers[c]);
			sheet.style(0, c).bold().fillColor("DDEBF7").set();
		}
		sheet.width(0, 12);
		sheet.width(2, 22);
		sheet.width(3, 16);
		sheet.width(4, 30);
		int r = 1;
		Long after = null;
		var all = new ResidentRecords.Criteria(node.path() + "%", this.records.districtsUnder(node.path() + "%"),
				node.kind().wholeDistricts(), false, null, null, null, null, false, null, null);
		while (true) {
			List<ResidentRecords.Row> rows = this.records.page(all, after, PAGE);
			for (ResidentRecords.Row row : rows) {
				sheet.value(r, 0, SpreadsheetText.cell(row.name()));
				sheet.value(r, 1, text("idType." + row.idType(), locale));
				sheet.value(r, 2,
						SpreadsheetText.cell(unmasked ? this.protection.decrypt(row.idCipher()) : row.idMasked()));
				sheet.value(r, 3, SpreadsheetText
					.cell(unmasked ? this.protection.decrypt(row.phoneCipher()) : row.phoneMasked()));
				sheet.value(r, 4, SpreadsheetText.cell(row.address()));
				sheet.value(r, 5, text("relation." + row.relation(), locale));
				sheet.value(r, 6, SpreadsheetText
					.cell(String.join("、", row.tags().stream().map(t -> text("tag." + t, locale, t)).toList())));
				sheet.value(r, 7, text("status." + row.status(), locale));
				sheet.value(r, 8,
						row.birthDate() == null ? null : row.birthDate().format(DateTimeFormatter.ISO_LOCAL_DATE));
				sheet.value(r, 9, row.sex() == null ? null : text("sex." + row.sex(), locale));
				sheet.value(r, 10, SpreadsheetText.cell(row.note()));
				r++;
			}
			if (rows.size() < PAGE) {
				break;
			}
			after = rows.get(rows.size() - 1).id();
			sheet.flush();
		}
		workbook.finish();
		this.events.publishEvent(AuditEvent.of(user, "RESIDENTS_EXPORTED", "node", node.id(),
				(r - 1) + " rows, " + (unmasked ? "UNMASKED" : "masked")));
		return r - 1;
	}

	private String text(String key, Locale locale) {
		return this.messages.getMessage(key, null, key, locale);
	}

	private String text(String key, Locale locale, String fallback) {
		return this.messages.getMessage(key, null, fallback, locale);
	}

}
