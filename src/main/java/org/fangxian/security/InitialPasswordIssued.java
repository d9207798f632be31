package org.fangxian.security;

import org.fangxian.shared.PhoneNumber;

/**
 * A generated password to text to an account's owner (cadres enrolled from a
 * spreadsheet). Handled synchronously, in the transaction that opened the account, by
 * whoever queues the text: it is never stored by the event registry, and the listener
 * must keep it out of logs and lists.
 *
 * @param path the account's node path, so the text is seen only in that jurisdiction
 */
public record InitialPasswordIssued(long accountId, String username, PhoneNumber phone, String password, String path) {

	@Override
	public String toString() {
		return "InitialPasswordIssued[accountId=" + this.accountId + ", username=" + this.username + "]";
	}

}
