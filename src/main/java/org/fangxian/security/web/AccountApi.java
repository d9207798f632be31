package org.fangxian.security.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.fangxian.security.AccountService;
import org.fangxian.security.AccountSheetReader;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
 * Integration contract: {@code /api/v1/accounts} — accounts of the caller's subtree,
 * cadre enrolment, own password.
 */
@RestController
@RequestMapping("/api/v1/accounts")
class AccountApi {

	private final AccountService accounts;

	private final AccountSheetReader sheets;

	private final MessageSource messages;

	AccountApi(AccountService accounts, AccountSheetReader sheets, MessageSource messages) {
		this.accounts = accounts;
		this.sheets = sheets;
		this.messages = messages;
	}

	record NewAccountRequest(@NotBlank String username, @NotBlank String displayName, @NotBlank String password,
			@NotNull Role role, @NotNull Long nodeId) {
	}

	record Created(long id) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Created create(CurrentUser user, @Valid @RequestBody NewAccountRequest request) {
		return new Created(this.accounts.create(user, new AccountService.NewAccount(request.username(),
				request.displayName(), request.password(), request.role(), request.nodeId())));
	}

	@GetMapping
	List<AccountService.AccountSummary> list(CurrentUser user) {
		return this.accounts.list(user);
	}

	@PostMapping("/{id}/disable")
	ResponseEntity<Void> disable(CurrentUser user, @PathVariable long id) {
		this.accounts.setEnabled(user, id, false);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/enable")
	ResponseEntity<Void> enable(CurrentUser user, @PathVariable long id) {
		this.accounts.setEnabled(user, id, true);
		return ResponseEntity.noContent().build();
	}

	record RoleChange(@NotNull Role role) {
	}

	@PutMapping("/{id}/role")
	ResponseEntity<Void> role(CurrentUser user, @PathVariable long id, @Valid @RequestBody RoleChange change) {
		this.accounts.changeRole(user, id, change.role());
		return ResponseEntity.noContent().build();
	}

	record NodeChange(@NotNull Long nodeId) {
	}

	@PutMapping("/{id}/node")
	ResponseEntity<Void> node(CurrentUser user, @PathVariable long id, @Valid @RequestBody NodeChange change) {
		this.accounts.moveTo(user, id, change.nodeId());
		return ResponseEntity.noContent().build();
	}

	record TemporaryPassword(String temporaryPassword) {
	}

	/**
	 * The temporary password is in this answer only; the owner must replace it at the
	 * next sign-in.
	 */
	@PostMapping("/{id}/password-reset")
	ResponseEntity<TemporaryPassword> reset(CurrentUser user, @PathVariable long id) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(new TemporaryPassword(this.accounts.resetPassword(user, id)));
	}

	record PasswordChange(String current, @NotBlank String password) {
	}

	@PutMapping("/me/password")
	ResponseEntity<Void> changeOwn(CurrentUser user, @Valid @RequestBody PasswordChange change,
			HttpServletRequest request) {
		this.accounts.changeOwnPassword(user, change.current(), change.password(), request.getRemoteAddr());
		return ResponseEntity.noContent().build();
	}

	/**
	 * Cadres enrolled from a spreadsheet: see {@link AccountService#importAccounts} for
	 * what is opened.
	 */
	@PostMapping(path = "/imports", consumes = "multipart/form-data")
	AccountService.ImportResult importAccounts(CurrentUser user, @RequestParam("file") MultipartFile file) {
		if (file.isEmpty()) {
			throw new InvalidInput("file", "account.import.empty");
		}
		try (InputStream in = file.getInputStream()) {
			return this.accounts.importAccounts(user,
					this.sheets.read(in, file.getOriginalFilename(), AccountService.MAX_IMPORT_ROWS),
					LocaleContextHolder.getLocale());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@ExceptionHandler(AccountService.UsernameTaken.class)
	ProblemDetail taken() {
		return problem(HttpStatus.CONFLICT, "account.username.taken");
	}

	@ExceptionHandler(AccountService.GrantDenied.class)
	ProblemDetail grantDenied() {
		return problem(HttpStatus.FORBIDDEN, "account.grant.denied");
	}

	private ProblemDetail problem(HttpStatus status, String code) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
				this.messages.getMessage(code, null, code, LocaleContextHolder.getLocale()));
		problem.setProperty("code", code);
		if (status == HttpStatus.CONFLICT) {
			problem.setProperty("errors",
					List.of(Map.of("field", "username", "code", code, "message", problem.getDetail())));
		}
		return problem;
	}

}
