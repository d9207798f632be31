package org.fangxian.shared;

/**
 * SPI: the no-login link to a resident's own supply-request page (生活保障), which the task
 * module gives; the pages a resident already holds (the quarantine check-in link, the
 * family link) show it without depending on the task module (which depends on them).
 */
public interface ResidentSupportLink {

	/** The path ({@code /s/…}) of the resident's own page of requests. */
	String forResident(long residentId);

}
