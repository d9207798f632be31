package org.fangxian.security.web;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.fangxian.security.AccountService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.security.internal.AccountDetails;
import org.fangxian.security.internal.PasswordChangeGate;
import org.fangxian.security.internal.Usernames;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.web.PageMessages;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Login page, one's own password, and account administration (same rules as the API:
 * AccountService).
 */
@Controller
class SecurityPages {

	private final AccountService accounts;

	private final PageMessages pages;

	private final JdbcClient jdbc;

	SecurityPages(AccountService accounts, PageMessages pages, JdbcClient jdbc) {
		this.accounts = accounts;
		this.pages = pages;
		this.jdbc = jdbc;
	}

	@GetMapping("/login")
	String login() {
		return "login";
	}

	record NodeChoice(long id, String label) {
	}

	/**
	 * Roles the user may hand out, the least powerful first: the form's default is the
	 * safest choice.
	 */
	static List<Role> grantable(CurrentUser user) {
		return Arrays.stream(Role.values())
			.filter(r -> user.role().includes(r))
			.sorted(Comparator.comparingInt(Role::weight))
			.toList();
	}

	@GetMapping("/accounts")
	String list(CurrentUser user, Model model) {
		model.addAttribute("accounts", this.accounts.list(user));
		model.addAttribute("roles", grantable(user));
		model.addAttribute("nodes", nodes(user));
		// The caller's own jurisdiction: new accounts can only be bound inside it.
		model.addAttribute("ownJurisdiction",
				user.nodeId() == null ? null
						: this.jdbc.sql("select name from registry_division where id = :id")
							.param("id", user.nodeId())
							.query(String.class)
							.optional()
							.orElse(null));
		return "security/accounts";
	}

	/**
	 * Accounts are bound to district, street or community nodes; deeper levels are not
	 * jurisdictions.
	 */
	private List<NodeChoice> nodes(CurrentUser user) {
		return this.jdbc.sql("""
				select id, name as label from registry_division
				where path like :scope and kind in ('PROVINCE', 'CITY', 'DISTRICT', 'STREET', 'COMMUNITY')
				order by path limit 2000""").param("scope", user.scopePattern()).query(NodeChoice.class).list();
	}

	@PostMapping("/accounts")
	String create(CurrentUser user, @RequestParam String username, @RequestParam String displayName,
			@RequestParam String password, @RequestParam Role role, @RequestParam(required = false) Long nodeId,
			Model model, RedirectAttributes redirect) {
		try {
			return this.pages.submit(model, () -> {
				this.accounts.create(user,
						new AccountService.NewAccount(username, displayName, password, role, nodeId));
				redirect.addFlashAttribute("created", Usernames.normalise(username));
				return "redirect:/accounts";
			}, () -> again(user, model, new Form(username, displayName, role, nodeId)));
		}
		catch (AccountService.UsernameTaken ex) {
			model.addAttribute("error", this.pages.text("account.username.taken"));
			model.addAttribute("field", "username");
			return again(user, model, new Form(username, displayName, role, nodeId));
		}
	}

	/** The accounts page once more, with what was typed into the new-account form. */
	private String again(CurrentUser user, Model model, Form form) {
		model.addAttribute("form", form);
		return list(user, model);
	}

	/**
	 * What was typed into the new-account form, shown again after an error (never the
	 * password).
	 */
	record Form(String username, String displayName, Role role, Long nodeId) {
	}

	@GetMapping("/accounts/{id}")
	String account(CurrentUser user, @PathVariable long id, Model model) {
		AccountService.AccountSummary account = this.accounts.find(user, id);
		model.addAttribute("account", account);
		model.addAttribute("roles", grantable(user));
		model.addAttribute("nodes", nodes(user));
		model.addAttribute("mayChange", account.id() != user.accountId() && user.role().includes(account.role()));
		return "security/account";
	}

	@PostMapping("/accounts/{id}/enabled")
	String enable(CurrentUser user, @PathVariable long id, @RequestParam boolean enabled, RedirectAttributes redirect) {
		this.accounts.setEnabled(user, id, enabled);
		redirect.addFlashAttribute("done",
				this.pages.text(enabled ? "accounts.done.enabled" : "accounts.done.disabled"));
		return "redirect:/accounts";
	}

