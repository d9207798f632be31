package org.fangxian.security;

import java.io.Serializable;

import org.fangxian.security.internal.AccountDetails;

import org.springframework.security.access.AccessDeniedException;

/**
 * The signed-in account and the subtree of the jurisdiction it may see. Every query that
 * returns registry data is restricted with {@link #scopePath()}.
 *
 * @param scopePath materialized path of the account's node ("/1/7/"), or "/" for the
 * whole installation
 */
public record CurrentUser(long accountId, String username, String displayName, Role role, Long nodeId,
		String scopePath) implements Serializable {

	public boolean can(Permission permission) {
		return this.role.can(permission);
	}

	/**
	 * Whether a node (given by its materialized path) lies within this account's
	 * jurisdiction.
	 */
	public boolean covers(String path) {
		return path != null && path.startsWith(this.scopePath);
	}

	/**
	 * A LIKE pattern matching every path inside the jurisdiction; paths hold only digits
	 * and slashes.
	 */
	public String scopePattern() {
		return this.scopePath + "%";
	}

	public void require(Permission permission) {
		if (!can(permission)) {
			throw new AccessDeniedException("permission " + permission + " required");
		}
	}

	public void requireCovers(String path) {
		if (!covers(path)) {
			throw new OutsideJurisdictionException();
		}
	}

	/**
	 * The account signed in on this request, if any: for what is rendered outside a
	 * controller (the error page's navigation), where no argument resolver runs.
	 */
	public static java.util.Optional<CurrentUser> signedIn() {
		org.springframework.security.core.Authentication authentication = org.springframework.security.core.context.SecurityContextHolder
			.getContext()
			.getAuthentication();
		return authentication != null && authentication.getPrincipal() instanceof AccountDetails details
				? java.util.Optional.of(details.user()) : java.util.Optional.empty();
	}

	/** Thrown when a request names a node or record outside the account's subtree. */
	public static class OutsideJurisdictionException extends AccessDeniedException {

		public OutsideJurisdictionException() {
			super("outside your jurisdiction");
		}

	}

}
