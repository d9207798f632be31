package org.fangxian.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts ID numbers and phones at rest (AES-256-GCM) and gives a keyed hash
 * (HMAC-SHA256) for exact lookup without decrypting. The key comes from
 * {@code FANGXIAN_DATA_KEY} (base64, 32 bytes); an embedded installation without one gets
 * a key file generated under its data folder.
 */
@Component
public class PersonalDataProtection {

	private static final Logger log = LoggerFactory.getLogger(PersonalDataProtection.class);

	private static final int IV_BYTES = 12;

	private static final byte VERSION = 1;

	private final SecretKeySpec encryptionKey;

	private final SecretKeySpec lookupKey;

	/**
	 * One lookup MAC per thread, keyed once; {@code doFinal} resets it for the next
	 * value.
	 */
	private final ThreadLocal<Mac> lookupMacs;

	private final SecureRandom random = new SecureRandom();

	private final byte[] master;

	private final SignedTokens tokens = new SignedTokens(this::sign);

	PersonalDataProtection(@Value("${fangxian.crypto.key:}") String configuredKey,
			@Value("${fangxian.data-dir:./data}") String dataDir) {
		byte[] master = configuredKey.isBlank() ? keyFromFile(Path.of(dataDir, "secrets", "data.key"))
				: Base64.getDecoder().decode(configuredKey.trim());
		if (master.length != 32) {
			throw new IllegalStateException("fangxian.crypto.key must be 32 bytes, base64-encoded");
		}
		this.master = master;
		// Separate keys for the two purposes, so a leaked lookup hash says nothing about
		// the cipher key.
		this.encryptionKey = new SecretKeySpec(derive(master, "fangxian-encryption"), "AES");
		this.lookupKey = new SecretKeySpec(derive(master, "fangxian-lookup"), "HmacSHA256");
		SecretKeySpec lookup = this.lookupKey;
		this.lookupMacs = ThreadLocal.withInitial(() -> {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(lookup);
				return mac;
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("hashing failed", ex);
			}
		});
	}

	/**
	 * One cipher per thread: looking one up in the provider list costs more than the
	 * encryption of an ID number (a million-row import does it twice a row). It is
	 * initialised afresh with a new IV for every value, so nothing carries over.
	 */
	private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
		try {
			return Cipher.getInstance("AES/GCM/NoPadding");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	});

	public byte[] encrypt(String plain) {
		if (plain == null) {
			return null;
		}
		try {
			byte[] iv = new byte[IV_BYTES];
			this.random.nextBytes(iv);
			Cipher cipher = CIPHERS.get();
			cipher.init(Cipher.ENCRYPT_MODE, this.encryptionKey, new GCMParameterSpec(128, iv));
			byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(VERSION).put(iv).put(sealed).array();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("encryption failed", ex);
		}
	}

	public String decrypt(byte[] stored) {
		if (stored == null) {
			return null;
		}
		try {
			ByteBuffer buffer = ByteBuffer.wrap(stored);
			if (buffer.get() != VERSION) {
				throw new IllegalStateException("unknown cipher version");
			}
			byte[] iv = new byte[IV_BYTES];
			buffer.get(iv);
			byte[] sealed = new byte[buffer.remaining()];
			buffer.get(sealed);
			Cipher cipher = CIPHERS.get();
			cipher.init(Cipher.DECRYPT_MODE, this.encryptionKey, new GCMParameterSpec(128, iv));
			return new String(cipher.doFinal(sealed), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("decryption failed: wrong key?", ex);
		}
	}

	/** Keyed hash of a normalized value, for exact-match search and uniqueness. */
	public byte[] lookupHash(String normalized) {
		if (normalized == null) {
			return null;
		}
		return this.lookupMacs.get().doFinal(normalized.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A no-login link's token naming one record:
	 * {@code <id>.<first 22 characters of the URL-safe signature>} (quarantine check-ins,
	 * a volunteer's shifts, a volunteer registration link). The signature makes the id
	 * unguessable and the link unforgeable; {@link #verifySignedId} is its one check.
	 */
	public String signedId(String purpose, long id) {
		return this.tokens.sign(purpose, Long.toString(id), SignedTokens.Length.LINK);
	}

	/**
	 * The id a {@link #signedId} token names, if it is one of ours for this purpose
	 * (compared in constant time).
	 */
	public java.util.Optional<Long> verifySignedId(String purpose, String token) {
		if (token == null || token.length() > 60) {
			return java.util.Optional.empty();
		}
		return this.tokens.verify(purpose, token, SignedTokens.Length.LINK)
			.filter(id -> id.matches("\\d{1,19}"))
			.flatMap(id -> {
				try {
					return java.util.Optional.of(Long.parseLong(id));
				}
				catch (NumberFormatException ex) {
					return java.util.Optional.empty();
				}
			});
	}

	/**
	 * Signed tokens of every purpose and format (links, passes, form tokens): the one
	 * helper, keyed here.
	 */
	public SignedTokens tokens() {
		return this.tokens;
	}

	/**
	 * A MAC under a key derived for one purpose (e.g. "pass"), for tokens that must not
	 * be forged: each purpose gets its own key, so a signature for one can never pass as
	 * another. Tokens: {@link #tokens()}.
	 */
	public byte[] sign(String purpose, String message) {
		SecretKeySpec key = this.signingKeys.get(purpose);
		if (key == null) {
			key = new SecretKeySpec(derive(this.master, "fangxian-sign-" + purpose), "HmacSHA256");
			// Purposes are the code's own few names; a bound all the same.
			if (this.signingKeys.size() < 64) {
				this.signingKeys.putIfAbsent(purpose, key);
			}
		}
		try {
			Mac mac = SIGNING_MACS.get();
			mac.init(key);
			return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Each purpose's signing key, derived once: a gate scan checks a pass's signature,
	 * and deriving the key and making two {@code Mac}s for it was 1.4 % of the scan's CPU
	 * (issue 17's profile).
	 */
	private final java.util.Map<String, SecretKeySpec> signingKeys = new java.util.concurrent.ConcurrentHashMap<>();

	/** One signing {@code Mac} per thread, keyed afresh for each signature. */
	private static final ThreadLocal<Mac> SIGNING_MACS = ThreadLocal.withInitial(() -> {
		try {
			return Mac.getInstance("HmacSHA256");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	});

	private static byte[] derive(byte[] master, String purpose) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(master, "HmacSHA256"));
			return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] keyFromFile(Path file) {
		try {
			if (Files.exists(file)) {
				return Base64.getDecoder().decode(Files.readString(file).trim());
			}
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			// Created owner-only (folder 700, file 600) rather than chmod-ed after
			// writing: never readable by others, even briefly.
			boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
			if (!Files.isDirectory(file.getParent())) {
				Files.createDirectories(file.getParent().getParent());
				Files.createDirectory(file.getParent(),
						posix ? new FileAttribute<?>[] {
								PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")) }
								: new FileAttribute<?>[0]);
			}
			try {
				Files.createFile(file,
						posix ? new FileAttribute<?>[] {
								PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) }
								: new FileAttribute<?>[0]);
			}
			catch (java.nio.file.FileAlreadyExistsException raced) {
				return keyFromFile(file);
			}
			Files.writeString(file, Base64.getEncoder().encodeToString(key));
			log.warn("Generated a data encryption key at {}. Back it up: without it the ID numbers cannot be read. "
					+ "In production set FANGXIAN_DATA_KEY instead.", file.toAbsolutePath());
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
