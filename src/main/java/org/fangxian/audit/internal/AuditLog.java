package org.fangxian.audit.internal;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.fangxian.audit.AuditEvent;
import org.fangxian.security.AccountChanged;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Writes audit events synchronously, in the caller's transaction: no audit row, no
 * action.
 */
@Component
public class AuditLog {

	private final JdbcClient jdbc;

	AuditLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void on(AuditEvent event) {
		insert(event.actor(), event.actorId(), event.action(), event.targetType(), event.targetId(), event.detail(),
				remoteAddress());
	}

	/**
	 * Account changes, in the transaction of the change (security publishes them; see
	 * AccountService).
	 */
	@EventListener
	void on(AccountChanged event) {
		insert(event.actor(), event.actorId(), event.action(), "account", String.valueOf(event.accountId()),
				event.detail(), remoteAddress());
	}

	@EventListener
	void on(AuthenticationSuccessEvent event) {
		if (event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details) {
			insert(event.getAuthentication().getName(), null, "LOGIN", "account", null, "form login",
					details.getRemoteAddress());
		}
		else {
			insert(event.getAuthentication().getName(), null, "LOGIN", "account", null, "api token", remoteAddress());
		}
	}

	@EventListener
	void on(AbstractAuthenticationFailureEvent event) {
		insert(truncate(event.getAuthentication().getName(), 64), null, "LOGIN_FAILED", "account", null,
				event.getException().getClass().getSimpleName(), remoteAddress());
	}

	private void insert(String actor, Long actorId, String action, String targetType, String targetId, String detail,
			String remoteAddress) {
		this.jdbc.sql("""
				insert into audit_event (actor, actor_id, action, target_type, target_id, detail, remote_addr)
				values (:actor, :actorId, :action, :targetType, :targetId, :detail, :remote)""")
			.param("actor", actor == null ? "anonymous" : actor)
			.param("actorId", actorId)
			.param("action", action)
			.param("targetType", targetType)
			.param("targetId", targetId)
			.param("detail", truncate(detail, 2000))
			.param("remote", remoteAddress)
			.update();
	}

	private static String remoteAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

	private static String truncate(String text, int max) {
		return text == null || text.length() <= max ? text : text.substring(0, max);
	}

	public record Entry(long id, java.time.OffsetDateTime at, String actor, String action, String targetType,
			String targetId, String detail, String remoteAddr) {
	}

	/**
	 * The latest entries, newest first.
	 * @param scopePattern LIKE pattern of the viewer's subtree: only actions of accounts
	 * bound inside it (matched by user name, which also covers sign-ins); null for an
	 * installation-wide viewer
	 */
	public List<Entry> latest(String scopePattern, String actor, String action, Long beforeId, int limit) {
		return this.jdbc.sql("""
				select id, at, actor, action, target_type, target_id, detail, remote_addr from audit_event
				where (cast(:scope as text) is null or district_id = any(districts_under(rtrim(:scope, '%'))))
				  and (cast(:scope as text) is null or exists (select 1 from security_account a
				       where a.username = audit_event.actor and a.path like :scope))
				  and (cast(:actor as text) is null or actor = :actor)
				  and (cast(:action as text) is null or action = :action)
				  and (cast(:before as bigint) is null or id < :before)
				order by id desc limit :limit""")
			.param("scope", scopePattern)
			.param("actor", actor)
			.param("action", action)
			.param("before", beforeId)
			.param("limit", limit)
			.query(Entry.class)
			.list();
	}

}
