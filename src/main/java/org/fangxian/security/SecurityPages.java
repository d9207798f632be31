package org.fangxian.security;

import org.fangxian.shared.InvalidInput;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Login page and account administration. */
@Controller
class SecurityPages {

	private final AccountService accounts;

	private final MessageSource messages;

	private final JdbcClient jdbc;

	SecurityPages(AccountService accounts, MessageSource messages, JdbcClient jdbc) {
		this.accounts = accounts;
		this.messages = messages;
		this.jdbc = jdbc;
	}

	@GetMapping("/login")
	String login() {
		return "login";
	}

	record NodeChoice(long id, String label) {
	}

	@GetMapping("/accounts")
	String list(CurrentUser user, Model model) {
		model.addAttribute("accounts", this.accounts.list(user));
		model.addAttribute("roles", java.util.Arrays.stream(Role.values()).filter(r -> user.role().mayGrant(r)).toList());
		// Accounts are bound to district, street or community nodes; deeper levels are not jurisdictions.
		model.addAttribute("nodes", this.jdbc.sql("""
				select id, name || ' (' || kind || ')' as label from division_node
				where path like :scope and kind in ('PROVINCE', 'CITY', 'DISTRICT', 'STREET', 'COMMUNITY')
				order by path limit 2000""").param("scope", user.scopePattern()).query(NodeChoice.class).list());
		return "security/accounts";
	}

	@PostMapping("/accounts")
	String create(CurrentUser user, @RequestParam String username, @RequestParam String displayName,
			@RequestParam String password, @RequestParam Role role, @RequestParam(required = false) Long nodeId,
			Model model) {
		try {
			this.accounts.create(user, new AccountService.NewAccount(username, displayName, password, role, nodeId));
			return "redirect:/accounts";
		}
		catch (InvalidInput ex) {
			model.addAttribute("error", this.messages.getMessage(ex.messageKey(), ex.args(), ex.messageKey(),
					LocaleContextHolder.getLocale()));
			return list(user, model);
		}
	}

	@PostMapping("/accounts/{id}/enabled")
	String enable(CurrentUser user, @PathVariable long id, @RequestParam boolean enabled) {
		this.accounts.setEnabled(user, id, enabled);
		return "redirect:/accounts";
	}

	/** Puts the signed-in user into every page's model as {@code me}. */
	@ControllerAdvice
	static class CurrentUserModel {

		@ModelAttribute("me")
		CurrentUser me() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return authentication != null && authentication.getPrincipal() instanceof AccountDetails details
					? details.user() : null;
		}

	}

}
