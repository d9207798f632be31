package org.fangxian.workforce.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;

import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.workforce.internal.Attendance;
import org.fangxian.workforce.internal.DutyLinks;
import org.fangxian.workforce.internal.Kits;
import org.fangxian.workforce.internal.Posts;
import org.fangxian.workforce.internal.Preferences;
import org.fangxian.workforce.internal.RosterEdits;
import org.fangxian.workforce.internal.DutyRosterExport;
import org.fangxian.workforce.internal.Rosters;
import org.fangxian.workforce.internal.Teams;
import org.fangxian.workforce.internal.Volunteers;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Pages of people on duty: the worker's board (people, posts, rosters), the roster grid,
 * a post's printable code, and the two public pages a volunteer uses on their phone:
 * their shifts (signed link) and the post's page that opens when they scan its code,
 * where they check in and out.
 */
@Controller
class WorkforcePages {

	/**
	 * Remembers on the volunteer's phone whose link was opened, so that scanning a post's
	 * code knows them.
	 */
	static final String DUTY_COOKIE = "fx_duty";

	private final Volunteers volunteers;

	private final Teams teams;

	private final Posts posts;

	private final Rosters rosters;

	private final Attendance attendance;

	private final DutyLinks links;

	private final org.fangxian.registry.DivisionTree tree;

	private final MessageSource messages;

	private final Kits kits;

	private final org.fangxian.workforce.internal.Hours hours;

	private final java.time.Clock clock;

	private final RosterEdits edits;

	private final org.fangxian.workforce.internal.VolunteerAccounts volunteerAccounts;

	private final DutyRosterExport export;

	private final Preferences preferences;

	WorkforcePages(Volunteers volunteers, Teams teams, Posts posts, Rosters rosters, Attendance attendance,
			DutyLinks links, org.fangxian.registry.DivisionTree tree, MessageSource messages, Kits kits,
			org.fangxian.workforce.internal.Hours hours, java.time.Clock clock, RosterEdits edits,
			DutyRosterExport export, org.fangxian.workforce.internal.VolunteerAccounts volunteerAccounts,
			Preferences preferences) {
		this.preferences = preferences;
		this.volunteerAccounts = volunteerAccounts;
		this.edits = edits;
		this.export = export;
		this.kits = kits;
		this.hours = hours;
		this.clock = clock;
		this.volunteers = volunteers;
		this.teams = teams;
		this.posts = posts;
		this.rosters = rosters;
		this.attendance = attendance;
		this.links = links;
		this.tree = tree;
		this.messages = messages;
	}

	private String attempt(Model model, Supplier<String> action, Supplier<String> form) {
		try {
			return action.get();
		}
		catch (InvalidInput ex) {
			model.addAttribute("error", this.messages.getMessage(ex.messageKey(), ex.args(), ex.messageKey(),
					LocaleContextHolder.getLocale()));
			model.addAttribute("field", ex.field());
			return form.get();
		}
	}

	@GetMapping("/workforce")
	String board(CurrentUser user, @RequestParam(required = false) String code, Model model) {
		Node node = this.volunteers.placeOf(user, code);
		model.addAttribute("node", node);
		model.addAttribute("people", this.volunteers.serving(user, node));
		model.addAttribute("teams", this.teams.list(user, node));
		model.addAttribute("posts", this.posts.list(user, node));
		model.addAttribute("rosters", this.rosters.list(user, node));
		model.addAttribute("pending", this.volunteers.pending(user, node));
		model.addAttribute("joinUrl", this.links.joinUrl(node.id()));
		LocalDate monday = LocalDate.now().with(TemporalAdjusters.next(java.time.DayOfWeek.MONDAY));
		model.addAttribute("nextMonday", monday);
		model.addAttribute("nextSunday", monday.plusDays(6));
		return "workforce/board";
	}

