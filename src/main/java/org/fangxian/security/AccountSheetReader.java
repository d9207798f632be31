package org.fangxian.security;

import java.io.InputStream;
import java.util.List;

/**
 * Reads a spreadsheet of cadres to enrol (姓名, 手机号, 账号, 角色, 辖区代码), XLSX or CSV.
 * Implemented by the registry with the reader of its resident rosters, so the same file
 * handling (encodings, title rows, full-width digits, size bounds) applies and security
 * keeps no parser of its own.
 */
public interface AccountSheetReader {

	/**
	 * The header texts, in the order of {@link SheetRow}'s fields after the row number.
	 */
	List<String> COLUMNS = List.of("姓名", "手机号", "账号", "角色", "辖区代码");

	/**
	 * @param row the row number the user sees in the spreadsheet
	 */
	record SheetRow(int row, String name, String phone, String username, String role, String nodeCode) {
	}

	/**
	 * @param maxRows rows beyond this many make the whole file refused
	 * @throws org.fangxian.shared.InvalidInput on field {@code file} when the file cannot
	 * be read, lacks a column or holds too many rows
	 */
	List<SheetRow> read(InputStream in, String filename, int maxRows);

}
