package org.fangxian.audit;

import org.fangxian.security.CurrentUser;

/**
 * Something to keep on the audit trail; publish it with Spring's
 * {@code ApplicationEventPublisher} inside the transaction of the action it records, so
 * the two commit or fail together.
 *
 * @param action what happened, e.g. {@code RESIDENT_VIEWED}, {@code RESIDENTS_EXPORTED}
 * @param detail free text without personal data (counts, filters, field names)
 */
public record AuditEvent(String actor, Long actorId, String action, String targetType, String targetId, String detail) {

	public static AuditEvent of(CurrentUser user, String action, String targetType, Object targetId, String detail) {
		return new AuditEvent(user.username(), user.accountId(), action, targetType,
				targetId == null ? null : String.valueOf(targetId), detail);
	}

}
