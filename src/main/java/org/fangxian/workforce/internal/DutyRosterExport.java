package org.fangxian.workforce.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.SpreadsheetText;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * The roster on paper and in Excel: per post (what is pinned up at the post) and whole.
 * Both read the same {@link Rosters.Grid} the worker sees; every text cell of the
 * workbook goes through {@link SpreadsheetText#cell}.
 */
@Service
public class DutyRosterExport {

	private final Rosters rosters;

	private final MessageSource messages;

	private final ApplicationEventPublisher events;

	DutyRosterExport(Rosters rosters, MessageSource messages, ApplicationEventPublisher events) {
		this.rosters = rosters;
		this.messages = messages;
		this.events = events;
	}

	/** One post's page: its shifts, with a cell per day. */
	public record Sheet(long postId, String postName, String kind, List<Rosters.Row> shifts) {
	}

	/** The roster's posts in the grid's order, or only {@code postId} when given. */
	public static List<Sheet> sheets(Rosters.Grid grid, Long postId) {
		Map<Long, List<Rosters.Row>> byPost = new LinkedHashMap<>();
		for (Rosters.Row row : grid.rows()) {
			if (postId == null || postId == row.postId()) {
				byPost.computeIfAbsent(row.postId(), k -> new ArrayList<>()).add(row);
			}
		}
		if (postId != null && byPost.isEmpty()) {
			throw new NotFound("workforce.post.notFound");
		}
		return byPost.values()
			.stream()
			.map(rows -> new Sheet(rows.get(0).postId(), rows.get(0).postName(), rows.get(0).kind(), rows))
			.toList();
	}

	public record Printable(Rosters.Grid grid, List<Sheet> sheets) {
	}

	public Printable printable(CurrentUser user, long rosterId, Long postId) {
		Rosters.Grid grid = this.rosters.grid(user, rosterId);
		return new Printable(grid, sheets(grid, postId));
	}

	/**
	 * The workbook: with a post, that post's sheet; without, an overview of every post
	 * followed by a sheet per post. Audited: it holds people's names.
	 */
	public byte[] xlsx(CurrentUser user, long rosterId, Long postId) {
		Rosters.Grid grid = this.rosters.grid(user, rosterId);
		List<Sheet> sheets = sheets(grid, postId);
		Locale locale = Locale.SIMPLIFIED_CHINESE;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (Workbook workbook = new Workbook(out, "Fangxian", "1.0")) {
			Set<String> names = new HashSet<>();
			if (postId == null) {
				write(workbook.newWorksheet(unique(names, "全部岗位")), grid, sheets, locale);
			}
			for (Sheet sheet : sheets) {
				String name = unique(names, SpreadsheetText.sheetName(sheet.postName(), "岗位" + sheet.postId()));
				write(workbook.newWorksheet(name), grid, List.of(sheet), locale);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.events.publishEvent(AuditEvent.of(user, "DUTY_ROSTER_EXPORTED", "duty_roster", rosterId,
				(postId == null ? "whole roster" : "post " + postId) + ", " + sheets.size() + " posts"));
		return out.toByteArray();
	}

	/** Sheet names are unique in a workbook; two posts may share a name. */
	private static String unique(Set<String> taken, String name) {
		String candidate = name;
		for (int n = 2; !taken.add(candidate); n++) {
			String suffix = "(" + n + ")";
			String base = name.codePointCount(0, name.length()) + suffix.length() <= 31 ? name
					: name.substring(0, name.offsetByCodePoints(0, 31 - suffix.length()));
			candidate = base + suffix;
		}
		return candidate;
	}

	private void write(Worksheet sheet, Rosters.Grid grid, List<Sheet> posts, Locale locale) {
		List<String> header = List.of("岗位", "类型", "日期", "星期", "开始", "结束", "值班人员", "人数", "缺员", "缺员原因");
		for (int c = 0; c < header.size(); c++) {
			sheet.value(0, c, header.get(c));
			sheet.style(0, c).bold().set();
		}
		int r = 1;
		for (Sheet post : posts) {
			String kind = this.messages.getMessage("workforce.kind." + post.kind(), null, post.kind(), locale);
			for (int d = 0; d < grid.days().size(); d++) {
				LocalDate day = grid.days().get(d);
				for (Rosters.Row shift : post.shifts()) {
					Rosters.Cell cell = shift.cells().get(d);
					sheet.value(r, 0, SpreadsheetText.cell(post.postName()));
					sheet.value(r, 1, SpreadsheetText.cell(kind));
					sheet.value(r, 2, day.toString());
					sheet.value(r, 3,
							this.messages.getMessage("workforce.dow." + day.getDayOfWeek().getValue(), null, locale));
					sheet.value(r, 4, shift.start());
					sheet.value(r, 5, shift.end());
					sheet.value(r, 6, SpreadsheetText
						.cell(String.join("、", cell.seats().stream().map(Rosters.Seat::name).toList())));
					sheet.value(r, 7, cell.seats().size());
					sheet.value(r, 8, cell.missing());
					if (cell.missing() > 0) {
						sheet.value(r, 9, this.messages.getMessage("workforce.reason." + cell.reason(), null,
								cell.reason(), locale));
					}
					r++;
				}
			}
		}
		sheet.width(0, 22);
		sheet.width(6, 40);
		sheet.width(9, 30);
	}

}
