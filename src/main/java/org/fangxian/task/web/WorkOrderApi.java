package org.fangxian.task.web;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.fangxian.security.CurrentUser;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.internal.HotlineImport;
import org.fangxian.task.internal.TaskBook;
import org.fangxian.task.internal.TaskRecord;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * JSON API of 12345 work orders (工单). Create and the overdue list are an integration
 * contract (issue 16); writes honour an {@code Idempotency-Key} header.
 */
@RestController
@RequestMapping("/api/v1/work-orders")
class WorkOrderApi {

	private final WorkOrders orders;

	private final TaskBook tasks;

	private final MessageSource messages;

	private final HotlineImport hotline;

	WorkOrderApi(WorkOrders orders, TaskBook tasks, MessageSource messages, HotlineImport hotline) {
		this.hotline = hotline;
		this.orders = orders;
		this.tasks = tasks;
		this.messages = messages;
	}

	record Created(long id, Instant dueAt) {
	}

	record Moved(String state, Instant dueAt) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Created take(CurrentUser user, @RequestBody WorkOrders.NewOrder body) {
		TaskRecord task = this.orders.take(user, body);
		return new Created(task.id(), task.dueAt());
	}

	@GetMapping
	List<WorkOrders.Order> list(CurrentUser user, @RequestParam(defaultValue = "false") boolean overdue) {
		return this.orders.list(user, overdue);
	}

	/** A refused row of an import, its sentence in the request's language. */
	record RejectedRow(int row, String column, String code, String message) {
	}

	record Imported(int rows, int imported, int skipped, List<RejectedRow> rejected) {
	}

	/**
	 * The hotline's daily export (XLSX, or CSV in UTF-8) as multipart {@code file}: the
	 * rows imported, those already imported, and each refused row with its number.
	 */
	@PostMapping(path = "/import", consumes = "multipart/form-data")
	Imported importExport(CurrentUser user, @RequestParam(required = false) MultipartFile file) throws IOException {
		HotlineImport.Report report = this.hotline.run(user, file == null ? null : file.getOriginalFilename(),
				file == null ? null : file.getBytes());
		return new Imported(report.rows(), report.imported(), report.skipped(), report.rejected()
			.stream()
			.map(r -> new RejectedRow(r.row(), r.column(), r.code(),
					this.messages.getMessage(r.code(), r.args().toArray(), r.code(), LocaleContextHolder.getLocale())))
			.toList());
	}

	@GetMapping("/statistics")
	WorkOrders.Statistics statistics(CurrentUser user) {
		return this.orders.statistics(user);
	}

	record Dispatch(Long nodeId, Integer days, String note) {
	}

	@PostMapping("/{id}/dispatch")
	Moved dispatch(CurrentUser user, @PathVariable long id, @RequestBody Dispatch body) {
		this.orders.dispatch(user, id, body.nodeId(), body.days(), body.note());
		TaskRecord now = this.tasks.get(user, "WORK_ORDER", id);
		return new Moved(now.state(), now.dueAt());
	}

	record Note(String note) {
	}

	@PostMapping("/{id}/supervise")
	Map<String, Object> supervise(CurrentUser user, @PathVariable long id, @RequestBody Note body) {
		this.orders.supervise(user, id, body.note());
		return Map.of("supervised", true);
	}

	record Reply(String reply) {
	}

	@PostMapping("/{id}/reply")
	Moved reply(CurrentUser user, @PathVariable long id, @RequestBody Reply body) {
		TaskRecord task = this.orders.reply(user, id, body.reply());
		return new Moved(task.state(), task.dueAt());
	}

	record Close(String satisfaction) {
	}

	@PostMapping("/{id}/close")
	Moved close(CurrentUser user, @PathVariable long id, @RequestBody Close body) {
		TaskRecord task = this.orders.close(user, id, body.satisfaction());
		return new Moved(task.state(), task.dueAt());
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
