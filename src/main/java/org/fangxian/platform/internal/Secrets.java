package org.fangxian.platform.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The folder of generated secrets ({@code data/secrets}: database passwords, the data
 * key): mode 700, each file 600, created with those modes so they are never readable by
 * others, even for a moment; files left looser by earlier versions are tightened at every
 * start.
 */
final class Secrets {

	static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

	static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

	/**
	 * A login and its password; {@code generated} when the password file was created just
	 * now.
	 */
	record Credentials(String user, String password, boolean generated) {

		@Override
		public String toString() {
			return "Credentials[" + this.user + "]";
		}

	}

	private final Path folder;

	private final boolean posix;

	private Secrets(Path folder, boolean posix) {
		this.folder = folder;
		this.posix = posix;
	}

	static Secrets in(Path folder) throws IOException {
		Path dir = folder.toAbsolutePath().normalize();
		boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
		if (!Files.isDirectory(dir)) {
			Files.createDirectories(dir.getParent());
			try {
				Files.createDirectory(dir,
						posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(FOLDER) }
								: new FileAttribute<?>[0]);
			}
			catch (FileAlreadyExistsException raced) {
				// another instance made it first
			}
		}
		Secrets secrets = new Secrets(dir, posix);
		secrets.tighten();
		return secrets;
	}

	/**
	 * The password in {@code file}, generated (32 random bytes, base64url) if there is
	 * none yet.
	 */
	Credentials credentials(String user, String file) throws IOException {
		Path path = this.folder.resolve(file);
		if (Files.exists(path)) {
			return new Credentials(user, read(path), false);
		}
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		try {
			Files.createFile(path, this.posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(FILE) }
					: new FileAttribute<?>[0]);
		}
		catch (FileAlreadyExistsException raced) {
			return new Credentials(user, read(path), false);
		}
		Files.writeString(path, password + "\n", StandardCharsets.US_ASCII);
		return new Credentials(user, password, true);
	}

	/** A file another process may have created a moment ago and not written yet. */
	private static String read(Path path) throws IOException {
		for (int attempt = 0; attempt < 50; attempt++) {
			String password = Files.readString(path, StandardCharsets.US_ASCII).strip();
			if (!password.isEmpty()) {
				return password;
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		throw new IOException(path + " is empty: delete it to have a new password generated");
	}

	/** Mode 700 on the folder and 600 on every file in it, whoever wrote them. */
	private void tighten() throws IOException {
		if (!this.posix) {
			return;
		}
		Files.setPosixFilePermissions(this.folder, FOLDER);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.folder)) {
			for (Path file : files) {
				if (Files.isRegularFile(file) && !Files.getPosixFilePermissions(file).equals(FILE)) {
					Files.setPosixFilePermissions(file, FILE);
				}
			}
		}
	}

}
