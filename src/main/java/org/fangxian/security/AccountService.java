package org.fangxian.security;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.fangxian.shared.InvalidInput;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating and listing accounts, always within the creator's jurisdiction. */
@Service
public class AccountService {

	private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

	private final Accounts accounts;

	private final PasswordEncoder passwordEncoder;

	private final ApiTokens tokens;

	AccountService(Accounts accounts, PasswordEncoder passwordEncoder, ApiTokens tokens) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.tokens = tokens;
	}

	/** A request to open an account bound to one node of the jurisdiction tree. */
	public record NewAccount(String username, String displayName, String password, Role role, Long nodeId) {
	}

	/** An account as listed to administrators; never carries the password hash. */
	public record AccountSummary(long id, String username, String displayName, Role role, Long nodeId,
			boolean enabled, boolean locked) {
	}

	@Transactional
	public long create(CurrentUser creator, NewAccount request) {
		creator.require(Permission.MANAGE_ACCOUNTS);
		if (!creator.role().mayGrant(request.role())) {
			throw new org.springframework.security.access.AccessDeniedException("role may not be granted");
		}
		if (request.nodeId() == null) {
			throw new InvalidInput("nodeId", "account.node.required");
		}
		String path = this.accounts.nodePath(request.nodeId())
			.orElseThrow(() -> new InvalidInput("nodeId", "account.node.unknown"));
		creator.requireCovers(path);
		if (request.password() == null || request.password().length() < 10) {
			throw new InvalidInput("password", "account.password.short");
		}
		try {
			return this.accounts.insert(request.username().trim(), request.displayName().trim(),
					this.passwordEncoder.encode(request.password()), request.role(), request.nodeId());
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInput("username", "account.username.taken");
		}
	}

	public List<AccountSummary> list(CurrentUser viewer) {
		viewer.require(Permission.MANAGE_ACCOUNTS);
		var now = java.time.Instant.now();
		return this.accounts.findWithin(viewer.scopePattern())
			.stream()
			.map(a -> new AccountSummary(a.id(), a.username(), a.displayName(), a.role(), a.nodeId(), a.enabled(),
					a.lockedAt(now)))
			.toList();
	}

	@Transactional
	public void setEnabled(CurrentUser admin, long accountId, boolean enabled) {
		admin.require(Permission.MANAGE_ACCOUNTS);
		var account = this.accounts.findById(accountId).orElseThrow(() -> new org.fangxian.shared.NotFound("account.unknown"));
		admin.requireCovers(account.scopePath());
		this.accounts.setEnabled(accountId, enabled);
		if (!enabled) {
			this.tokens.revokeAll(accountId);
			this.accounts.endSessions(account.username());
		}
	}

	/** Creates the first administrator of an empty installation; returns false if any account exists. */
	@Transactional
	boolean createFirstAdministrator(String username, String password) {
		if (!this.accounts.isEmpty()) {
			return false;
		}
		this.accounts.insert(username, "管理员 Administrator", this.passwordEncoder.encode(password), Role.HQ_ADMIN, null);
		return true;
	}

	/**
	 * The installation's first administrator, for work done at start-up in an administrator's name
	 * (the demo district): the audit trail then names a real account, not an invented one.
	 */
	public Optional<CurrentUser> firstAdministrator() {
		// "/" without a wildcard matches exactly the accounts bound to no node: installation-wide ones.
		return this.accounts.findWithin("/")
			.stream()
			.filter(a -> a.role() == Role.HQ_ADMIN && a.enabled())
			.min(Comparator.comparingLong(Accounts.AccountRow::id))
			.map(Accounts.AccountRow::toCurrentUser);
	}

	/** A password for a new account that nobody chose, so there is no default anyone could guess. */
	public static String generatePassword() {
		SecureRandom random = new SecureRandom();
		StringBuilder password = new StringBuilder();
		for (int i = 0; i < 16; i++) {
			password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
		}
		return password.toString();
	}

}
