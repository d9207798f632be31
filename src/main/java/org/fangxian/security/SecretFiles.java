package org.fangxian.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Files under {@code <data dir>/secrets/} readable by the server's user only (mode 600):
 * where generated passwords go instead of the log, which is copied, shipped and kept far
 * more widely.
 */
@Component
public class SecretFiles {

	private final Path folder;

	SecretFiles(@Value("${fangxian.data-dir:./data}") String dataDir) {
		this.folder = Path.of(dataDir, "secrets");
	}

	/** Writes (replaces) a secret file. @return its absolute path, fit to print */
	public Path write(String name, String content) {
		try {
			Files.createDirectories(this.folder);
			try {
				Files.setPosixFilePermissions(this.folder, PosixFilePermissions.fromString("rwx------"));
			}
			catch (UnsupportedOperationException ex) {
				// Not a POSIX file system: the folder's own ACLs protect it.
			}
			Path file = this.folder.resolve(name);
			Files.deleteIfExists(file);
			try {
				Files.createFile(file,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			catch (UnsupportedOperationException ex) {
				Files.createFile(file);
			}
			Files.writeString(file, content, StandardOpenOption.TRUNCATE_EXISTING);
			return file.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
