package org.fangxian.checkpoint.web;

import java.util.List;

import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.GateAlert;
import org.fangxian.checkpoint.Passes;
import org.fangxian.checkpoint.internal.GateCounters;
import org.fangxian.checkpoint.internal.GateVisits;
import org.fangxian.security.CurrentUser;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * JSON API of checkpoints; the pass and scan paths are an integration contract (the scan
 * is {@link ScanEndpoint}'s).
 */
@RestController
@RequestMapping("/api/v1")
class CheckpointApi {

	private final Checkpoints checkpoints;

	private final Passes passes;

	private final GateVisits visits;

	private final GateCounters counters;

	private final MessageSource messages;

	CheckpointApi(Checkpoints checkpoints, Passes passes, GateVisits visits, GateCounters counters,
			MessageSource messages) {
		this.checkpoints = checkpoints;
		this.passes = passes;
		this.visits = visits;
		this.counters = counters;
		this.messages = messages;
	}

	record Created(long id) {
	}

	@GetMapping("/residents/{residentId}/pass")
	Passes.Pass pass(CurrentUser user, @PathVariable long residentId) {
		return this.passes.current(user, residentId);
	}

	@PostMapping("/residents/{residentId}/pass/revoke")
	Created revoke(CurrentUser user, @PathVariable long residentId) {
		return new Created(this.passes.revoke(user, residentId));
	}

	@GetMapping("/checkpoints")
	List<Checkpoint> list(CurrentUser user) {
		return this.checkpoints.list(user);
	}

	@PostMapping("/checkpoints")
	@ResponseStatus(HttpStatus.CREATED)
	Checkpoint create(CurrentUser user, @RequestBody Checkpoints.NewCheckpoint body) {
		return this.checkpoints.create(user, body);
	}

	@PostMapping("/checkpoints/{checkpointId}/visits")
	@ResponseStatus(HttpStatus.CREATED)
	Created visit(CurrentUser user, @PathVariable long checkpointId, @RequestBody GateVisits.VisitRequest body) {
		return new Created(this.visits.register(user, checkpointId, body));
	}

	/** Today's counts, or those of a shift when {@code from} and {@code to} are given. */
	@GetMapping("/checkpoints/{checkpointId}/counters")
	GateCounters.Counts counters(CurrentUser user, @PathVariable long checkpointId,
			@org.springframework.web.bind.annotation.RequestParam(required = false) java.time.Instant from,
			@org.springframework.web.bind.annotation.RequestParam(required = false) java.time.Instant to) {
		if (from != null && to != null) {
			return this.counters.between(user, checkpointId, from, to);
		}
		return this.counters.today(user, checkpointId);
	}

	@GetMapping("/checkpoint-alerts")
	List<GateAlert> alerts(CurrentUser user) {
		return this.counters.openAlerts(user);
	}

	@PostMapping("/checkpoint-alerts/{alertId}/acknowledge")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void acknowledge(CurrentUser user, @PathVariable long alertId) {
		this.counters.acknowledge(user, alertId);
	}

}
