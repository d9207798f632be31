package org.fangxian.security;

/**
 * An account was opened or changed (role, jurisdiction, enabled, password), published
 * inside the transaction of the change so the audit trail records it or the change does
 * not happen.
 *
 * @param actor user name of who did it ("system" at start-up)
 * @param action {@code ACCOUNT_CREATED}, {@code ACCOUNT_ROLE_CHANGED},
 * {@code ACCOUNT_MOVED}, {@code ACCOUNT_ENABLED}, {@code ACCOUNT_DISABLED},
 * {@code ACCOUNT_PASSWORD_RESET}, {@code ACCOUNT_PASSWORD_CHANGED}
 * @param detail what changed, never a password or phone number
 */
public record AccountChanged(String actor, Long actorId, String action, long accountId, String detail) {
}
