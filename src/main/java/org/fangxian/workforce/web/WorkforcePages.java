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

	WorkforcePages(Volunteers volunteers, Teams teams, Posts posts, Rosters rosters, Attendance attendance,
			DutyLinks links, org.fangxian.registry.DivisionTree tree, MessageSource messages, Kits kits,
			org.fangxian.workforce.internal.Hours hours, java.time.Clock clock) {
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
		model.addAttribute("grid", this.rosters.grid(user, id));
		return "workforce/roster";
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
			Cookie cookie = new Cookie(DUTY_COOKIE, token);
			cookie.setHttpOnly(true);
			cookie.setPath("/");
			cookie.setMaxAge(60 * 60 * 24 * 60);
			cookie.setAttribute("SameSite", "Lax");
			response.addCookie(cookie);
		}
		return "workforce/my-shifts";
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
	String approve(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code) {
		this.volunteers.decide(user, id, true);
		return "redirect:/workforce" + (code == null ? "" : "?code=" + code);
	}

	@PostMapping("/workforce/volunteers/{id}/reject")
	String reject(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String code) {
		this.volunteers.decide(user, id, false);
		return "redirect:/workforce" + (code == null ? "" : "?code=" + code);
	}

}
