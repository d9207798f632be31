package org.fangxian.returnee.web;

import java.util.List;

import org.fangxian.security.CurrentUser;
import org.fangxian.returnee.internal.ReturneeReviews;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * JSON API of the workers' review of returnee reports. There is deliberately no public
 * JSON endpoint for filing a report: the API lives under the bearer-token / CSRF rules,
 * and an anonymous JSON endpoint would have neither; the public form
 * ({@link ReturneePages}) is the only way in, with its session CSRF token, signed
 * fill-time token, honeypot and rate limits.
 */
@RestController
@RequestMapping("/api/v1/containment/returnee-reports")
class ReturneeApi {

	private final ReturneeReviews reviews;

	ReturneeApi(ReturneeReviews reviews) {
		this.reviews = reviews;
	}

	record DecisionRequest(String decision, String note) {
	}

	@GetMapping
	List<ReturneeReviews.ReportRow> list(CurrentUser user) {
		return this.reviews.list(user);
	}

	@GetMapping("/{id}")
	ReturneeReviews.ReportDetail view(CurrentUser user, @PathVariable long id) {
		return this.reviews.view(user, id);
	}

	@PostMapping("/{id}/reveal")
	ReturneeReviews.ReportDetail reveal(CurrentUser user, @PathVariable long id) {
		return this.reviews.reveal(user, id);
	}

	@PostMapping("/{id}/decision")
	ReturneeReviews.ReportDetail decide(CurrentUser user, @PathVariable long id, @RequestBody DecisionRequest body) {
		return this.reviews.decide(user, id, body.decision(), body.note());
	}

}
