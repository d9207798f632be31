package org.fangxian.workforce.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fangxian.notification.Outbox;
import org.fangxian.security.AccountService;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.Role;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PhoneNumber;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accounts for approved volunteers (志愿者账号): opened through security's accounts facade
 * ({@link AccountService}) with the role VOLUNTEER at the volunteer's own node, a
 * temporary password to change at the first sign-in, texted through the outbox. One
 * account per person: the volunteer's row is locked and keeps the account's id, so a
 * second approval or click opens nothing. Opening and the password are audited by
 * security (ACCOUNT_CREATED, ACCOUNT_PASSWORD_RESET, by the worker's account).
 */
@Service
public class VolunteerAccounts {

	private final JdbcClient jdbc;

	private final AccountService accounts;

	private final PersonalDataProtection protection;

	private final Outbox outbox;

	private final Volunteers volunteers;

	VolunteerAccounts(JdbcClient jdbc, AccountService accounts, PersonalDataProtection protection, Outbox outbox,
			Volunteers volunteers) {
		this.jdbc = jdbc;
		this.accounts = accounts;
		this.protection = protection;
		this.outbox = outbox;
		this.volunteers = volunteers;
	}

	/**
	 * @param created false when the person already had their account
	 */
	public record Opened(long volunteerId, long accountId, String username, boolean created) {
	}

	/** The user name of a volunteer's account: fixed by the person, so never two. */
	static String username(long volunteerId) {
		return "volunteer" + volunteerId;
	}

	/**
	 * Approves a self-registration and opens the person's account when it can be opened
	 * (a mobile phone to text, a worker who may grant the role); otherwise the approval
	 * stands and the board offers the account's button.
	 */
	@Transactional
	public Optional<Opened> approve(CurrentUser user, long volunteerId) {
		this.volunteers.decide(user, volunteerId, true);
		Map<String, Object> row = lock(user, volunteerId);
		if (!"ACTIVE".equals(row.get("status")) || !user.role().includes(Role.VOLUNTEER) || mobile(row).isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(open(user, volunteerId, row));
	}

	/** Opens the account of an enrolled (imported or approved) volunteer; idempotent. */
	@Transactional
	public Opened open(CurrentUser user, long volunteerId) {
		return open(user, volunteerId, lock(user, volunteerId));
	}

	private Map<String, Object> lock(CurrentUser user, long volunteerId) {
		user.require(Permission.MANAGE_WORKFORCE);
		Map<String, Object> row = this.jdbc
			.sql("""
					select node_id, path, name, status, account_id, phone_cipher from volunteer where id = :id for update""")
			.param("id", volunteerId)
			.query()
			.listOfRows()
			.stream()
			.findFirst()
			.orElseThrow(() -> new NotFound("workforce.volunteer.notFound"));
		user.requireCovers((String) row.get("path"));
		return row;
	}

	private Optional<PhoneNumber> mobile(Map<String, Object> row) {
		byte[] cipher = (byte[]) row.get("phone_cipher");
		return cipher == null ? Optional.empty()
				: PhoneNumber.parse(this.protection.decrypt(cipher)).filter(PhoneNumber::mobile);
	}

	private Opened open(CurrentUser user, long volunteerId, Map<String, Object> row) {
		String username = username(volunteerId);
		if (row.get("account_id") != null) {
			return new Opened(volunteerId, ((Number) row.get("account_id")).longValue(), username, false);
		}
		if (!"ACTIVE".equals(row.get("status"))) {
			throw new InvalidInput("id", "workforce.account.notActive");
		}
		// Security's own rule: nobody hands out a right they do not hold.
		if (!user.role().includes(Role.VOLUNTEER)) {
			throw new AccountService.GrantDenied();
		}
		PhoneNumber phone = mobile(row).orElseThrow(() -> new InvalidInput("phone", "workforce.account.noPhone"));
		CurrentUser opener = opener(user);
		long nodeId = ((Number) row.get("node_id")).longValue();
		long accountId;
		try {
			// A password nobody sees; the one texted is the temporary one that must be
			// changed.
			accountId = this.accounts.create(opener, new AccountService.NewAccount(username, (String) row.get("name"),
					AccountService.generatePassword(), Role.VOLUNTEER, nodeId));
		}
		catch (AccountService.UsernameTaken ex) {
			throw new InvalidInput("id", "workforce.account.usernameTaken", username);
		}
		String temporary = this.accounts.resetPassword(opener, accountId);
		this.jdbc.sql("update volunteer set account_id = :account, updated_at = now() where id = :id")
			.param("account", accountId)
			.param("id", volunteerId)
			.update();
		this.outbox.queueWithSecret(
				new Outbox.Sms("workforce:volunteer:" + volunteerId + ":account", phone, "sms.workforce.account",
						List.of(username, temporary, this.outbox.link("/login")), (String) row.get("path")),
				1);
		return new Opened(volunteerId, accountId, username, true);
	}

	/**
	 * The worker as the accounts facade sees them for this one grant. A community worker
	 * manages people on duty but not accounts; approving a volunteer is the one account
	 * they open: a VOLUNTEER (whose every right they hold, checked above) at a node they
	 * cover. Their own account id stays the actor, so the audit names them.
	 */
	private static CurrentUser opener(CurrentUser user) {
		if (user.can(Permission.MANAGE_ACCOUNTS)) {
			return user;
		}
		return new CurrentUser(user.accountId(), user.username(), user.displayName(), Role.HQ_ADMIN, user.nodeId(),
				user.scopePath());
	}

}
