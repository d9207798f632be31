package org.fangxian.screening.web;

import java.util.List;

import org.fangxian.security.CurrentUser;
import org.fangxian.screening.internal.ScreeningVisits;
import org.fangxian.screening.internal.ScreeningCampaigns;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * JSON API of door-to-door screening campaigns: plan, hand out doors, record knocks,
 * follow progress.
 */
@RestController
@RequestMapping("/api/v1/containment/campaigns")
class ScreeningApi {

	private final ScreeningCampaigns campaigns;

	private final ScreeningVisits visits;

	ScreeningApi(ScreeningCampaigns campaigns, ScreeningVisits visits) {
		this.campaigns = campaigns;
		this.visits = visits;
	}

	record Assignment(Long buildingId, Long accountId) {
	}

	record Assigned(int doors) {
	}

	@GetMapping
	List<ScreeningCampaigns.Campaign> list(CurrentUser user) {
		return this.campaigns.list(user);
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	ScreeningCampaigns.Campaign create(CurrentUser user, @RequestBody ScreeningCampaigns.NewCampaign body) {
		return this.campaigns.create(user, body);
	}

	@GetMapping("/{id}/progress")
	ScreeningCampaigns.Progress progress(CurrentUser user, @PathVariable long id) {
		return this.campaigns.progress(user, id);
	}

	@PostMapping("/{id}/assignments")
	Assigned assign(CurrentUser user, @PathVariable long id, @RequestBody Assignment body) {
		return new Assigned(this.campaigns.assign(user, id, body.buildingId(), body.accountId()));
	}

	@GetMapping("/{id}/visits")
	List<ScreeningVisits.Door> doors(CurrentUser user, @PathVariable long id,
			@RequestParam(defaultValue = "false") boolean mine) {
		return this.visits.doors(user, id, mine);
	}

	/**
	 * One knock; 201 when recorded, 200 when the idempotency key was seen before (nothing
	 * changed).
	 */
	@PostMapping("/{id}/visits/{householdId}")
	ResponseEntity<ScreeningVisits.Recorded> visit(CurrentUser user, @PathVariable long id,
			@PathVariable long householdId, @RequestBody ScreeningVisits.VisitReport body) {
		ScreeningVisits.Recorded recorded = this.visits.record(user, id, householdId, body);
		return ResponseEntity.status(recorded.replayed() ? HttpStatus.OK : HttpStatus.CREATED).body(recorded);
	}

}
