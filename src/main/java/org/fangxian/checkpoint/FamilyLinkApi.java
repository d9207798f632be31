package org.fangxian.checkpoint;

import org.fangxian.security.CurrentUser;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of family links: what the worker's "send family codes" button does. */
@RestController
@RequestMapping("/api/v1")
class FamilyLinkApi {

	private final FamilyLinks links;

	FamilyLinkApi(FamilyLinks links) {
		this.links = links;
	}

	/** Texts the household's link to its adults' phones (once a day per phone) and answers the link. */
	@PostMapping("/households/{householdId}/family-link")
	FamilyLinks.Link send(CurrentUser user, @PathVariable long householdId) {
		return this.links.send(user, householdId);
	}

}