	@PostMapping("/accounts/{id}/role")
	String role(CurrentUser user, @PathVariable long id, @RequestParam Role role, RedirectAttributes redirect) {
		this.accounts.changeRole(user, id, role);
		redirect.addFlashAttribute("done", this.pages.text("accounts.done.role"));
		return "redirect:/accounts/" + id;
	}

	@PostMapping("/accounts/{id}/node")
	String node(CurrentUser user, @PathVariable long id, @RequestParam Long nodeId, RedirectAttributes redirect) {
		this.accounts.moveTo(user, id, nodeId);
		redirect.addFlashAttribute("done", this.pages.text("accounts.done.node"));
		return "redirect:/accounts/" + id;
	}

	/**
	 * Shows the temporary password once, on this answer only (not a redirect, so it is
	 * kept nowhere).
	 */
	@PostMapping("/accounts/{id}/password-reset")
	String reset(CurrentUser user, @PathVariable long id, Model model) {
		String temporary = this.accounts.resetPassword(user, id);
		model.addAttribute("temporaryPassword", temporary);
		return account(user, id, model);
	}

	@GetMapping(PasswordChangeGate.PAGE)
	String passwordForm(CurrentUser user, Model model) {
		model.addAttribute("forced", mustChange());
		return "security/password";
	}

	@PostMapping(PasswordChangeGate.PAGE)
	String changePassword(CurrentUser user, @RequestParam String current, @RequestParam String password,
			@RequestParam String repeat, HttpServletRequest request, Model model, RedirectAttributes redirect) {
		return this.pages.submit(model, () -> {
			if (!password.equals(repeat)) {
				throw new InvalidInput("repeat", "account.password.repeat");
			}
			this.accounts.changeOwnPassword(user, current, password, request.getRemoteAddr());
			released(request, user);
			redirect.addFlashAttribute("done", this.pages.text("account.password.changed"));
			return "redirect:/";
		}, () -> {
			model.addAttribute("forced", mustChange());
			return "security/password";
		});
	}

	/**
	 * The session's principal no longer carries the forced change, so the gate stops
	 * asking the database.
	 */
	private static void released(HttpServletRequest request, CurrentUser user) {
		Authentication old = SecurityContextHolder.getContext().getAuthentication();
		if (old == null || !(old.getPrincipal() instanceof AccountDetails details) || !details.mustChangePassword()) {
			return;
		}
		AccountDetails now = new AccountDetails(user, false);
		UsernamePasswordAuthenticationToken authentication = UsernamePasswordAuthenticationToken.authenticated(now,
				null, now.getAuthorities());
		authentication.setDetails(old.getDetails());
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		SecurityContextHolder.setContext(context);
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
		}
	}

	private static boolean mustChange() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.getPrincipal() instanceof AccountDetails details
				&& details.mustChangePassword();
	}

	/**
	 * Puts the signed-in user into every page's model as {@code me}, after the handler
	 * and before the view renders. Not a global {@code @ModelAttribute}: that ran for
	 * every API call too ({@code @ControllerAdvice(annotations = Controller.class)} also
	 * matches {@code @RestController}), about 3 % of a gate scan's CPU
	 * (docs/benchmarks.md). A JSON answer has no view, so the API pays one null check;
	 * redirects carry no model, as before.
	 */
	@org.springframework.stereotype.Component
	static class CurrentUserModel implements org.springframework.web.servlet.HandlerInterceptor,
			org.springframework.web.servlet.config.annotation.WebMvcConfigurer {

		@Override
		public void addInterceptors(org.springframework.web.servlet.config.annotation.InterceptorRegistry registry) {
			registry.addInterceptor(this);
		}

		@Override
		public void postHandle(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
				Object handler, org.springframework.web.servlet.ModelAndView view) {
			if (view == null || !view.hasView()
					|| view.getView() instanceof org.springframework.web.servlet.view.RedirectView
					|| (view.getViewName() != null && view.getViewName().startsWith("redirect:"))
					|| view.getModelMap().containsAttribute("me")) {
				return;
			}
			CurrentUser me = me();
			if (me != null) {
				view.addObject("me", me);
			}
		}

		static CurrentUser me() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return authentication != null && authentication.getPrincipal() instanceof AccountDetails details
					? details.user() : null;
		}

	}

}
