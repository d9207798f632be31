package org.fangxian.reporting.internal;

import java.time.Clock;

import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.ChinaStandardTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * At the configured hour (default 20:00 China Standard Time) every street and district
 * gets the day's report as a draft, its figures filled in, so the evening summary starts
 * from what was recorded.
 */
@Component
class ReportSchedule {

	private static final Logger log = LoggerFactory.getLogger(ReportSchedule.class);

	/** The schedule acts for the whole installation; it only creates drafts. */
	static final CurrentUser SYSTEM = new CurrentUser(0, "system", "系统", Role.HQ_ADMIN, null, "/");

	private final DailyReports reports;

	private final Clock clock;

	ReportSchedule(DailyReports reports, Clock clock) {
		this.reports = reports;
		this.clock = clock;
	}

	@Scheduled(cron = "0 0 ${fangxian.reporting.generate-hour:20} * * *", zone = "${fangxian.time-zone:Asia/Shanghai}")
	void generate() {
		int made = this.reports.generateDrafts(SYSTEM, ChinaStandardTime.today(this.clock));
		log.info("Daily reports: {} drafts generated", made);
	}

}