	private org.fangxian.workforce.internal.Hours.Report hoursReport(CurrentUser user, Node node, String from,
			String to) {
		LocalDate today = LocalDate.now(this.clock);
		LocalDate start = org.fangxian.workforce.internal.Hours.day(from, today.minusDays(29), "from");
		LocalDate end = org.fangxian.workforce.internal.Hours.day(to, today, "to");
		return this.hours.report(user, node, start, end);
	}

	/** Hours on duty per person, team and organisation (服务时长), for recognition. */
	@GetMapping("/workforce/hours")
	String hours(CurrentUser user, @RequestParam(required = false) String code,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to, Model model) {
		Node node = this.volunteers.placeOf(user, code);
		model.addAttribute("node", node);
		model.addAttribute("report", hoursReport(user, node, from, to));
		return "workforce/hours";
	}

	@GetMapping("/workforce/hours.xlsx")
	ResponseEntity<byte[]> hoursXlsx(CurrentUser user, @RequestParam(required = false) String code,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
		Node node = this.volunteers.placeOf(user, code);
		org.fangxian.workforce.internal.Hours.Report report = hoursReport(user, node, from, to);
		return ResponseEntity.ok()
			.header("Content-Disposition",
					org.springframework.http.ContentDisposition.attachment()
						.filename("hours-" + node.code() + "-" + report.from() + ".xlsx")
						.build()
						.toString())
			.contentType(MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
			.body(this.hours.xlsx(user, node, report));
	}

	@PostMapping("/workforce/imports")
	String importList(CurrentUser user, @RequestParam(required = false) String code,
			@RequestParam(required = false) MultipartFile file, Model model) throws IOException {
		byte[] content = file == null ? new byte[0] : file.getBytes();
		return attempt(model, () -> {
			model.addAttribute("report", this.volunteers.importFile(user, code, content));
			return board(user, code, model);
		}, () -> board(user, code, model));
	}

	@PostMapping("/workforce/rosters")
	String generate(CurrentUser user, @RequestParam(required = false) String code,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) Integer seconds, Model model) {
		return attempt(model,
				() -> "redirect:/workforce/rosters/"
						+ this.rosters.create(user, new Rosters.NewRoster(code, from, to, seconds)).id(),
				() -> board(user, code, model));
	}

	@GetMapping("/workforce/rosters/{id}")
	String grid(CurrentUser user, @PathVariable long id, Model model) {
		Rosters.Grid grid = this.rosters.grid(user, id);
		model.addAttribute("grid", grid);
		Map<Long, String> postNames = new java.util.HashMap<>();
		grid.rows().forEach(row -> postNames.put(row.postId(), row.postName()));
		model.addAttribute("postNames", postNames);
		model.addAttribute("people",
				grid.editable() ? this.volunteers.serving(user, grid.node()) : java.util.List.of());
		if (!model.containsAttribute("form")) {
			model.addAttribute("form", Map.of());
		}
		return "workforce/roster";
	}

	/** The roster to print: a page per post (CSS print), or one post's page. */
	@GetMapping("/workforce/rosters/{id}/print")
	String print(CurrentUser user, @PathVariable long id, @RequestParam(required = false) Long post, Model model) {
		DutyRosterExport.Printable printable = this.export.printable(user, id, post);
		model.addAttribute("grid", printable.grid());
		model.addAttribute("sheets", printable.sheets());
		model.addAttribute("post", post);
		return "workforce/roster-print";
	}

	@GetMapping("/workforce/rosters/{id}/roster.xlsx")
	ResponseEntity<byte[]> rosterXlsx(CurrentUser user, @PathVariable long id,
			@RequestParam(required = false) Long post) {
		byte[] workbook = this.export.xlsx(user, id, post);
		return ResponseEntity.ok()
			.header("Content-Disposition",
					org.springframework.http.ContentDisposition.attachment()
						.filename("roster-" + id + (post == null ? "" : "-post-" + post) + ".xlsx")
						.build()
						.toString())
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
			.body(workbook);
	}

