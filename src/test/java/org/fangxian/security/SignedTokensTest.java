package org.fangxian.security;

import java.time.Instant;
import java.util.Optional;

import org.fangxian.security.SignedTokens.Expiring;
import org.fangxian.security.SignedTokens.Length;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one signed-token helper, pinned to the formats already in people's hands: the
 * expected strings were computed outside Java (HMAC-SHA256 under HMAC-SHA256(master,
 * "fangxian-sign-" + purpose)) for the master key 0, 1, …, 31, so a change of key
 * derivation, cut or encoding fails here before a printed pass stops opening the gate.
 */
class SignedTokensTest {

	static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final Instant EXPIRY = Instant.ofEpochSecond(1767225600L);

	final PersonalDataProtection protection = new PersonalDataProtection(KEY, "unused");

	final SignedTokens tokens = this.protection.tokens();

	@Test
	void signedIdKeepsItsFormat() {
		assertEquals("42.kwftTto99CKjIoVBaATOXD", this.protection.signedId("quarantine-check-in", 42));
		assertEquals(Optional.of(42L),
				this.protection.verifySignedId("quarantine-check-in", "42.kwftTto99CKjIoVBaATOXD"));
		assertEquals(Optional.empty(), this.protection.verifySignedId("volunteer-duty", "42.kwftTto99CKjIoVBaATOXD"));
		assertEquals(Optional.empty(),
				this.protection.verifySignedId("quarantine-check-in", "43.kwftTto99CKjIoVBaATOXD"));
	}

	/**
	 * checkpoint.Passes: {@code FXP1.<pass id>.<expiry>.<first 16 bytes of the MAC>};
	 * Passes keeps its prefix outside the signed body.
	 */
	@Test
	void printedPassKeepsItsFormatAndVerifies() {
		String pass = "FXP1." + this.tokens.sign("pass", "7", EXPIRY, Length.PASS);
		assertEquals("FXP1.7.1767225600.o_osePJ2RzuGLPW6zf732g", pass);
		Optional<Expiring> read = this.tokens.verify("pass", pass.substring("FXP1.".length()), EXPIRY.minusSeconds(1),
				Length.PASS);
		assertEquals(Optional.of(new Expiring("7", EXPIRY)), read);
		assertEquals(Optional.empty(),
				this.tokens.verify("pass", pass.substring("FXP1.".length()), EXPIRY, Length.PASS), "expired");
	}

	/**
	 * checkpoint.FamilyLinks: {@code <household>.<expiry>.<22 characters>}; from the
	 * second generation on, the signature also covers {@code .g<generation>}.
	 */
	@Test
	void familyLinkKeepsItsFormatPerGeneration() {
		assertEquals("12.1767225600.lgWmz4KqNGqJy1PjPmoiFV",
				this.tokens.sign("family-link", "12", EXPIRY, Length.LINK));
		assertEquals("Mo76OqTfIwOvGJmti7EiI7", this.tokens.signature("family-link", "12.1767225600.g2", Length.LINK));
		assertTrue(this.tokens
			.verify("family-link", "12.1767225600.lgWmz4KqNGqJy1PjPmoiFV", EXPIRY.minusSeconds(60), Length.LINK)
			.isPresent());
	}

	/** containment.ReturneeReports: {@code <shown-at millis>.<the whole MAC>}. */
	@Test
	void returneeFormTokenKeepsItsFormat() {
		String token = this.tokens.sign("returnee-form", "1767225600000", Length.FULL);
		assertEquals("1767225600000.p4sM6JLGjMLhbzuRbxM_cxSMIhKhVzzsrGm6NUEJn7E", token);
		assertEquals(Optional.of("1767225600000"), this.tokens.verify("returnee-form", token, Length.FULL));
	}

	@Test
	void forgedCutOrBorrowedTokensAreRefused() {
		String link = this.tokens.sign("family-link", "12", EXPIRY, Length.LINK);
		Instant before = EXPIRY.minusSeconds(60);
		assertFalse(this.tokens.verify("pass", link, before, Length.LINK).isPresent(), "another purpose's key");
		assertFalse(this.tokens.verify("family-link", link.replace("12.", "13."), before, Length.LINK).isPresent(),
				"another household");
		assertFalse(this.tokens.verify("family-link", link.substring(0, link.length() - 1), before, Length.LINK)
			.isPresent(), "cut signature");
		assertFalse(this.tokens.verify("family-link", link, before, Length.PASS).isPresent(), "another format");
		assertFalse(this.tokens.verify("family-link", "12", before, Length.LINK).isPresent(), "no signature");
		assertFalse(this.tokens.verify("family-link", null, Length.LINK).isPresent());
		assertFalse(this.tokens.verify("family-link", "x".repeat(500), Length.LINK).isPresent(), "too long");
		// A body without an expiry is not an expiring token, however genuine.
		assertFalse(this.tokens
			.verify("family-link", this.tokens.sign("family-link", "12", Length.LINK), before, Length.LINK)
			.isPresent());
	}

	@Test
	void sameComparesWholeStrings() {
		assertTrue(SignedTokens.same("abc", "abc"));
		assertFalse(SignedTokens.same("abc", "abd"));
		assertFalse(SignedTokens.same("abc", "ab"));
		assertFalse(SignedTokens.same("abc", null));
	}

}
