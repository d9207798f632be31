package org.fangxian.workforce.web;

import java.io.IOException;
import java.util.List;

import org.fangxian.security.CurrentUser;
import org.fangxian.shared.InvalidInput;
import org.fangxian.workforce.internal.Kits;
import org.fangxian.workforce.internal.Posts;
import org.fangxian.workforce.internal.Preferences;
import org.fangxian.workforce.internal.RosterEdits;
import org.fangxian.workforce.internal.Rosters;
import org.fangxian.workforce.internal.Teams;
import org.fangxian.workforce.internal.Volunteers;

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

/**
 * JSON API of people on duty: enrol volunteers, form teams, set up posts, generate and
 * read rosters.
 */
@RestController
@RequestMapping("/api/v1")
class WorkforceApi {

	private final Volunteers volunteers;

	private final Teams teams;

	private final Posts posts;

	private final Rosters rosters;

	private final Kits kits;

	private final RosterEdits edits;

	private final org.fangxian.workforce.internal.VolunteerAccounts volunteerAccounts;

	private final org.springframework.context.MessageSource messages;

	private final Preferences preferences;

	WorkforceApi(Volunteers volunteers, Teams teams, Posts posts, Rosters rosters, Kits kits, RosterEdits edits,
			org.springframework.context.MessageSource messages,
			org.fangxian.workforce.internal.VolunteerAccounts volunteerAccounts, Preferences preferences) {
		this.preferences = preferences;
		this.volunteerAccounts = volunteerAccounts;
		this.kits = kits;
		this.edits = edits;
		this.messages = messages;
		this.volunteers = volunteers;
		this.teams = teams;
		this.posts = posts;
		this.rosters = rosters;
	}

	/** A volunteer as a roster needs them; skills are the words of the import. */
	record VolunteerSummary(long id, String name, List<String> skills, int maxShiftsPerWeek) {
	}

	@PostMapping("/volunteers/imports")
	Volunteers.ImportReport importVolunteers(CurrentUser user, @RequestParam(required = false) MultipartFile file,
			@RequestParam(required = false) String code) throws IOException {
		if (file == null || file.isEmpty()) {
			throw new InvalidInput("file", "workforce.import.noFile");
		}
		return this.volunteers.importFile(user, code, file.getBytes());
	}

	@GetMapping("/volunteers")
	List<VolunteerSummary> volunteers(CurrentUser user, @RequestParam(required = false) String code) {
		return this.volunteers.list(user, code)
			.stream()
			.map(v -> new VolunteerSummary(v.id(), v.name(), v.skills(), v.maxShiftsPerWeek()))
			.toList();
	}

	/**
	 * A volunteer's wishes: kinds of post (codes) and shift times (早班 … or 07:00-12:00).
	 */
	@GetMapping("/volunteers/{id}/preferences")
	Preferences.Wishes preferences(CurrentUser user, @PathVariable long id) {
		return this.preferences.get(user, id);
	}

	/**
	 * Replaces a volunteer's wishes, read as the import reads 意向岗位 and 意向时段; answers them
	 * as stored.
	 */
	@PutMapping("/volunteers/{id}/preferences")
	Preferences.Wishes changePreferences(CurrentUser user, @PathVariable long id,
			@RequestBody(required = false) Preferences.Wishes body) {
		return this.preferences.change(user, id, body);
	}

	@PostMapping("/volunteers/{id}/reveal")
	Volunteers.Revealed reveal(CurrentUser user, @PathVariable long id) {
		return this.volunteers.reveal(user, id);
	}

	/**
	 * Opens the volunteer's account (role VOLUNTEER, temporary password texted); a second
	 * call answers the same account with {@code created: false}.
	 */
	@PostMapping("/volunteers/{id}/account")
	org.fangxian.workforce.internal.VolunteerAccounts.Opened openAccount(CurrentUser user, @PathVariable long id) {
		return this.volunteerAccounts.open(user, id);
	}

	@PostMapping("/teams")
	@ResponseStatus(HttpStatus.CREATED)
	Teams.Created createTeam(CurrentUser user, @RequestBody Teams.NewTeam body) {
		return this.teams.create(user, body);
	}

	@GetMapping("/teams")
	List<Teams.Team> teams(CurrentUser user, @RequestParam(required = false) String code) {
		return this.teams.list(user, this.volunteers.placeOf(user, code));
	}

	@PostMapping("/posts")
	@ResponseStatus(HttpStatus.CREATED)
	Posts.Created createPost(CurrentUser user, @RequestBody Posts.NewPost body) {
		return this.posts.create(user, body);
	}

	@GetMapping("/posts")
	List<Posts.Post> posts(CurrentUser user, @RequestParam(required = false) String code) {
		return this.posts.list(user, this.volunteers.placeOf(user, code));
	}

	@PostMapping("/rosters")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Rosters.Created createRoster(CurrentUser user, @RequestBody Rosters.NewRoster body) {
		return this.rosters.create(user, body);
	}

	/**
	 * A worker records a shift's protective kit (the team leader handed it out); issued
	 * lines are issued once.
	 */
	@PostMapping("/duty/assignments/{id}/kit")
	List<Kits.Issued> recordKit(CurrentUser user, @PathVariable long id) {
		return this.kits.record(user, id);
	}

	/** A manual edit: one seat to another person, refused (409) if a hard rule breaks. */
	@PostMapping("/rosters/{id}/edits")
	RosterEdits.Changed edit(CurrentUser user, @PathVariable long id,
			@RequestBody(required = false) RosterEdits.Edit body) {
		return this.edits.edit(user, id, body);
	}

	@PostMapping("/rosters/{id}/swaps")
	List<RosterEdits.Changed> swap(CurrentUser user, @PathVariable long id,
			@RequestBody(required = false) RosterEdits.Swap body) {
		return this.edits.swap(user, id, body);
	}

	/** Leave with replacement proposals; {@code apply: true} writes them. */
	@PostMapping("/rosters/{id}/leaves")
	RosterEdits.Leave leave(CurrentUser user, @PathVariable long id,
			@RequestBody(required = false) RosterEdits.NewLeave body) {
		return this.edits.leave(user, id, body);
	}

	@org.springframework.web.bind.annotation.ExceptionHandler(RosterEdits.Refused.class)
	org.springframework.http.ResponseEntity<org.springframework.http.ProblemDetail> refused(RosterEdits.Refused ex) {
		java.util.Locale locale = org.springframework.context.i18n.LocaleContextHolder.getLocale();
		String rule = this.messages.getMessage("workforce.rule." + ex.rule().name(), null, ex.rule().name(), locale);
		String text = this.messages.getMessage("workforce.edit.refused", new Object[] { ex.person(), rule },
				"workforce.edit.refused", locale);
		org.springframework.http.ProblemDetail problem = org.springframework.http.ProblemDetail
			.forStatusAndDetail(HttpStatus.CONFLICT, text);
		problem.setProperty("code", "workforce.edit.refused");
		problem.setProperty("rule", ex.rule().name());
		problem.setProperty("errors",
				List.of(java.util.Map.of("field", "volunteerId", "code", "workforce.edit.refused", "message", text)));
		return org.springframework.http.ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

	@GetMapping("/rosters/{id}")
	Rosters.Roster roster(CurrentUser user, @PathVariable long id) {
		return this.rosters.get(user, id);
	}

}