	/**
	 * Runs a change of the roster; a refusal (bad input, a hard rule) shows the grid
	 * again with the message and what was typed, under the form that was used.
	 */
	private String change(CurrentUser user, long id, String which, Map<String, String> form, Model model,
			Supplier<String> action) {
		String message;
		try {
			return action.get();
		}
		catch (InvalidInput ex) {
			message = this.messages.getMessage(ex.messageKey(), ex.args(), ex.messageKey(),
					LocaleContextHolder.getLocale());
		}
		catch (RosterEdits.Refused ex) {
			java.util.Locale locale = LocaleContextHolder.getLocale();
			String rule = this.messages.getMessage("workforce.rule." + ex.rule().name(), null, ex.rule().name(),
					locale);
			message = this.messages.getMessage("workforce.edit.refused", new Object[] { ex.person(), rule },
					"workforce.edit.refused", locale);
		}
		model.addAttribute("changeError", message);
		model.addAttribute("which", which);
		model.addAttribute("form", form);
		return grid(user, id, model);
	}

	private static Long number(String text) {
		try {
			return text == null || text.isBlank() ? null : Long.valueOf(text.strip());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private String changed(long id, RedirectAttributes redirect, String text, java.util.List<Long> seats) {
		redirect.addFlashAttribute("changeDone", text);
		redirect.addFlashAttribute("changedSeats", seats);
		return "redirect:/workforce/rosters/" + id + "#changes";
	}

	private String seatText(RosterEdits.Changed seat) {
		LocalDate day = LocalDate.parse(seat.date());
		return day.getMonthValue()
				+ "/" + day.getDayOfMonth() + " " + this.messages
					.getMessage("workforce.dow." + day.getDayOfWeek().getValue(), null, LocaleContextHolder.getLocale())
				+ " " + seat.start() + "–" + seat.end();
	}

	private String text(String key, Object... args) {
		return this.messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
	}

	/** A manual edit from the grid: one seat to another person. */
	@PostMapping("/workforce/rosters/{id}/edits")
	String edit(CurrentUser user, @PathVariable long id, @RequestParam Map<String, String> form, Model model,
			RedirectAttributes redirect) {
		return change(user, id, "edit", form, model, () -> {
			RosterEdits.Changed seat = this.edits.edit(user, id,
					new RosterEdits.Edit(number(form.get("assignmentId")), number(form.get("volunteerId"))));
			return changed(id, redirect, text("workforce.edit.done", seatText(seat), seat.name()),
					java.util.List.of(seat.assignmentId()));
		});
	}

	/** Two people exchange their seats. */
	@PostMapping("/workforce/rosters/{id}/swaps")
	String swap(CurrentUser user, @PathVariable long id, @RequestParam Map<String, String> form, Model model,
			RedirectAttributes redirect) {
		return change(user, id, "swap", form, model, () -> {
			java.util.List<RosterEdits.Changed> seats = this.edits.swap(user, id,
					new RosterEdits.Swap(number(form.get("first")), number(form.get("second"))));
			RosterEdits.Changed a = seats.get(0);
			RosterEdits.Changed b = seats.get(1);
			return changed(id, redirect, text("workforce.swap.done", b.name(), seatText(b), a.name(), seatText(a)),
					java.util.List.of(a.assignmentId(), b.assignmentId()));
		});
	}

	/**
	 * Leave: without {@code apply} the grid shows the proposed replacements, each seat
	 * with its alternatives to pick from; with it the picks are written.
	 */
	@PostMapping("/workforce/rosters/{id}/leaves")
	String leave(CurrentUser user, @PathVariable long id, @RequestParam Map<String, String> form, Model model,
			RedirectAttributes redirect) {
		return change(user, id, "leave", form, model, () -> {
			boolean apply = "true".equals(form.get("apply"));
			Map<Long, Long> picks = new java.util.HashMap<>();
			form.forEach((name, value) -> {
				if (name.startsWith("pick_") && number(name.substring(5)) != null && number(value) != null) {
					picks.put(number(name.substring(5)), number(value));
				}
			});
			RosterEdits.Leave leave = this.edits.leave(user, id, new RosterEdits.NewLeave(
					number(form.get("volunteerId")), form.get("from"), form.get("to"), form.get("kind"), apply, picks));
			if (!apply) {
				Map<Long, java.util.List<RosterEdits.Alternative>> alternatives = new java.util.HashMap<>();
				leave.alternatives()
					.forEach(a -> alternatives.computeIfAbsent(a.assignmentId(), k -> new java.util.ArrayList<>())
						.add(a));
				model.addAttribute("alternatives", alternatives);
				model.addAttribute("proposal", leave);
				model.addAttribute("which", "leave");
				model.addAttribute("form", form);
				return grid(user, id, model);
			}
			long replaced = leave.proposals().stream().filter(p -> p.volunteerId() != null).count();
			return changed(id, redirect,
					text("workforce.leave.done", leave.proposals().size(), replaced,
							leave.proposals().size() - replaced),
					leave.proposals().stream().map(RosterEdits.Changed::assignmentId).toList());
		});
	}

	@GetMapping("/workforce/posts/{id}/code")
	String postCode(CurrentUser user, @PathVariable long id, Model model) {
		Posts.Post post = this.posts.get(user, id);
		model.addAttribute("post", post);
		model.addAttribute("url", this.links.postUrl(post.qrToken()));
		return "workforce/post-code";
	}

	@GetMapping(path = "/workforce/posts/{id}/code.png", produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> postCodeImage(CurrentUser user, @PathVariable long id) {
		Posts.Post post = this.posts.get(user, id);
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.IMAGE_PNG)
			.body(qrPng(this.links.postUrl(post.qrToken())));
	}

	static byte[] qrPng(String text) {
		return org.fangxian.shared.QrCode.png(text);
	}

	/**
	 * A volunteer as their community worker sees them, with their wishes to read and
	 * change.
	 */
	@GetMapping("/workforce/volunteers/{id}")
	String volunteer(CurrentUser user, @PathVariable long id, Model model) {
		Volunteers.Volunteer volunteer = this.volunteers.get(user, id);
		model.addAttribute("volunteer", volunteer);
		model.addAttribute("node", this.tree.node(user, volunteer.nodeId()));
		model.addAttribute("days",
				java.util.stream.IntStream.rangeClosed(1, 7)
					.filter(day -> (volunteer.availableDays() & (1 << (day - 1))) != 0)
					.boxed()
					.toList());
		preferenceForm(model, () -> PreferenceForm.of(this.preferences.get(user, id)));
		return "workforce/volunteer";
	}

	@PostMapping("/workforce/volunteers/{id}/preferences")
	String changePreferences(CurrentUser user, @PathVariable long id,
			@RequestParam(required = false) java.util.List<String> kinds,
			@RequestParam(required = false) java.util.List<String> slots, @RequestParam(required = false) String other,
			Model model, RedirectAttributes redirect) {
		PreferenceForm form = new PreferenceForm(kinds, slots, other);
		return attempt(model, () -> {
			redirect.addFlashAttribute("preferencesSaved", summary(this.preferences.change(user, id, form.wishes())));
			return "redirect:/workforce/volunteers/" + id + "#preferences";
		}, () -> {
			model.addAttribute("prefs", form);
			return volunteer(user, id, model);
		});
	}

	/** The form's wishes: as typed when refused, else as stored. */
	private static void preferenceForm(Model model, Supplier<PreferenceForm> stored) {
		if (!model.containsAttribute("prefs")) {
			model.addAttribute("prefs", stored.get());
		}
		model.addAttribute("namedTimes", org.fangxian.workforce.internal.DutyPreference.namedTimes());
	}

	/** Saved wishes in words: 意向岗位：卡点、巡逻；意向时段：晚班. */
	private String summary(Preferences.Wishes wishes) {
		String any = text("workforce.preferences.any");
		String kinds = wishes.kinds().isEmpty() ? any
				: String.join("、", wishes.kinds().stream().map(kind -> text("workforce.kind." + kind)).toList());
		String times = wishes.times().isEmpty() ? any : String.join("、", wishes.times());
		return text("workforce.preferences.saved", kinds, times);
	}

	@PostMapping("/workforce/volunteers/{id}/reveal")
	String reveal(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code, Model model) {
		user.require(Permission.REVEAL_PERSONAL_DATA);
		model.addAttribute("revealed", this.volunteers.reveal(user, id));
		return board(user, code, model);
	}

	// ---------------------------------------------------------------- the volunteer's
	// phone, without an account

	@GetMapping("/d/{token}")
	String myShifts(@PathVariable String token, Model model, HttpServletResponse response) {
		Long volunteer = this.links.verify(token).orElse(null);
		String name = volunteer == null ? null : this.attendance.name(volunteer).orElse(null);
		model.addAttribute("name", name);
		if (name != null) {
			model.addAttribute("shifts", this.attendance.shifts(volunteer));
			model.addAttribute("token", token);
			preferenceForm(model, () -> PreferenceForm.of(this.preferences.own(volunteer).orElseThrow()));
			Cookie cookie = new Cookie(DUTY_COOKIE, token);
			cookie.setHttpOnly(true);
			cookie.setPath("/");
			cookie.setMaxAge(60 * 60 * 24 * 60);
			cookie.setAttribute("SameSite", "Lax");
			response.addCookie(cookie);
		}
		return "workforce/my-shifts";
	}

	/**
	 * The volunteer changes their own wishes on the page of their link (the signature is
	 * the authority; the form carries the CSRF token like every form).
	 */
	@PostMapping("/d/{token}")
	String changeMyPreferences(@PathVariable String token, @RequestParam(required = false) java.util.List<String> kinds,
			@RequestParam(required = false) java.util.List<String> slots, @RequestParam(required = false) String other,
			Model model, HttpServletResponse response, RedirectAttributes redirect) {
		Long volunteer = this.links.verify(token).orElse(null);
		if (volunteer == null || this.attendance.name(volunteer).isEmpty()) {
			return myShifts(token, model, response);
		}
		PreferenceForm form = new PreferenceForm(kinds, slots, other);
		return attempt(model, () -> {
			redirect.addFlashAttribute("preferencesSaved",
					summary(this.preferences.changeOwn(volunteer, form.wishes())));
			return "redirect:/d/" + token + "#preferences";
		}, () -> {
			model.addAttribute("prefs", form);
			return myShifts(token, model, response);
		});
	}

	/**
	 * A volunteer signed in with their account: their own shifts and wishes, on the same
	 * page as their texted link (which also lets a post's code know them).
	 */
	@GetMapping("/workforce/mine")
	String mine(CurrentUser user, Model model) {
		return this.attendance.volunteerOfAccount(user.accountId())
			.map(volunteer -> "redirect:/d/" + this.links.token(volunteer))
			.orElseGet(() -> {
				model.addAttribute("notEnrolled", true);
				return "workforce/my-shifts";
			});
	}

	@GetMapping("/p/{code}")
	String post(@PathVariable String code, @CookieValue(name = DUTY_COOKIE, required = false) String duty,
			Model model) {
		Posts.Post post = this.posts.byQrToken(code).orElse(null);
		model.addAttribute("post", post);
		model.addAttribute("code", code);
		Long volunteer = duty == null ? null : this.links.verify(duty).orElse(null);
		model.addAttribute("known", volunteer != null);
		if (post != null && volunteer != null) {
			model.addAttribute("name", this.attendance.name(volunteer).orElse(null));
			Attendance.MyShift shift = this.attendance.current(volunteer, post.id()).orElse(null);
			model.addAttribute("shift", shift);
			model.addAttribute("kit", shift == null ? java.util.List.of() : this.kits.lines(shift.assignmentId()));
			model.addAttribute("myLink", "/d/" + duty);
		}
		return "workforce/post-check-in";
	}

	@PostMapping("/p/{code}")
	String scan(@PathVariable String code, @CookieValue(name = DUTY_COOKIE, required = false) String duty,
			RedirectAttributes redirect) {
		Posts.Post post = this.posts.byQrToken(code).orElse(null);
		Long volunteer = duty == null ? null : this.links.verify(duty).orElse(null);
		if (post != null && volunteer != null) {
			redirect.addFlashAttribute("outcome", this.attendance.scan(volunteer, post.id()).name());
		}
		return "redirect:/p/" + code;
	}

	// ---------------------------------------------------------------- self-registration
	// (public link per node)

	/**
	 * Reads the node a signed registration link names. The link's signature is the
	 * authority, so the lookup is installation-wide; nothing but the node's name is
	 * shown.
	 */
	private static final CurrentUser LINK_READER = new CurrentUser(0, "registration-link", "registration-link",
			org.fangxian.security.Role.VOLUNTEER, null, "/");

	private Node joinNode(String token) {
		return this.links.verifyJoin(token).map(id -> {
			try {
				return this.tree.node(LINK_READER, id);
			}
			catch (org.fangxian.shared.NotFound ex) {
				return null;
			}
		}).orElse(null);
	}

	@GetMapping("/join/{token}")
	String joinForm(@PathVariable String token, Model model) {
		model.addAttribute("node", joinNode(token));
		model.addAttribute("token", token);
		return "workforce/join";
	}

	@PostMapping("/join/{token}")
	String join(@PathVariable String token, @RequestParam(required = false) String name,
			@RequestParam(required = false) String phone, @RequestParam(required = false) String idNumber,
			@RequestParam(required = false) String organisation,
			@RequestParam(required = false) java.util.List<String> skills,
			@RequestParam(required = false) Integer maxShiftsPerWeek,
			@RequestParam(required = false, name = "website") String honeypot, Model model,
			RedirectAttributes redirect) {
		Node node = joinNode(token);
		if (node == null || (honeypot != null && !honeypot.isEmpty())) {
			return joinForm(token, model);
		}
		return attempt(model, () -> {
			Volunteers.Registered outcome = this.volunteers.register(node,
					new Volunteers.Registration(name, phone, idNumber, organisation, skills, maxShiftsPerWeek));
			redirect.addFlashAttribute("registered", outcome.name());
			return "redirect:/join/" + token;
		}, () -> joinForm(token, model));
	}

	@PostMapping("/workforce/volunteers/{id}/approve")
	String approve(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code,
			RedirectAttributes redirect) {
		this.volunteerAccounts.approve(user, id)
			.ifPresent(opened -> redirect.addFlashAttribute("accountOpened", opened.username()));
		return "redirect:/workforce" + (code == null ? "" : "?code=" + code) + "#people";
	}

	/**
	 * Opens the account of an enrolled volunteer (the board's button); a second press
	 * opens nothing more.
	 */
	@PostMapping("/workforce/volunteers/{id}/account")
	String openAccount(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code,
			Model model, RedirectAttributes redirect) {
		return attempt(model, () -> {
			redirect.addFlashAttribute("accountOpened", this.volunteerAccounts.open(user, id).username());
			return "redirect:/workforce" + (code == null ? "" : "?code=" + code) + "#people";
		}, () -> board(user, code, model));
	}

	@PostMapping("/workforce/volunteers/{id}/reject")
	String reject(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code) {
		this.volunteers.decide(user, id, false);
		return "redirect:/workforce" + (code == null ? "" : "?code=" + code);
	}

}
