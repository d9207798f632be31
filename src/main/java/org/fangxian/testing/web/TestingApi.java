package org.fangxian.testing.web;

import org.fangxian.testing.RoadRetests;
import org.fangxian.testing.internal.Coverage;
import org.fangxian.testing.internal.Followups;
import org.fangxian.testing.internal.LabResults;
import org.fangxian.testing.internal.Reminders;
import org.fangxian.testing.internal.Round;
import org.fangxian.testing.internal.Rounds;
import org.fangxian.testing.internal.Sites;
import org.fangxian.testing.internal.Subjects;
import org.fangxian.testing.internal.Tubes;
import java.io.IOException;
import java.util.List;

import org.fangxian.security.CurrentUser;
import org.fangxian.shared.InvalidInput;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * JSON API of mass testing. The sample, close, import and coverage paths are an
 * integration contract (issue 4); writes honour an {@code Idempotency-Key} header like
 * every other API write.
 */
@RestController
@RequestMapping("/api/v1/testing")
class TestingApi {

	private final Rounds rounds;

	private final Tubes tubes;

	private final LabResults results;

	private final Coverage coverage;

	private final Reminders reminders;

	private final Sites sites;

	private final Followups followups;

	private final MessageSource messages;

	private final Subjects subjects;

	private final RoadRetests retests;

	private final org.fangxian.checkpoint.Checkpoints checkpoints;

	private final java.time.Clock clock;

	TestingApi(Rounds rounds, Tubes tubes, LabResults results, Coverage coverage, Reminders reminders, Sites sites,
			Followups followups, MessageSource messages, Subjects subjects, RoadRetests retests,
			org.fangxian.checkpoint.Checkpoints checkpoints, java.time.Clock clock) {
		this.subjects = subjects;
		this.retests = retests;
		this.checkpoints = checkpoints;
		this.clock = clock;
		this.rounds = rounds;
		this.tubes = tubes;
		this.results = results;
		this.coverage = coverage;
		this.reminders = reminders;
		this.sites = sites;
		this.followups = followups;
		this.messages = messages;
	}

	@GetMapping("/rounds")
	List<Round> rounds(CurrentUser user) {
		return this.rounds.list(user, 200);
	}

	@PostMapping("/rounds")
	@ResponseStatus(HttpStatus.CREATED)
	Round open(CurrentUser user, @RequestBody Rounds.NewRound body) {
		return this.rounds.open(user, body);
	}

	@GetMapping("/rounds/{roundId}")
	Round round(CurrentUser user, @PathVariable long roundId) {
		return this.rounds.get(user, roundId);
	}

	@PostMapping("/rounds/{roundId}/close")
	Round close(CurrentUser user, @PathVariable long roundId) {
		return this.rounds.close(user, roundId);
	}

	@GetMapping("/rounds/{roundId}/tubes/{barcode}")
	Tubes.TubeView tube(CurrentUser user, @PathVariable long roundId, @PathVariable String barcode) {
		return this.tubes.get(user, roundId, barcode);
	}

	@PostMapping("/rounds/{roundId}/tubes/{barcode}/samples")
	Tubes.TubeView sample(CurrentUser user, @PathVariable long roundId, @PathVariable String barcode,
			@RequestBody Tubes.SampleRequest body) {
		return this.tubes.addSample(user, roundId, barcode, body);
	}

	@DeleteMapping("/rounds/{roundId}/tubes/{barcode}/samples/{residentId}")
	Tubes.TubeView unscan(CurrentUser user, @PathVariable long roundId, @PathVariable String barcode,
			@PathVariable long residentId) {
		return this.tubes.removeSample(user, roundId, barcode, residentId);
	}

	/**
	 * Someone not in the registry: a road checkpoint's re-test or a walk-in at a site.
	 */
	@PostMapping("/rounds/{roundId}/tubes/{barcode}/subjects")
	Tubes.TubeView sampleSubject(CurrentUser user, @PathVariable long roundId, @PathVariable String barcode,
			@RequestBody Tubes.SubjectRequest body) {
		return this.tubes.addSubject(user, roundId, barcode, body);
	}

	@DeleteMapping("/rounds/{roundId}/tubes/{barcode}/subjects/{subjectId}")
	Tubes.TubeView unscanSubject(CurrentUser user, @PathVariable long roundId, @PathVariable String barcode,
			@PathVariable long subjectId) {
		return this.tubes.removeSubject(user, roundId, barcode, subjectId);
	}

	/** Testing subjects' swabs and results in the caller's jurisdiction, by day taken. */
	@GetMapping("/subjects")
	List<Subjects.SubjectSwab> subjects(CurrentUser user, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to) {
		java.time.LocalDate today = java.time.LocalDate.now(this.clock);
		return this.subjects.swabs(user, date(from, "from", today.minusDays(6)), date(to, "to", today));
	}

