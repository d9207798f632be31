package org.fangxian.reporting;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fangxian.security.MatrixRows;

import static org.fangxian.security.Permission.PUBLISH_NOTICES;
import static org.fangxian.security.Permission.PURGE_PERSONAL_DATA;
import static org.fangxian.security.Permission.VIEW_DASHBOARD;
import static org.fangxian.security.Permission.WRITE_DAILY_REPORTS;

/**
 * Reporting's rows of the authorization matrix: the dashboard, daily reports and notices
 * (whose public page needs no account).
 */
class ReportingMatrixRows extends MatrixRows {

	@Override
	protected List<Route> apiRoutes() {
		return List.of(
				// Reporting: the dashboard of the place's community; daily reports of its
				// street (each call a day of its own).
				api("GET", "/api/v1/dashboard?code={code}", needs(VIEW_DASHBOARD), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/dashboard?code=" + p.community().code()), null),
				api("GET", "/api/v1/dashboard/trends?code={code}", needs(VIEW_DASHBOARD), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/dashboard/trends?code=" + p.community().code()), null),
				api("POST", "/api/v1/daily-reports", needs(WRITE_DAILY_REPORTS), SCOPED, 201,
						(c, p) -> Call.json("POST", "/api/v1/daily-reports",
								Map.of("code", streetCode(p), "date", reportDay())),
						null),
				api("GET", "/api/v1/daily-reports/{id}", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/daily-reports/" + dailyReport(p)), null),
				api("PUT", "/api/v1/daily-reports/{id}", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.json("PUT", "/api/v1/daily-reports/" + dailyReport(p),
								Map.of("workDone", "巡查", "problems", "", "plans", "")),
						null),
				api("POST", "/api/v1/daily-reports/{id}/submit", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.json("POST", "/api/v1/daily-reports/" + dailyReport(p) + "/submit", null), null),
				api("GET", "/api/v1/daily-reports/{id}.pdf", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/daily-reports/" + dailyReport(p) + ".pdf"), null),
				api("GET", "/api/v1/daily-reports/{id}.xlsx", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/api/v1/daily-reports/" + dailyReport(p) + ".xlsx"), null),
				// The purge of personal data at the end of an emergency, over the place's
				// community (nothing there is older than the policy, so it deletes
				// nothing).
				api("POST", "/api/v1/purge", needs(PURGE_PERSONAL_DATA), SCOPED, 200, (c, p) -> Call.json("POST",
						"/api/v1/purge", Map.of("code", p.community().code(), "confirm", "PURGE")), null));
	}

	@Override
	protected List<Route> pageRoutes() {
		return List.of(
				// Reporting: the dashboard page, the daily report's pages; the public
				// notices page (see anonymous).
				page("GET", "/dashboard?code={code}", needs(VIEW_DASHBOARD), SCOPED, 200,
						(c, p) -> Call.get("/dashboard?code=" + p.community().code()), null),
				page("GET", "/reports?code={code}", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/reports?code=" + streetCode(p)), null),
				page("GET", "/reports/{id}", needs(WRITE_DAILY_REPORTS), SCOPED, 200,
						(c, p) -> Call.get("/reports/" + dailyReport(p)), null),
				page("POST", "/reports/{id}", needs(WRITE_DAILY_REPORTS), SCOPED, 302,
						(c, p) -> Call.form("/reports/" + dailyReport(p), Map.of("workDone", "巡查")), null),
				page("GET", "/notices/{code}/edit", needs(PUBLISH_NOTICES), SCOPED, 200,
						(c, p) -> Call.get("/notices/" + streetCode(p) + "/edit"), null),
				page("GET", "/notices/{code}", needs(), UNSCOPED, 200, (c, p) -> Call.get("/notices/" + streetCode(p)),
						null),
				// A worker's "today": the caller's own jurisdiction, each card as their
				// permissions allow, so every signed-in account with a node opens it.
				page("GET", "/today", needs(), UNSCOPED, 200, (c, p) -> Call.get("/today"), null));
	}

	@Override
	protected Set<String> publicPages() {
		return Set.of("/notices/{code}");
	}

	/** The 12-digit code of the street above the place's community. */
	private String streetCode(Place place) {
		return this.jdbc
			.sql("select s.code from division_node c join division_node s on s.id = c.parent_id where c.id = :id")
			.param("id", place.community().id())
			.query(String.class)
			.single();
	}

	/**
	 * A past day of its own for each daily report the matrix creates (one report per
	 * street and day).
	 */
	private static String reportDay() {
		return java.time.LocalDate.now(org.fangxian.shared.ChinaStandardTime.ZONE)
			.minusDays(SEQUENCE.incrementAndGet())
			.toString();
	}

	/** A daily report of the place's street, drafted by the HQ for a day of its own. */
	private long dailyReport(Place place) {
		return json(expect(201, api("POST", "/api/v1/daily-reports", place.hqToken(),
				Map.of("code", streetCode(place), "date", reportDay()))))
			.get("id")
			.asLong();
	}

}
