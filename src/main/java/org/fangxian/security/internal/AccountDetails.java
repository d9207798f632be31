package org.fangxian.security.internal;

import java.util.Collection;
import java.util.List;

import org.fangxian.security.CurrentUser;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * The security principal; carries the {@link CurrentUser} and whether the account must
 * choose a new password before anything else. Never the password hash:
 * {@link PasswordLogin} checks it itself.
 */
public final class AccountDetails implements UserDetails {

	private final CurrentUser user;

	private final boolean mustChangePassword;

	public AccountDetails(CurrentUser user, boolean mustChangePassword) {
		this.user = user;
		this.mustChangePassword = mustChangePassword;
	}

	public CurrentUser user() {
		return this.user;
	}

	public boolean mustChangePassword() {
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