	record RoadRetestCount(long checkpointId, java.time.LocalDate date, long taken) {
	}

	/**
	 * Re-tests actually taken for a road checkpoint on a day (default today), for the
	 * road page.
	 */
	@GetMapping("/road-retests")
	RoadRetestCount roadRetests(CurrentUser user, @RequestParam(required = false) Long checkpointId,
			@RequestParam(required = false) String date) {
		if (checkpointId == null) {
			throw new InvalidInput("checkpointId", "testing.subject.checkpoint.required");
		}
		// A count, no one's data: anyone who may see the checkpoint (a gate's is 0).
		this.checkpoints.get(user, checkpointId);
		java.time.LocalDate day = date(date, "date", java.time.LocalDate.now(this.clock));
		return new RoadRetestCount(checkpointId, day, this.retests.taken(checkpointId, day));
	}

	private static java.time.LocalDate date(String raw, String field, java.time.LocalDate otherwise) {
		if (raw == null || raw.isBlank()) {
			return otherwise;
		}
		try {
			return java.time.LocalDate.parse(raw.strip());
		}
		catch (java.time.format.DateTimeParseException ex) {
			throw new InvalidInput(field, "testing.subject.date");
		}
	}

	@PostMapping("/rounds/{roundId}/tubes/{barcode}/close")
	Tubes.TubeView closeTube(CurrentUser user, @PathVariable long roundId, @PathVariable String barcode) {
		return this.tubes.close(user, roundId, barcode);
	}

	public record RejectedRow(int row, String barcode, String reason, String message) {
	}

	public record ImportAnswer(long importId, int accepted, int unchanged, List<RejectedRow> rejected,
			List<LabResults.PositiveTube> positiveTubes) {
	}

	@PostMapping("/results/imports")
	ImportAnswer importResults(CurrentUser user, @RequestPart(name = "file", required = false) MultipartFile file)
			throws IOException {
		if (file == null) {
			throw new InvalidInput("file", "testing.import.empty");
		}
		return answer(this.results.importFile(user, file.getOriginalFilename(), file.getBytes()), this.messages);
	}

	static ImportAnswer answer(LabResults.Report report, MessageSource messages) {
		return new ImportAnswer(report.importId(), report.accepted(), report.unchanged(),
				report.rejected()
					.stream()
					.map(r -> new RejectedRow(r.row(), r.barcode(), r.reason(),
							messages.getMessage(r.reason(), r.args(), r.reason(), LocaleContextHolder.getLocale())))
					.toList(),
				report.positiveTubes());
	}

	@GetMapping("/rounds/{roundId}/coverage")
	Coverage.Report coverage(CurrentUser user, @PathVariable long roundId, @RequestParam(required = false) String code,
			@RequestParam(defaultValue = "false") boolean breakdown) {
		return this.coverage.report(user, roundId, code, breakdown);
	}

	@GetMapping("/rounds/{roundId}/missing")
	List<Coverage.MissingPerson> missing(CurrentUser user, @PathVariable long roundId,
			@RequestParam(required = false) String code, @RequestParam(defaultValue = "false") boolean reveal) {
		return this.coverage.missing(user, roundId, code, reveal);
	}

	@PostMapping("/rounds/{roundId}/reminders")
	Reminders.Outcome remind(CurrentUser user, @PathVariable long roundId,
			@RequestParam(required = false) String code) {
		return this.reminders.remindMissing(user, roundId, code);
	}

	@GetMapping("/sites")
	List<Sites.Site> sites(CurrentUser user) {
		return this.sites.list(user);
	}

	@PostMapping("/sites")
	@ResponseStatus(HttpStatus.CREATED)
	Sites.Site createSite(CurrentUser user, @RequestBody Sites.NewSite body) {
		return this.sites.create(user, body);
	}

	@PostMapping("/sites/{siteId}/points")
	@ResponseStatus(HttpStatus.CREATED)
	Sites.Site addPoint(CurrentUser user, @PathVariable long siteId, @RequestBody Sites.NewPoint body) {
		return this.sites.addPoint(user, siteId, body);
	}

	record QueueCount(Integer waiting) {
	}

	@PostMapping("/sites/{siteId}/queue")
	Sites.Site countQueue(CurrentUser user, @PathVariable long siteId, @RequestBody QueueCount body) {
		return this.sites.countQueue(user, siteId, body.waiting());
	}

	@GetMapping("/followups")
	List<Followups.Followup> followups(CurrentUser user) {
		return this.followups.open(user);
	}

	@PostMapping("/followups/{followupId}/acknowledge")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void acknowledge(CurrentUser user, @PathVariable long followupId) {
		this.followups.acknowledge(user, followupId);
	}

}
