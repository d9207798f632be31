package org.fangxian.security.web;

import java.time.Instant;

import org.fangxian.security.CurrentUser;
import org.fangxian.security.internal.AccountDetails;
import org.fangxian.security.internal.ApiTokens;
import org.fangxian.security.internal.BearerTokenFilter;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Integration contract: {@code POST /api/v1/auth/token}. */
@RestController
@RequestMapping("/api/v1/auth/token")
class TokenController {

	private final AuthenticationManager authenticationManager;

	private final ApiTokens tokens;

	TokenController(AuthenticationManager authenticationManager, ApiTokens tokens) {
		this.authenticationManager = authenticationManager;
		this.tokens = tokens;
	}

	record Credentials(@NotBlank String username, @NotBlank String password) {
	}

	record TokenResponse(String token, Instant expiresAt) {
	}

	@PostMapping
	TokenResponse issue(@Valid @RequestBody Credentials credentials) {
		// Failures surface as AuthenticationException → 401 problem (see ApiErrors);
		// lockout applies as for the form.
		Authentication authentication = this.authenticationManager.authenticate(
				UsernamePasswordAuthenticationToken.unauthenticated(credentials.username(), credentials.password()));
		CurrentUser user = ((AccountDetails) authentication.getPrincipal()).user();
		ApiTokens.IssuedToken issued = this.tokens.issue(user.accountId());
		return new TokenResponse(issued.token(), issued.expiresAt());
	}

	/** Revokes the token used for this call. */
	@DeleteMapping
	ResponseEntity<Void> revoke(HttpServletRequest request) {
		if (!BearerTokenFilter.hasBearer(request)) {
			return ResponseEntity.status(HttpStatus.BAD_REQUEST).build();
		}
		this.tokens.revoke(BearerTokenFilter.bearer(request));
		return ResponseEntity.noContent().build();
	}

}
