package org.fangxian.workforce.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.SpreadsheetText;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Hours on duty (服务时长) per person, team and organisation, for recognition reports: only
 * shifts checked in count, from the check-in (not before the shift began) to the
 * check-out, or to the shift's end without one, never past it.
 */
@Service
public class Hours {

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	Hours(JdbcClient jdbc, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
	}

	public record Line(String name, String group, int shifts, double hours) {
	}

	public record Report(LocalDate from, LocalDate to, List<Line> people, List<Line> teams, List<Line> organisations) {
	}

	public static LocalDate day(String text, LocalDate fallback, String field) {
		if (text == null || text.isBlank()) {
			return fallback;
		}
		try {
			return LocalDate.parse(text.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInput(field, "workforce.roster.date");
		}
	}

	public Report report(CurrentUser user, Node node, LocalDate from, LocalDate to) {
		user.require(Permission.MANAGE_WORKFORCE);
		user.requireCovers(node.path());
		if (to.isBefore(from) || to.toEpochDay() - from.toEpochDay() > 366) {
			throw new InvalidInput("to", "workforce.roster.order");
		}
		List<Map<String, Object>> rows = this.jdbc
			.sql("""
					select v.id, v.name, v.organisation, t.name as team, count(*) as shifts,
					       sum(extract(epoch from least(coalesce(a.checked_out_at, a.ends_at::timestamp at time zone :zone),
					                                    a.ends_at::timestamp at time zone :zone)
					                         - greatest(a.checked_in_at, a.starts_at::timestamp at time zone :zone))) / 3600.0 as hours
					from duty_assignment a
					join duty_roster r on r.id = a.roster_id and r.state = 'DONE' and r.superseded_by is null
					join duty_post p on p.id = a.post_id
					join volunteer v on v.id = a.volunteer_id
					left join volunteer_team_member m on m.volunteer_id = v.id
					left join volunteer_team t on t.id = m.team_id
					where a.checked_in_at is not null and p.path like :subtree and a.day between :from and :to
					group by v.id, v.name, v.organisation, t.name
					order by hours desc, v.name""")
			.param("zone", ChinaStandardTime.ZONE.getId())
			.param("subtree", node.path() + "%")
			.param("from", from)
			.param("to", to)
			.query()
			.listOfRows();
		List<Line> people = new ArrayList<>();
		Map<String, double[]> teams = new LinkedHashMap<>();
		Map<String, double[]> organisations = new LinkedHashMap<>();
		for (Map<String, Object> row : rows) {
			int shifts = ((Number) row.get("shifts")).intValue();
			double hours = Math.max(0, ((Number) row.get("hours")).doubleValue());
			String team = row.get("team") == null ? "" : (String) row.get("team");
			String organisation = (String) row.get("organisation");
			people.add(new Line((String) row.get("name"), organisation, shifts, round(hours)));
			add(teams, team, shifts, hours);
			add(organisations, organisation, shifts, hours);
		}
		return new Report(from, to, people, lines(teams), lines(organisations));
	}

	private static void add(Map<String, double[]> totals, String key, int shifts, double hours) {
		double[] total = totals.computeIfAbsent(key, k -> new double[3]);
		total[0] += shifts;
		total[1] += hours;
		total[2]++;
	}

	private static List<Line> lines(Map<String, double[]> totals) {
		return totals.entrySet()
			.stream()
			.map(e -> new Line(e.getKey(), String.valueOf((int) e.getValue()[2]), (int) e.getValue()[0],
					round(e.getValue()[1])))
			.sorted((a, b) -> Double.compare(b.hours(), a.hours()))
			.toList();
	}

	private static double round(double hours) {
		return Math.round(hours * 10) / 10.0;
	}

	/** The report as a workbook of three sheets; every cell through SpreadsheetText. */
	public byte[] xlsx(CurrentUser user, Node node, Report report) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (Workbook workbook = new Workbook(out, "Fangxian", "1.0")) {
			sheet(workbook, "人员", List.of("姓名", "所属单位", "班次", "时长（小时）"), report.people());
			sheet(workbook, "队伍", List.of("队伍", "人数", "班次", "时长（小时）"), report.teams());
			sheet(workbook, "单位", List.of("单位", "人数", "班次", "时长（小时）"), report.organisations());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.events.publishEvent(AuditEvent.of(user, "DUTY_HOURS_EXPORTED", "division_node", node.id(),
				report.from() + ".." + report.to() + ", " + report.people().size() + " people"));
		return out.toByteArray();
	}

	private static void sheet(Workbook workbook, String name, List<String> header, List<Line> lines) {
		Worksheet sheet = workbook.newWorksheet(name);
		for (int c = 0; c < header.size(); c++) {
			sheet.value(0, c, header.get(c));
		}
		for (int r = 0; r < lines.size(); r++) {
			Line line = lines.get(r);
			sheet.value(r + 1, 0, SpreadsheetText.cell(line.name()));
			sheet.value(r + 1, 1, SpreadsheetText.cell(line.group()));
			sheet.value(r + 1, 2, line.shifts());
			sheet.value(r + 1, 3, line.hours());
		}
	}

}
