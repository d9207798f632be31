package org.fangxian.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.fangxian.security.internal.Accounts;
import org.fangxian.security.internal.ApiTokens;
import org.fangxian.security.internal.LoginThrottle;
import org.fangxian.security.internal.PasswordPolicy;
import org.fangxian.security.internal.Usernames;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PhoneNumber;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opening, listing and changing accounts. One rule guards every change: the actor needs
 * {@link Permission#MANAGE_ACCOUNTS}, the account (before and after the change) must lie
 * inside the actor's subtree, and its role's permissions must all be the actor's own
 * ({@link Role#includes}), so nobody gains through an account they made a right they do
 * not hold. Each change is an {@link AccountChanged} event on the audit trail, naming who
 * did it.
 */
@Service
public class AccountService {

	private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

	/**
	 * Cadre spreadsheets come in batches of 50-300; a bound keeps one file to one
	 * transaction's worth.
	 */
	public static final int MAX_IMPORT_ROWS = 1_000;

	private final Accounts accounts;

	private final PasswordEncoder passwordEncoder;

	private final ApiTokens tokens;

	private final PasswordPolicy policy;

	private final LoginThrottle throttle;

	private final PersonalDataProtection protection;

	private final ApplicationEventPublisher events;

	private final MessageSource messages;

	private final Clock clock;

	AccountService(Accounts accounts, PasswordEncoder passwordEncoder, ApiTokens tokens, PasswordPolicy policy,
			LoginThrottle throttle, PersonalDataProtection protection, ApplicationEventPublisher events,
			MessageSource messages, Clock clock) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.tokens = tokens;
		this.policy = policy;
		this.throttle = throttle;
		this.protection = protection;
		this.events = events;
		this.messages = messages;
		this.clock = clock;
	}

	/**
	 * Who did something, by account id: the display name (else the user name) for other
	 * modules' records (e.g. the worker who knocked at a door), so they need not read the
	 * account table.
	 */
	public java.util.Map<Long, String> displayNames(java.util.Collection<Long> accountIds) {
		return this.accounts.displayNames(accountIds);
	}

	/**
	 * The jurisdiction (its materialized path) of an account bound inside the user's:
	 * whom the user may name in their work (a task's assignee). Empty for an account
	 * elsewhere, as for one that does not exist.
	 */
	public Optional<String> scopeWithin(CurrentUser user, long accountId) {
		return this.accounts.findById(accountId).map(Accounts.AccountRow::scopePath).filter(user::covers);
	}

	/** A request to open an account bound to one node of the jurisdiction tree. */
	public record NewAccount(String username, String displayName, String password, Role role, Long nodeId) {
	}

	/**
	 * An account as listed to administrators; never carries the password hash or the
	 * phone number.
	 */
	public record AccountSummary(long id, String username, String displayName, Role role, Long nodeId, String nodeName,
			boolean enabled, boolean locked, boolean mustChangePassword, String phoneMasked) {
	}

	/**
	 * The user name is taken, after normalisation ({@code ADMIN} and {@code Ａｄｍｉｎ} are
	 * {@code admin}).
	 */
	public static class UsernameTaken extends RuntimeException {

		public UsernameTaken() {
			super("account.username.taken");
		}

	}

	/**
	 * The actor may not give or change this role or jurisdiction (see
	 * {@link Role#includes}).
	 */
	public static class GrantDenied extends AccessDeniedException {

		public GrantDenied() {
			super("account.grant.denied");
		}

	}

	/**
	 * @throws UsernameTaken, GrantDenied, OutsideJurisdictionException, InvalidInput
	 */
	@Transactional
	public long create(CurrentUser creator, NewAccount request) {
		String username = checkNew(creator, request.username(), request.displayName(), request.role(),
				request.nodeId());
		this.policy.check(request.password(), username, request.displayName());
		long id = insert(creator, username, request.displayName().strip(), request.password(), request.role(),
				request.nodeId(), null, false);
		changed(creator, "ACCOUNT_CREATED", id,
				"user name " + username + ", role " + request.role() + ", node " + request.nodeId());
		return id;
	}

	/** A volunteer's account just opened and the temporary password to send them. */
	public record OpenedVolunteer(long accountId, String temporaryPassword) {
	}

	/**
	 * The one account someone without {@link Permission#MANAGE_ACCOUNTS} may open: a
	 * VOLUNTEER for a person they approved for duty, at a node they cover, if they hold
	 * every right a volunteer has. The password is temporary and must be changed at the
	 * first sign-in; the approver is the actor in the audit.
	 * @throws UsernameTaken, GrantDenied, OutsideJurisdictionException, InvalidInput
	 */
	@Transactional
	public OpenedVolunteer openVolunteerAccount(CurrentUser approver, String username, String displayName,
			long nodeId) {
		approver.require(Permission.MANAGE_WORKFORCE);
		String normalised = checkNames(username, displayName);
		requireGrantable(approver, Role.VOLUNTEER, nodeId);
		String temporary = generatePassword();
		long id = insert(approver, normalised, displayName.strip(), temporary, Role.VOLUNTEER, nodeId, null, true);
		changed(approver, "ACCOUNT_CREATED", id,
				"user name " + normalised + ", role " + Role.VOLUNTEER + ", node " + nodeId + ", approved volunteer");
		return new OpenedVolunteer(id, temporary);
	}

	/** The checks of a new account; @return the normalised user name */
	private String checkNew(CurrentUser creator, String typedUsername, String displayName, Role role, Long nodeId) {
		creator.require(Permission.MANAGE_ACCOUNTS);
		String username = checkNames(typedUsername, displayName);
		if (role == null) {
			throw new InvalidInput("role", "account.role.required");
		}
		requireGrantable(creator, role, nodeId);
		return username;
	}

	private static String checkNames(String typedUsername, String displayName) {
		String username = Usernames.normalise(typedUsername);
		if (!Usernames.isValid(username)) {
			throw new InvalidInput("username", "account.username.invalid");
		}
		if (displayName == null || displayName.isBlank() || displayName.strip().length() > 100) {
			throw new InvalidInput("displayName", "account.displayName.invalid");
		}
		return username;
	}

	private void requireGrantable(CurrentUser actor, Role role, Long nodeId) {
		if (nodeId == null) {
			throw new InvalidInput("nodeId", "account.node.required");
		}
		String path = this.accounts.nodePath(nodeId)
			.orElseThrow(() -> new InvalidInput("nodeId", "account.node.unknown"));
		actor.requireCovers(path);
		if (!actor.role().includes(role)) {
			throw new GrantDenied();
		}
	}

	private long insert(CurrentUser creator, String username, String displayName, String password, Role role,
			Long nodeId, PhoneNumber phone, boolean mustChange) {
		try {
			long id = this.accounts.insert(username, displayName, this.passwordEncoder.encode(password), role, nodeId,
					creator == null ? null : creator.accountId(),
					phone == null ? null : this.protection.encrypt(phone.value()),
					phone == null ? null : phone.masked(), mustChange);
			return id;
		}
		catch (DuplicateKeyException ex) {
			throw new UsernameTaken();
		}
	}

	public List<AccountSummary> list(CurrentUser viewer) {
		viewer.require(Permission.MANAGE_ACCOUNTS);
		var now = this.clock.instant();
		return this.accounts.findWithin(viewer.scopePattern())
			.stream()
			.map(a -> new AccountSummary(a.id(), a.username(), a.displayName(), a.role(), a.nodeId(), a.nodeName(),
					a.enabled(), this.throttle.anyLock(Usernames.normalise(a.username()), now), a.mustChangePassword(),
					a.phoneMasked()))
			.toList();
	}

	/** One account of the viewer's subtree. */
	public AccountSummary find(CurrentUser viewer, long accountId) {
		viewer.require(Permission.MANAGE_ACCOUNTS);
		Accounts.AccountRow a = this.accounts.findById(accountId).orElseThrow(() -> new NotFound("account.unknown"));
		viewer.requireCovers(a.scopePath());
		return new AccountSummary(a.id(), a.username(), a.displayName(), a.role(), a.nodeId(), a.nodeName(),
				a.enabled(), this.throttle.anyLock(Usernames.normalise(a.username()), this.clock.instant()),
				a.mustChangePassword(), a.phoneMasked());
	}

	/** The account an administrator means to change, if they may change it at all. */
	private Accounts.AccountRow managed(CurrentUser admin, long accountId) {
		admin.require(Permission.MANAGE_ACCOUNTS);
		Accounts.AccountRow account = this.accounts.findById(accountId)
			.orElseThrow(() -> new NotFound("account.unknown"));
		admin.requireCovers(account.scopePath());
		if (!admin.role().includes(account.role())) {
			throw new GrantDenied();
		}
		// One's own account changes through one's own password page, never by these
		// levers.
		if (account.id() == admin.accountId()) {
			throw new AccessDeniedException("account.self");
		}
		return account;
	}

	@Transactional
	public void setEnabled(CurrentUser admin, long accountId, boolean enabled) {
		Accounts.AccountRow account = managed(admin, accountId);
		this.accounts.setEnabled(accountId, enabled);
		if (!enabled) {
			signOut(account);
		}
		changed(admin, enabled ? "ACCOUNT_ENABLED" : "ACCOUNT_DISABLED", accountId, "user name " + account.username());
	}

	@Transactional
	public void changeRole(CurrentUser admin, long accountId, Role role) {
		Accounts.AccountRow account = managed(admin, accountId);
		if (role == null) {
			throw new InvalidInput("role", "account.role.required");
		}
		requireGrantable(admin, role, account.nodeId());
		this.accounts.setRole(accountId, role);
		// Sessions and tokens carry the old role: end them so the new one applies at
		// once.
		signOut(account);
		changed(admin, "ACCOUNT_ROLE_CHANGED", accountId, account.role() + " → " + role);
	}

	@Transactional
	public void moveTo(CurrentUser admin, long accountId, Long nodeId) {
		Accounts.AccountRow account = managed(admin, accountId);
		requireGrantable(admin, account.role(), nodeId);
		this.accounts.setNode(accountId, nodeId);
		signOut(account);
		changed(admin, "ACCOUNT_MOVED", accountId, "node " + account.nodeId() + " → " + nodeId);
	}

	/**
	 * Gives the account a generated password its owner must replace at the next sign-in;
	 * signs it out everywhere. @return the temporary password, to hand over once
	 */
	@Transactional
	public String resetPassword(CurrentUser admin, long accountId) {
		Accounts.AccountRow account = managed(admin, accountId);
		String temporary = generatePassword();
		this.accounts.updatePassword(accountId, this.passwordEncoder.encode(temporary), true);
		signOut(account);
		changed(admin, "ACCOUNT_PASSWORD_RESET", accountId, "user name " + account.username());
		return temporary;
	}

	/**
	 * The signed-in account's own new password. The current one must be given (a borrowed
	 * session alone cannot take the account over); wrong answers count towards the same
	 * throttle as sign-ins.
	 */
	@Transactional(noRollbackFor = InvalidInput.class)
	public void changeOwnPassword(CurrentUser user, String current, String password, String clientAddress) {
		Accounts.AccountRow account = this.accounts.findById(user.accountId())
			.orElseThrow(() -> new NotFound("account.unknown"));
		String key = Usernames.normalise(account.username());
		var now = this.clock.instant();
		boolean throttled = this.throttle.isLocked(key, clientAddress, now);
		if (throttled || current == null || !this.passwordEncoder.matches(current, account.passwordHash())) {
			if (!throttled) {
				this.throttle.recordFailure(key, clientAddress, now);
			}
			throw new InvalidInput("current", "account.password.currentWrong");
		}
		this.policy.check(password, account.username(), account.displayName());
		if (this.passwordEncoder.matches(password, account.passwordHash())) {
			throw new InvalidInput("password", "account.password.same");
		}
		this.accounts.updatePassword(account.id(), this.passwordEncoder.encode(password), false);
		changed(user, "ACCOUNT_PASSWORD_CHANGED", account.id(), "own password");
	}

	private void signOut(Accounts.AccountRow account) {
		this.tokens.revokeAll(account.id());
		this.accounts.endSessions(account.username());
	}

	private void changed(CurrentUser actor, String action, long accountId, String detail) {
		this.events.publishEvent(new AccountChanged(actor == null ? "system" : actor.username(),
				actor == null ? null : actor.accountId(), action, accountId, detail));
	}

	// ---------------------------------------------------------------- enrolment from a
	// spreadsheet

	/** A row refused, with a translated reason. */
	public record Rejected(int row, String reason) {
	}

	/**
	 * @param accepted accounts opened now (each gets its password by text)
	 * @param unchanged rows naming an account that already exists with the same role and
	 * jurisdiction (a file imported again): nothing is opened or texted for them
	 */
	public record ImportResult(int accepted, int unchanged, List<Rejected> rejected) {
	}

	/**
	 * Opens the accounts of a cadre spreadsheet, row by row: valid rows are opened
	 * together in this one transaction, each invalid row is reported with its reason and
	 * opens nothing. Each row passes the same checks as {@link #create}. Initial
	 * passwords are generated and texted to each cadre's phone
	 * ({@link InitialPasswordIssued}), to be changed at the first sign-in; they are never
	 * returned.
	 */
	@Transactional
	public ImportResult importAccounts(CurrentUser admin, List<AccountSheetReader.SheetRow> rows, Locale locale) {
		admin.require(Permission.MANAGE_ACCOUNTS);
		if (rows.size() > MAX_IMPORT_ROWS) {
			throw new InvalidInput("file", "account.import.tooManyRows", MAX_IMPORT_ROWS);
		}
		Map<String, Role> roles = roleNames();
		Set<String> seen = new HashSet<>();
		int accepted = 0;
		int unchanged = 0;
		List<Rejected> rejected = new ArrayList<>();
		for (AccountSheetReader.SheetRow row : rows) {
			try {
				String name = row.name() == null ? "" : row.name().strip();
				PhoneNumber phone = PhoneNumber.parse(row.phone())
					.filter(PhoneNumber::mobile)
					.orElseThrow(() -> new InvalidInput("phone", "account.import.phone"));
				Role role = roles.get(roleKey(row.role()));
				if (role == null) {
					throw new InvalidInput("role", "account.import.role", row.role());
				}
				Accounts.NodeRef node = nodeOfCode(row.nodeCode())
					.orElseThrow(() -> new InvalidInput("nodeId", "account.import.node", row.nodeCode()));
				String username = checkNew(admin, row.username(), name, role, node.id());
				if (!seen.add(username)) {
					throw new InvalidInput("username", "account.import.repeated");
				}
				Optional<Accounts.AccountRow> existing = this.accounts.findByUsername(username);
				if (existing.isPresent()) {
					if (existing.get().role() == role && Long.valueOf(node.id()).equals(existing.get().nodeId())) {
						unchanged++;
						continue;
					}
					throw new UsernameTaken();
				}
				String password = generatePassword();
				long id = insert(admin, username, name, password, role, node.id(), phone, true);
				changed(admin, "ACCOUNT_CREATED", id,
						"imported: user name " + username + ", role " + role + ", node " + node.id());
				this.events.publishEvent(new InitialPasswordIssued(id, username, phone, password, node.path()));
				accepted++;
			}
			catch (InvalidInput ex) {
				rejected.add(new Rejected(row.row(),
						this.messages.getMessage(ex.messageKey(), ex.args(), ex.messageKey(), locale)));
			}
			catch (UsernameTaken ex) {
				rejected.add(new Rejected(row.row(), text("account.username.taken", locale)));
			}
			catch (CurrentUser.OutsideJurisdictionException ex) {
				rejected.add(new Rejected(row.row(), text("error.outsideJurisdiction", locale)));
			}
			catch (GrantDenied ex) {
				rejected.add(new Rejected(row.row(), text("account.grant.denied", locale)));
			}
		}
		return new ImportResult(accepted, unchanged, rejected);
	}

	private String text(String key, Locale locale) {
		return this.messages.getMessage(key, null, key, locale);
	}

	/**
	 * Division codes as people write them: 6 (district), 9 (street) or 12 digits, padded
	 * to the stored 12.
	 */
	private Optional<Accounts.NodeRef> nodeOfCode(String code) {
		String digits = code == null ? "" : code.strip();
		if (!digits.matches("\\d{6}|\\d{9}|\\d{12}")) {
			return Optional.empty();
		}
		return this.accounts.nodeByCode((digits + "000000").substring(0, 12));
	}

	/**
	 * Roles by code (COMMUNITY_WORKER) and by their Chinese and English names (社区工作者).
	 */
	private Map<String, Role> roleNames() {
		Map<String, Role> names = new HashMap<>();
		for (Role role : Role.values()) {
			names.put(roleKey(role.name()), role);
			for (Locale locale : List.of(Locale.SIMPLIFIED_CHINESE, Locale.ENGLISH)) {
				String name = this.messages.getMessage(role.messageKey(), null, null, locale);
				if (name != null) {
					names.putIfAbsent(roleKey(name), role);
				}
			}
		}
		return names;
	}

	private static String roleKey(String text) {
		return text == null ? "" : Usernames.normalise(text).replaceAll("[\\s_\\-]", "");
	}

	// ---------------------------------------------------------------- start-up

	/**
	 * Creates the first administrator of an empty installation; returns false if any
	 * account exists.
	 */
	@Transactional
	public boolean createFirstAdministrator(String username, String password) {
		// Nodes started together on an empty database: one opens the account, the others
		// wait and then find it (without the lock the second insert failed its start).
		this.accounts.lockForFirstStart();
		if (!this.accounts.isEmpty()) {
			return false;
		}
		long id = this.accounts.insert(username, "管理员 Administrator", this.passwordEncoder.encode(password),
				Role.HQ_ADMIN, null, null, null, null, false);
		changed(null, "ACCOUNT_CREATED", id, "first administrator");
		return true;
	}

	/**
	 * The installation's first administrator, for work done at start-up in an
	 * administrator's name (the demo district): the audit trail then names a real
	 * account, not an invented one.
	 */
	public Optional<CurrentUser> firstAdministrator() {
		// "/" without a wildcard matches exactly the accounts bound to no node:
		// installation-wide ones.
		return this.accounts.findWithin("/")
			.stream()
			.filter(a -> a.role() == Role.HQ_ADMIN && a.enabled())
			.min(Comparator.comparingLong(Accounts.AccountRow::id))
			.map(Accounts.AccountRow::toCurrentUser);
	}

	/**
	 * A password for a new account that nobody chose, so there is no default anyone could
	 * guess.
	 */
	public static String generatePassword() {
		SecureRandom random = new SecureRandom();
		StringBuilder password = new StringBuilder();
		for (int i = 0; i < 16; i++) {
			password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
		}
		return password.toString();
	}

}
