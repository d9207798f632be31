package org.fangxian.checkpoint.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import org.fangxian.checkpoint.RiskAreas;
import org.fangxian.checkpoint.internal.RoadChecks;
import org.fangxian.security.CurrentUser;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** JSON API of inbound road checks and the risk-area register. */
@RestController
@RequestMapping("/api/v1")
class RoadCheckApi {

	private final RoadChecks roadChecks;

	private final RiskAreas riskAreas;

	RoadCheckApi(RoadChecks roadChecks, RiskAreas riskAreas) {
		this.roadChecks = roadChecks;
		this.riskAreas = riskAreas;
	}

	record Created(long id) {
	}

	@PostMapping("/checkpoints/{checkpointId}/road-checks")
	RoadChecks.CheckResult check(CurrentUser user, @PathVariable long checkpointId,
			@RequestBody RoadChecks.CheckRequest body) {
		return this.roadChecks.check(user, checkpointId, body);
	}

	@GetMapping("/checkpoints/{checkpointId}/road-rules")
	RoadChecks.Rules rules(CurrentUser user, @PathVariable long checkpointId) {
		return this.roadChecks.rules(user, checkpointId);
	}

	@PutMapping("/checkpoints/{checkpointId}/road-rules")
	RoadChecks.Rules setRules(CurrentUser user, @PathVariable long checkpointId, @RequestBody RoadChecks.Rules body) {
		return this.roadChecks.setRules(user, checkpointId, body);
	}

	@GetMapping("/checkpoints/{checkpointId}/road-stats")
	List<RoadChecks.DailyStats> stats(CurrentUser user, @PathVariable long checkpointId,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
		return this.roadChecks.daily(user, checkpointId, from, to);
	}

	@GetMapping("/checkpoints/{checkpointId}/road-stats.xlsx")
	void statsXlsx(CurrentUser user, @PathVariable long checkpointId,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to, HttpServletResponse response)
			throws IOException {
		this.roadChecks.daily(user, checkpointId, from, to);
		response.setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
		response.setHeader("Content-Disposition", "attachment; filename=\"road-stats-" + checkpointId + ".xlsx\"");
		this.roadChecks.exportDaily(user, checkpointId, from, to, response.getOutputStream());
	}

	@GetMapping("/risk-areas")
	List<RiskAreas.RiskArea> riskAreas(
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
		return this.riskAreas.inForce(date == null ? LocalDate.now() : date);
	}

	@PostMapping("/risk-areas")
	@ResponseStatus(HttpStatus.CREATED)
	Created addRiskArea(CurrentUser user, @RequestBody RiskAreas.NewRiskArea body) {
		return new Created(this.riskAreas.add(user, body));
	}

	@PostMapping(path = "/risk-areas/imports", consumes = "multipart/form-data")
	RiskAreas.ImportReport importRiskAreas(CurrentUser user, @RequestParam MultipartFile file) throws IOException {
		try (InputStream in = file.getInputStream()) {
			return this.riskAreas.importList(user, in);
		}
	}

}
