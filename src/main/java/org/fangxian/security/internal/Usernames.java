package org.fangxian.security.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for user names: NFKC (full-width "Ａｄｍｉｎ" is "Admin"), trimmed, lower case.
 * Creating, looking up and signing in all go through {@link #normalise}; the database's
 * unique index on {@code lower(username)} is the same rule, because a stored name may
 * only hold the characters below.
 */
public final class Usernames {

	static final Pattern ALLOWED = Pattern.compile("[a-z0-9_.@-]{3,64}");

	private Usernames() {
	}

	/**
	 * The normal form of what someone typed; "" for null. Never rejects: see
	 * {@link #isValid}.
	 */
	public static String normalise(String typed) {
		if (typed == null) {
			return "";
		}
		return Normalizer.normalize(typed, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
	}

	/** Whether a normalised name may be stored (V3's check, in its normal form). */
	public static boolean isValid(String normalised) {
		return ALLOWED.matcher(normalised).matches();
	}

}
