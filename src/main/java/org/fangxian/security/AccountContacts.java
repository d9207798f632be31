package org.fangxian.security;

import java.util.List;
import java.util.Optional;

import org.fangxian.shared.PhoneNumber;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who to text about a place: the staff responsible for it, for escalations (a positive
 * test in quarantine, a fever). Only enabled accounts with a phone on file; the number is
 * decrypted for the outbox only, never shown.
 */
@Component
public class AccountContacts {

	/** A staff member to text. */
	public record Contact(long accountId, PhoneNumber phone) {
	}

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	AccountContacts(JdbcClient jdbc, PersonalDataProtection protection) {
		this.jdbc = jdbc;
		this.protection = protection;
	}

	/**
	 * Accounts of {@code role} bound to the place of {@code path} or a node above it, the
	 * nearest first (a community's own workers before a street's), at most {@code limit}.
	 */
	public List<Contact> responsibleFor(String path, Role role, int limit) {
		record Row(long id, byte[] phoneCipher) {
		}
		// A path is the ids of the node and its ancestors (/1/7/42/): accounts bound to
		// any
		// of them, the deepest first, without reading the tree's table.
		Long[] ids = java.util.Arrays.stream(path.split("/"))
			.filter(part -> !part.isEmpty())
			.map(Long::valueOf)
			.toArray(Long[]::new);
		return this.jdbc.sql("""
				select a.id, a.phone_cipher
				from account a
				where a.role = :role and a.enabled and a.phone_cipher is not null and a.node_id = any(:ids)
				order by array_position(:ids, a.node_id) desc, a.id
				limit :limit""")
			.param("role", role.name())
			.param("ids", ids)
			.param("limit", limit)
			.query(Row.class)
			.list()
			.stream()
			.flatMap(row -> phone(row.phoneCipher()).map(p -> new Contact(row.id(), p)).stream())
			.toList();
	}

	private Optional<PhoneNumber> phone(byte[] cipher) {
		return PhoneNumber.parse(this.protection.decrypt(cipher));
	}

}
