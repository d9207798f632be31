package org.fangxian.tracing.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.fangxian.security.CurrentUser;
import org.fangxian.tracing.Candidate;
import org.fangxian.tracing.internal.CaseBook;
import org.fangxian.tracing.internal.CaseRecord;
import org.fangxian.tracing.internal.TracingWork;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * JSON API of flow tracing. The case, candidate, contact and quarantine paths are an
 * integration contract (issue 11); writes honour an {@code Idempotency-Key} header like
 * every other API write.
 */
@RestController
@RequestMapping("/api/v1/cases")
class CaseApi {

	private final CaseBook cases;

	private final TracingWork work;

	CaseApi(CaseBook cases, TracingWork work) {
		this.cases = cases;
		this.work = work;
	}

	record Created(long id) {
	}

	record CaseAnswer(long id, long residentId, String name, String address, String kind, String foundBy,
			Instant reportedAt, Instant onsetAt, Instant sampledAt, String status, String transferredTo,
			Instant transferredAt, Instant dischargedAt, String note) {

		static CaseAnswer of(CaseBook.CaseView view) {
			CaseRecord r = view.record();
			return new CaseAnswer(r.id(), r.residentId(), view.name(), view.address(), r.kind().name(),
					r.foundBy().name(), r.reportedAt(), r.onsetAt(), r.sampledAt(), r.status().name(),
					r.transferredTo(), r.transferredAt(), r.dischargedAt(), r.note());
		}

	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Created open(CurrentUser user, @RequestBody CaseBook.NewCase body) {
		return new Created(this.cases.open(user, body));
	}

	@GetMapping
	List<CaseAnswer> list(CurrentUser user, @RequestParam(defaultValue = "false") boolean openOnly) {
		return this.cases.list(user, openOnly).stream().map(CaseAnswer::of).toList();
	}

	@GetMapping("/{caseId}")
	CaseAnswer get(CurrentUser user, @PathVariable long caseId) {
		return CaseAnswer.of(this.cases.view(user, caseId));
	}

	record Transfer(String to, Instant at) {
	}

	record When(Instant at) {
	}

	record Kind(String kind) {
	}

	@PostMapping("/{caseId}/transfer")
	CaseAnswer transfer(CurrentUser user, @PathVariable long caseId, @RequestBody Transfer body) {
		this.cases.transfer(user, caseId, body.to(), body.at());
		return CaseAnswer.of(this.cases.view(user, caseId));
	}

	@PostMapping("/{caseId}/discharge")
	CaseAnswer discharge(CurrentUser user, @PathVariable long caseId, @RequestBody(required = false) When body) {
		this.cases.discharge(user, caseId, body == null ? null : body.at());
		return CaseAnswer.of(this.cases.view(user, caseId));
	}

	@PostMapping("/{caseId}/kind")
	CaseAnswer classify(CurrentUser user, @PathVariable long caseId, @RequestBody Kind body) {
		this.cases.classify(user, caseId, body.kind());
		return CaseAnswer.of(this.cases.view(user, caseId));
	}

	@GetMapping("/{caseId}/contact-candidates")
	List<Candidate> candidates(CurrentUser user, @PathVariable long caseId) {
		return this.work.candidates(user, caseId).candidates();
	}

	@GetMapping("/{caseId}/contacts/{contactId}/contact-candidates")
	List<Candidate> candidatesOfContact(CurrentUser user, @PathVariable long caseId, @PathVariable long contactId) {
		return this.work.candidatesOfContact(user, caseId, contactId).candidates();
	}

	record DecisionBody(Long residentId, Long contactId, String category, String reason, Long viaContactId,
			LocalDate contactOn) {
	}

	@PostMapping("/{caseId}/contacts")
	@ResponseStatus(HttpStatus.CREATED)
	Created decide(CurrentUser user, @PathVariable long caseId, @RequestBody DecisionBody body) {
		return new Created(this.work.decide(user, caseId, new TracingWork.Decision(body.residentId(), body.contactId(),
				body.category(), body.reason(), body.viaContactId(), body.contactOn())));
	}

	@GetMapping("/{caseId}/contacts")
	List<TracingWork.Contact> contacts(CurrentUser user, @PathVariable long caseId) {
		return this.work.contacts(user, caseId).contacts();
	}

	@PostMapping("/{caseId}/contacts/manual")
	@ResponseStatus(HttpStatus.CREATED)
	Created addManual(CurrentUser user, @PathVariable long caseId, @RequestBody TracingWork.ManualPerson body) {
		return new Created(this.work.addManual(user, caseId, body));
	}

	@PostMapping("/{caseId}/contacts/{contactId}/reveal")
	TracingWork.Revealed reveal(CurrentUser user, @PathVariable long caseId, @PathVariable long contactId) {
		return this.work.reveal(user, caseId, contactId);
	}

	record QuarantineBody(String kind) {
	}

	@PostMapping("/{caseId}/contacts/quarantine")
	Map<String, Integer> quarantine(CurrentUser user, @PathVariable long caseId,
			@RequestBody(required = false) QuarantineBody body) {
		return Map.of("started", this.work.quarantine(user, caseId, body == null ? null : body.kind()));
	}

	@GetMapping("/chain")
	TracingWork.Graph chain(CurrentUser user) {
		return this.work.chain(user);
	}

}
