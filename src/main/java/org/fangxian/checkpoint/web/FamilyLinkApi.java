package org.fangxian.checkpoint.web;

import org.fangxian.checkpoint.internal.FamilyLinks;
import org.fangxian.security.CurrentUser;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of family links: what the worker's "send family codes" button does. */
@RestController
@RequestMapping("/api/v1")
class FamilyLinkApi {

	private final FamilyLinks links;

	FamilyLinkApi(FamilyLinks links) {
		this.links = links;
	}

	/**
	 * Texts the household's link to its adults' phones (once a day per phone) and answers
	 * the link.
	 */
	@PostMapping("/households/{householdId}/family-link")
	FamilyLinks.Link send(CurrentUser user, @PathVariable long householdId) {
		return this.links.send(user, householdId);
	}

	/**
	 * Stops every family link of the household sent so far; a link sent afterwards is a
	 * new one.
	 */
	@DeleteMapping("/households/{householdId}/family-link")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revoke(CurrentUser user, @PathVariable long householdId) {
		this.links.revoke(user, householdId);
	}

}
