package org.fangxian.registry.web;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.fangxian.registry.Node;
import org.fangxian.registry.ResidentService;
import org.fangxian.registry.ResidentView;
import org.fangxian.registry.internal.ImportReport;
import org.fangxian.registry.internal.RosterExport;
import org.fangxian.registry.internal.RosterImport;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.InvalidInput;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
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

/** JSON API of residents, roster import/export and ID-number checks. */
@RestController
@RequestMapping("/api/v1")
class ResidentApi {

	private final ResidentService residents;

	private final RosterImport rosterImport;

	private final RosterExport rosterExport;

	private final MessageSource messages;

	private final java.time.Clock clock;

	ResidentApi(ResidentService residents, RosterImport rosterImport, RosterExport rosterExport, MessageSource messages,
			java.time.Clock clock) {
		this.residents = residents;
		this.rosterImport = rosterImport;
		this.rosterExport = rosterExport;
		this.messages = messages;
		this.clock = clock;
	}

	record IdCheckRequest(String number) {
	}

	record IdCheckResponse(boolean valid, String normalized, LocalDate birthDate, String sex, String reason) {
	}

	record Created(long id) {
	}

	/** Integration contract: validates a mainland resident ID number. */
	@PostMapping("/id-numbers/check")
	IdCheckResponse checkIdNumber(@RequestBody IdCheckRequest request) {
		IdNumberCheck check = IdNumber.check(request.number(), LocalDate.now(this.clock));
		String reason = check.valid() ? null
				: this.messages.getMessage(check.reason(), null, check.reason(), LocaleContextHolder.getLocale());
		return new IdCheckResponse(check.valid(), check.normalized(), check.birthDate(),
				check.sex() == null ? null : check.sex().name(), reason);
	}

	@GetMapping("/residents")
	ResidentService.Page search(CurrentUser user, @RequestParam(required = false) Long node,
			@RequestParam(required = false) String q, @RequestParam(required = false) Long after,
			@RequestParam(defaultValue = "20") int size) {
		return this.residents.search(user, node, q, after, size);
	}

	@GetMapping("/residents/{id}")
	ResidentView view(CurrentUser user, @PathVariable long id) {
		return this.residents.view(user, id);
	}

	@PostMapping("/residents/{id}/reveal")
	ResidentView reveal(CurrentUser user, @PathVariable long id) {
		return this.residents.reveal(user, id);
	}

	@GetMapping("/households/{id}/residents")
	List<ResidentView> household(CurrentUser user, @PathVariable long id) {
		return this.residents.household(user, id);
	}

	@PostMapping("/residents")
	@ResponseStatus(HttpStatus.CREATED)
	Created create(CurrentUser user, @RequestBody ResidentService.ResidentForm form) {
		return new Created(this.residents.create(user, form));
	}

	@PutMapping("/residents/{id}")
	ResidentView update(CurrentUser user, @PathVariable long id, @RequestBody ResidentService.ResidentForm form) {
		this.residents.update(user, id, form);
		return this.residents.view(user, id);
	}

	/**
	 * Integration contract: imports a roster file into the community with the given
	 * 12-digit code. Compounds, buildings and units the community does not have yet are
	 * listed in the report's {@code newPlaces}. Without {@code confirmNewPlaces} they are
	 * created, as the contract has always done (systems that call this already checked
	 * their file); with it, only the places it names (labels as a dry run's
	 * {@code newPlaces} gives them, or {@code *} for all) are created, and rows naming
	 * others are rejected with their row number. The import page always asks.
	 */
	@PostMapping(path = "/residents/imports", consumes = "multipart/form-data")
	ImportReport importRoster(CurrentUser user, @RequestParam(required = false) MultipartFile file,
			@RequestParam(required = false) String communityCode, @RequestParam(defaultValue = "false") boolean dryRun,
			@RequestParam(required = false) List<String> confirmNewPlaces) throws IOException {
		if (file == null || file.isEmpty()) {
			throw new InvalidInput("file", "import.file.missing");
		}
		Node community = this.rosterImport.community(user, communityCode);
		try (InputStream in = file.getInputStream()) {
			Set<String> confirmed = (confirmNewPlaces == null) ? Set.of("*") : Set.copyOf(confirmNewPlaces);
			return this.rosterImport.run(user, community, in, file.getOriginalFilename(), Map.of(), dryRun,
					confirmed.contains("*") ? RosterImport.ALL_NEW_PLACES : confirmed::contains, sheet -> {
					});
		}
	}

	@GetMapping("/residents/export")
	void export(CurrentUser user, @RequestParam long node, @RequestParam(defaultValue = "false") boolean unmasked,
			HttpServletResponse response) throws IOException {
		Node target = this.rosterExport.authorize(user, node, unmasked);
		response.setContentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
		response.setHeader("Content-Disposition", "attachment; filename=\"roster-" + target.id() + ".xlsx\"");
		this.rosterExport.write(user, target, unmasked, LocaleContextHolder.getLocale(), response.getOutputStream());
	}

}
