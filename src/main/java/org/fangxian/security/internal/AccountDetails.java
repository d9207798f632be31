package org.fangxian.security;

import java.util.Collection;
import java.util.List;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The security principal; carries the {@link CurrentUser} and whether the account must
 * choose a new password before anything else. Never the password hash:
 * {@link PasswordLogin} checks it itself.
 */
final class AccountDetails implements UserDetails {

	private final CurrentUser user;

	private final boolean mustChangePassword;

	AccountDetails(CurrentUser user, boolean mustChangePassword) {
		this.user = user;
		this.mustChangePassword = mustChangePassword;
	}

	CurrentUser user() {
		return this.user;
	}

	boolean mustChangePassword() {
		return this.mustChangePassword;
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return List.of(new SimpleGrantedAuthority("ROLE_" + this.user.role().name()));
	}

	@Override
	public String getPassword() {
		return null;
	}

	@Override
	public String getUsername() {
		return this.user.username();
	}

}
