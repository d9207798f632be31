package org.fangxian.returnee;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import org.fangxian.returnee.internal.ReturneeReports;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A returnee's self-report as another module files it for someone (the lived-in demo):
 * the public form's path and checks, the form as if shown a minute ago; the origin is an
 * official division code (310115: 上海市浦东新区).
 */
@Component
public class SelfReports {

	private final ReturneeReports reports;

	SelfReports(ReturneeReports reports) {
		this.reports = reports;
	}

	/**
	 * Files a report to the community of {@code communityCode}; the same person, day and
	 * community again files nothing new. @return the reference the returnee is shown
	 */
	@Transactional
	public String file(String name, String idNumber, String phone, String communityCode, String address,
			String originCode, LocalDate arrival, String transport, String transportNumber) {
		String started = this.reports.formToken(Instant.now().minus(Duration.ofMinutes(1)));
		return this.reports
			.submit(new ReturneeReports.Submission(name, "RESIDENT_ID", idNumber, phone, communityCode, address, null,
					null, originCode, arrival.toString(), transport, transportNumber, "", started), "demo")
			.reference();
	}

}
