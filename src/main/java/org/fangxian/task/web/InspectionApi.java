package org.fangxian.task.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.security.CurrentUser;
import org.fangxian.shared.InvalidInput;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.internal.Inspections;
import org.fangxian.task.internal.TaskBook;
import org.fangxian.task.internal.WorkOrders;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * JSON API of inspections (巡查), rectifications (整改), their checklists and the
 * verification (核实) of a work order's complaint. Photos travel as base64 in JSON (the
 * page sends them as files); writes honour an {@code Idempotency-Key} header.
 */
@RestController
class InspectionApi {

	private final Inspections inspections;

	private final WorkOrders orders;

	private final MessageSource messages;

	InspectionApi(Inspections inspections, WorkOrders orders, MessageSource messages) {
		this.inspections = inspections;
		this.orders = orders;
		this.messages = messages;
	}

	@GetMapping("/api/v1/checklists")
	List<Inspections.Template> checklists(CurrentUser user) {
		user.require(org.fangxian.security.Permission.SUPERVISE_TASKS);
		return this.inspections.templates(user);
	}

	record Checklist(String name, List<String> items, Integer version) {
	}

	@PutMapping("/api/v1/checklists/{id}")
	Inspections.Template edit(CurrentUser user, @PathVariable long id, @RequestBody Checklist body) {
		return this.inspections.edit(user, id, body.name(), body.items(), body.version());
	}

	@PostMapping("/api/v1/inspections")
	@ResponseStatus(HttpStatus.CREATED)
	Inspections.Inspection plan(CurrentUser user, @RequestBody Inspections.NewInspection body) {
		return this.inspections.plan(user, body);
	}

	@GetMapping("/api/v1/inspections")
	List<Inspections.Inspection> list(CurrentUser user, @RequestParam(defaultValue = "false") boolean planned) {
		return this.inspections.list(user, planned);
	}

	@GetMapping("/api/v1/inspections/{id}")
	Inspections.Inspection get(CurrentUser user, @PathVariable long id) {
		return this.inspections.get(user, id);
	}

	/** A photo of a finding: the item it shows (or none: the place) and the file. */
	record Photo(Long itemId, byte[] content) {
	}

	record Findings(List<Inspections.Finding> findings, List<Photo> photos, String note) {
	}

	@PostMapping("/api/v1/inspections/{id}/findings")
	Inspections.Outcome record(CurrentUser user, @PathVariable long id, @RequestBody Findings body) {
		Map<Long, List<byte[]>> photos = new LinkedHashMap<>();
		for (Photo photo : body.photos() == null ? List.<Photo>of() : body.photos()) {
			if (photo == null) {
				throw new InvalidInput("photos", "task.attachment.required");
			}
			photos.computeIfAbsent(photo.itemId(), k -> new ArrayList<>()).add(photo.content());
		}
		return this.inspections.record(user, id, body.findings(), photos, body.note());
	}

	@GetMapping("/api/v1/rectifications")
	List<Inspections.Rectification> rectifications(CurrentUser user,
			@RequestParam(defaultValue = "false") boolean open) {
		return this.inspections.rectifications(user, open);
	}

	@GetMapping("/api/v1/rectifications/{id}/history")
	List<TaskBook.Step> history(CurrentUser user, @PathVariable long id) {
		return this.inspections.history(user, id);
	}

	@PostMapping("/api/v1/rectifications/{id}/reinspection")
	@ResponseStatus(HttpStatus.CREATED)
	Inspections.Inspection reinspect(CurrentUser user, @PathVariable long id) {
		return this.inspections.reinspect(user, id);
	}

	record Verification(String verdict, String note, List<byte[]> evidence) {
	}

	record Verified(long id) {
	}

	@PostMapping("/api/v1/work-orders/{id}/verification")
	@ResponseStatus(HttpStatus.CREATED)
	Verified verify(CurrentUser user, @PathVariable long id, @RequestBody Verification body) {
		return new Verified(this.orders.verify(user, id, body.verdict(), body.note(), body.evidence()));
	}

	@ExceptionHandler(TransitionNotAllowed.class)
	ResponseEntity<ProblemDetail> notAllowed(TransitionNotAllowed ex) {
		String key = "task.transition.notAllowed";
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, this.messages.getMessage(key,
				new Object[] { ex.from(), ex.to() }, key, LocaleContextHolder.getLocale()));
		problem.setProperty("code", key);
		problem.setProperty("errors", List.of(Map.of("field", "state", "code", key)));
		problem.setProperty("state", ex.from());
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

}
