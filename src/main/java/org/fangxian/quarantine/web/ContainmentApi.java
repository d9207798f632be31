package org.fangxian.quarantine.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.fangxian.security.CurrentUser;
import org.fangxian.seal.Seals;
import org.fangxian.quarantine.Quarantines;
import org.fangxian.quarantine.internal.QuarantineBook;
import org.fangxian.quarantine.internal.QuarantineOutcomes;
import org.fangxian.quarantine.internal.QuarantineStarts;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of seals and quarantines. */
@RestController
@RequestMapping("/api/v1/containment")
class ContainmentApi {

	private final Seals seals;

	private final QuarantineStarts starts;

	private final QuarantineBook quarantines;

	private final QuarantineOutcomes outcomes;

	ContainmentApi(Seals seals, QuarantineStarts starts, QuarantineBook quarantines, QuarantineOutcomes outcomes) {
		this.seals = seals;
		this.starts = starts;
		this.quarantines = quarantines;
		this.outcomes = outcomes;
	}

	record SealWithTimeline(Seals.Seal seal, List<Seals.Event> timeline) {
	}

	record Extension(Instant plannedEndAt, Integer hours, String note) {
	}

	record Note(String note) {
	}

	record CheckInForm(String temperature, String symptoms, String note) {
	}

	record TestForm(Integer day, String result) {
	}

	@PostMapping("/seals")
	@ResponseStatus(HttpStatus.CREATED)
	Seals.Seal seal(CurrentUser user, @RequestBody Seals.NewSeal body) {
		return this.seals.seal(user, body);
	}

	@GetMapping("/seals")
	List<Seals.Seal> open(CurrentUser user) {
		return this.seals.open(user);
	}

	@GetMapping("/seals/{id}")
	SealWithTimeline get(CurrentUser user, @PathVariable long id) {
		return new SealWithTimeline(this.seals.get(user, id), this.seals.timeline(user, id));
	}

	@PostMapping("/seals/{id}/extend")
	Seals.Seal extend(CurrentUser user, @PathVariable long id, @RequestBody Extension body) {
		return this.seals.extend(user, id, body.plannedEndAt(), body.hours(), body.note());
	}

	/** Lift early or unseal (解封): which one depends on the planned end. */
	@PostMapping("/seals/{id}/end")
	Seals.Seal end(CurrentUser user, @PathVariable long id, @RequestBody(required = false) Note body) {
		return this.seals.end(user, id, body == null ? null : body.note());
	}

	@PostMapping("/quarantines")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, List<Long>> start(CurrentUser user, @RequestBody Quarantines.NewQuarantine body) {
		return Map.of("ids", this.starts.start(user, body));
	}

	@GetMapping("/quarantines")
	List<Quarantines.Quarantine> quarantines(CurrentUser user, @RequestParam(defaultValue = "false") boolean overdue) {
		return this.quarantines.open(user, overdue);
	}

	@GetMapping("/quarantines/{id}")
	Quarantines.Quarantine quarantine(CurrentUser user, @PathVariable long id) {
		return this.quarantines.get(user, id);
	}

	@PostMapping("/quarantines/{id}/check-ins")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void checkIn(CurrentUser user, @PathVariable long id, @RequestBody CheckInForm body) {
		this.quarantines.checkIn(user, id, body.temperature(), body.symptoms(), body.note());
	}

	@PostMapping("/quarantines/{id}/tests")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void test(CurrentUser user, @PathVariable long id, @RequestBody TestForm body) {
		this.outcomes.recordTest(user, id, body.day(), body.result());
	}

	@PostMapping("/quarantines/{id}/release")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void release(CurrentUser user, @PathVariable long id, @RequestBody(required = false) Note body) {
		this.outcomes.release(user, id, body == null ? null : body.note());
	}

}
