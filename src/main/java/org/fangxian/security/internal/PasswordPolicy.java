package org.fangxian.security.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import me.gosimple.nbvcxz.resources.Dictionary;
import me.gosimple.nbvcxz.resources.DictionaryBuilder;
import org.fangxian.shared.InvalidInput;

import org.springframework.stereotype.Component;

/**
 * Which passwords people may choose: at least {@value #MIN_LENGTH} characters, at most
 * {@value #MAX_BYTES} bytes, and not guessable by the estimate of nbvcxz (zxcvbn's
 * method: dictionaries of leaked passwords, names, keyboard walks, dates, repeats, l33t),
 * with the account's own user name and display name counted as known words.
 */
@Component
public class PasswordPolicy {

	static final int MIN_LENGTH = 10;

	/**
	 * In UTF-8 bytes: what bcrypt reads of a password, and it refuses to hash more (72
	 * letters or digits, 24 Chinese characters).
	 */
	static final int MAX_BYTES = 72;

	/**
	 * About 10^12 guesses: beyond an offline attack on one bcrypt hash for a long while.
	 */
	static final double MIN_ENTROPY = 40;

	/**
	 * @throws InvalidInput on field {@code password}: {@code account.password.short},
	 * {@code .long} or {@code .weak}
	 */
	public void check(String password, String username, String displayName) {
		if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
			throw new InvalidInput("password", "account.password.short", MIN_LENGTH);
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			throw new InvalidInput("password", "account.password.long", MAX_BYTES);
		}
		if (!strong(password, username, displayName)) {
			throw new InvalidInput("password", "account.password.weak");
		}
	}

	boolean strong(String password, String username, String displayName) {
		List<Dictionary> dictionaries = new ArrayList<>(ConfigurationBuilder.getDefaultDictionaries());
		DictionaryBuilder own = new DictionaryBuilder().setDictionaryName("account").setExclusion(true);
		for (String word : new String[] { username, displayName, "fangxian", "防线" }) {
			if (word != null && !word.isBlank()) {
				own.addWord(word.toLowerCase(Locale.ROOT), 0);
			}
		}
		dictionaries.add(own.createDictionary());
		Nbvcxz estimator = new Nbvcxz(new ConfigurationBuilder().setDictionaries(dictionaries)
			.setMinimumEntropy(MIN_ENTROPY)
			.createConfiguration());
		return estimator.estimate(password).isMinimumEntropyMet();
	}

}
