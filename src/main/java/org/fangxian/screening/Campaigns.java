package org.fangxian.screening;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.fangxian.screening.internal.ScreeningCampaigns;
import org.fangxian.screening.internal.ScreeningVisits;
import org.fangxian.security.CurrentUser;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Door-to-door campaigns as another module drives them (the lived-in demo): plan one over
 * a subtree and record knocks, with the campaign pages' rules.
 */
@Component
public class Campaigns {

	private final ScreeningCampaigns campaigns;

	private final ScreeningVisits visits;

	Campaigns(ScreeningCampaigns campaigns, ScreeningVisits visits) {
		this.campaigns = campaigns;
		this.visits = visits;
	}

	/** Plans a campaign over every household of the subtree; @return its id */
	@Transactional
	public long plan(CurrentUser user, String name, long nodeId, LocalDate startsOn, LocalDate endsOn) {
		return this.campaigns.create(user, new ScreeningCampaigns.NewCampaign(name, nodeId, startsOn, endsOn)).id();
	}

	/** The households of the campaign the caller may visit, in walking order. */
	public List<Long> doors(CurrentUser user, long campaignId) {
		return this.visits.doors(user, campaignId, false).stream().map(ScreeningVisits.Door::householdId).toList();
	}

	/**
	 * One knock: {@code AT_HOME} (with the letter signed), {@code NOBODY_HOME} or
	 * {@code REFUSED}.
	 */
	@Transactional
	public void knock(CurrentUser user, long campaignId, long householdId, String outcome) {
		boolean home = outcome.equals("AT_HOME");
		this.visits.record(user, campaignId, householdId, new ScreeningVisits.VisitReport(outcome,
				UUID.randomUUID().toString(), home ? Boolean.FALSE : null, null, 0, null, home, null, List.of()));
	}

}
