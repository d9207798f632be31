package org.fangxian.task.web;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.fangxian.security.CurrentUser;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.internal.Attachments;
import org.fangxian.task.internal.SupportRequests;
import org.fangxian.task.internal.TaskBook;
import org.fangxian.task.internal.TaskRecord;
import org.fangxian.shared.InvalidInput;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * JSON API of supply requests (生活保障). The create and transition paths are an integration
 * contract (issue 16); writes honour an {@code Idempotency-Key} header like every other
 * API write.
 */
@RestController
@RequestMapping("/api/v1/support-requests")
class SupportRequestApi {

	private final SupportRequests requests;

	private final MessageSource messages;

	SupportRequestApi(SupportRequests requests, MessageSource messages) {
		this.requests = requests;
		this.messages = messages;
	}

	record Created(long id, String urgency, Instant dueAt, String state) {
	}

	record Moved(String state) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Created file(CurrentUser user, @RequestBody SupportRequests.NewRequest body) {
		TaskRecord task = this.requests.file(user, body);
		return new Created(task.id(), task.urgency().name(), task.dueAt(), task.state());
	}

	@PostMapping("/{id}/transitions")
	Moved transition(CurrentUser user, @PathVariable long id, @RequestBody SupportRequests.Transition body) {
		return new Moved(this.requests.transition(user, id, body).state());
	}

	record Reassign(Long assigneeId, String note) {
	}

	@PostMapping("/{id}/assignee")
	Map<String, Object> reassign(CurrentUser user, @PathVariable long id, @RequestBody Reassign body) {
		this.requests.reassign(user, id, body.assigneeId(), body.note());
		return Map.of("assigneeId", body.assigneeId());
	}

	@PostMapping("/{id}/photos")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Long> photo(CurrentUser user, @PathVariable long id, @RequestParam("file") MultipartFile file)
			throws IOException {
		if (file.getSize() > Attachments.MAX_BYTES) {
			throw new InvalidInput("file", "task.attachment.tooLarge", Attachments.MAX_BYTES / 1024 / 1024);
		}
		return Map.of("id", this.requests.addPhoto(user, id, file.getBytes()));
	}

	@GetMapping
	List<SupportRequests.Request> list(CurrentUser user, @RequestParam(defaultValue = "false") boolean mine,
			@RequestParam(defaultValue = "false") boolean open) {
		return this.requests.list(user, mine, open);
	}

	@GetMapping("/{id}")
	SupportRequests.Request get(CurrentUser user, @PathVariable long id) {
		return this.requests.view(user, id);
	}

	@GetMapping("/{id}/history")
	List<TaskBook.Step> history(CurrentUser user, @PathVariable long id) {
		return this.requests.history(user, id);
	}

	@ExceptionHandler(TransitionNotAllowed.class)
	ResponseEntity<ProblemDetail> notAllowed(TransitionNotAllowed ex) {
		String key = "task.transition.notAllowed";
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, this.messages.getMessage(key,
				new Object[] { ex.from(), ex.to() }, key, LocaleContextHolder.getLocale()));
		problem.setProperty("code", key);
		problem.setProperty("errors", List.of(Map.of("field", "to", "code", key)));
		problem.setProperty("state", ex.from());
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

}
