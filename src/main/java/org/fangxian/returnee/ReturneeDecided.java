package org.fangxian.returnee;

import java.time.LocalDate;

/**
 * Published (inside the decision's transaction) when a worker decides what follows a
 * returnee's self-report; starting a home quarantine or monitoring listens to it.
 *
 * @param residentId the matched registry resident, null when the returnee is not
 * registered yet
 * @param communityId the community the returnee reported to
 */
public record ReturneeDecided(long reportId, Long residentId, long communityId, ReturneeDecision decision,
		LocalDate arrivalDate, long decidedBy) {
}
