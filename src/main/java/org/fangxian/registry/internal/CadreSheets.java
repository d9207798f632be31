package org.fangxian.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fangxian.security.AccountSheetReader;
import org.fangxian.shared.InvalidInput;

import org.springframework.stereotype.Component;

/**
 * Cadre spreadsheets (姓名, 手机号, 账号, 角色, 辖区代码) read with the roster reader's file handling:
 * the same encodings, title rows above the header, full-width digits, blank rows and size
 * bounds.
 */
@Component
class CadreSheets implements AccountSheetReader {

	/**
	 * Header texts accepted for each column, in {@link AccountSheetReader#COLUMNS} order.
	 */
	private static final List<List<String>> HEADERS = List.of(List.of("姓名", "名字", "name"),
			List.of("手机号", "手机", "手机号码", "联系电话", "电话", "phone", "mobile"),
			List.of("账号", "帐号", "用户名", "登录名", "username", "account"), List.of("角色", "岗位", "role"),
			List.of("辖区代码", "辖区", "区划代码", "单位代码", "division code", "node code"));

	@Override
	public List<SheetRow> read(InputStream in, String filename, int maxRows) {
		SourceRows source;
		try {
			source = RosterReader.open(in, filename);
		}
		catch (RosterFormatException ex) {
			throw new InvalidInput("file", ex.messageKey(), ex.args());
		}
		try (source) {
			int[] columns = null;
			List<SheetRow> rows = new ArrayList<>();
			SourceRows.SourceRow row;
			while ((row = source.next()) != null) {
				if (columns == null) {
					if (row.number() > RosterReader.HEADER_SEARCH_ROWS) {
						break;
					}
					columns = header(row);
					continue;
				}
				String[] values = new String[columns.length];
				boolean blank = true;
				for (int i = 0; i < columns.length; i++) {
					values[i] = RosterReader.unquoted(row.text(columns[i]));
					blank &= values[i].isEmpty();
				}
				if (blank) {
					continue;
				}
				if (rows.size() == maxRows) {
					throw new InvalidInput("file", "account.import.tooManyRows", maxRows);
				}
				rows.add(new SheetRow(row.number(), values[0], values[1], values[2], values[3], values[4]));
			}
			if (columns == null) {
				throw new InvalidInput("file", "account.import.noHeader", String.join("、", COLUMNS));
			}
			return rows;
		}
		catch (RosterFormatException ex) {
			throw new InvalidInput("file", ex.messageKey(), ex.args());
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof InvalidInput invalid) {
				throw invalid;
			}
			throw new InvalidInput("file", "roster.format.corrupt");
		}
	}

	/**
	 * The column of each field if this row is the header (it names all five), else null.
	 */
	private static int[] header(SourceRows.SourceRow row) {
		int[] columns = new int[HEADERS.size()];
		Arrays.fill(columns, -1);
		int width = Math.min(row.width(), RosterReader.MAX_COLUMNS);
		for (int column = 0; column < width; column++) {
			String key = RosterField.headerKey(row.text(column));
			for (int field = 0; field < HEADERS.size(); field++) {
				if (columns[field] < 0
						&& HEADERS.get(field).stream().map(RosterField::headerKey).anyMatch(key::equals)) {
					columns[field] = column;
					break;
				}
			}
		}
		return Arrays.stream(columns).allMatch(c -> c >= 0) ? columns : null;
	}

}
