package org.fangxian.security;

/** A thing an account may do; granted through its {@link Role}. */
public enum Permission {

	VIEW_REGISTRY, EDIT_REGISTRY, VIEW_RESIDENTS, EDIT_RESIDENTS,
	/**
	 * See full ID numbers and phones on screen and in exports (each reveal is audited).
	 */
	REVEAL_PERSONAL_DATA, IMPORT_RESIDENTS, EXPORT_RESIDENTS, MANAGE_ACCOUNTS, VIEW_AUDIT, IMPORT_DIVISIONS,
	/**
	 * Record passages at a checkpoint (scan passes, register visitors, turn people back).
	 */
	SCAN_AT_CHECKPOINT,
	/** Set up checkpoints, issue and revoke passes, read alerts. */
	MANAGE_CHECKPOINTS,
	/** Maintain the register of risk areas (HQ only). */
	MANAGE_RISK_AREAS,
	/**
	 * Plan testing rounds and sites, import lab results, follow coverage and send
	 * reminders.
	 */
	MANAGE_TESTING,
	/** Take samples: scan tubes and people at a sampling point. */
	COLLECT_SAMPLES,
	/**
	 * Seal and unseal areas, run home quarantines, review returnee reports, plan
	 * door-to-door campaigns.
	 */
	MANAGE_CONTAINMENT,
	/** Knock on doors in a screening campaign and record what was found. */
	VISIT_HOUSEHOLDS,
	/**
	 * Open cases (病例), trace and decide their contacts (流调), quarantine confirmed
	 * contacts.
	 */
	MANAGE_TRACING,
	/**
	 * Enrol volunteers and cadres, form teams, set up posts and generate duty rosters
	 * (排班设岗).
	 */
	MANAGE_WORKFORCE,
	/**
	 * Keep protective stock (防护物资): stores, receipts and issues, thresholds, stock-takes.
	 */
	MANAGE_STOCK,
	/** See the dashboard of a node of the jurisdiction (reporting). */
	VIEW_DASHBOARD,
	/** Draft, edit and submit the daily report (日报) of a street or district. */
	WRITE_DAILY_REPORTS,
	/** Reopen a submitted daily report, with a reason (HQ only). */
	REOPEN_DAILY_REPORTS,
	/** Review and publish the public notice of a district or street (HQ only). */
	PUBLISH_NOTICES,
	/**
	 * File, take and move tasks of the jurisdiction: supply requests (生活保障), their
	 * delivery, reassignment.
	 */
	HANDLE_TASKS,
	/**
	 * Dispatch and supervise tasks: 12345 work orders and the hotline import, inspections
	 * and rectification, and act on supply requests others hold (name or change their
	 * assignee, move them on).
	 */
	SUPERVISE_TASKS,

	/**
	 * Purge the personal data of the jurisdiction older than the retention policy at the
	 * end of an emergency (HQ only; reporting's purge).
	 */
	PURGE_PERSONAL_DATA

}
