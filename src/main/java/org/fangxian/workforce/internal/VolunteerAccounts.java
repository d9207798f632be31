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
		PhoneNumber phone = mobile(row).orElseThrow(() -> new InvalidInput("phone", "workforce.account.noPhone"));
		long nodeId = ((Number) row.get("node_id")).longValue();
		AccountService.OpenedVolunteer opened;
		try {
			// Security's own rules: a VOLUNTEER only, at a node the approver covers,
			// whose
			// every right the approver holds.
			opened = this.accounts.openVolunteerAccount(user, username, (String) row.get("name"), nodeId);
		}
		catch (AccountService.UsernameTaken ex) {
			throw new InvalidInput("id", "workforce.account.usernameTaken", username);
		}
		long accountId = opened.accountId();
		String temporary = opened.temporaryPassword();
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

}
