package org.fangxian.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.fangxian.security.internal.FirstAdministrator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first administrator's generated password goes to a file only its user may read,
 * never to the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstAdministratorTest {

	@Test
	void theGeneratedPasswordIsWrittenToASecretFileAndTheLogOnlyNamesIt(@TempDir Path dataDir, CapturedOutput output)
			throws Exception {
		List<String> created = new java.util.ArrayList<>();
		AccountService accounts = new AccountService(null, null, null, null, null, null, null, null, null) {

			@Override
			public boolean createFirstAdministrator(String username, String password) {
				created.add(password);
				return true;
			}

		};
		new FirstAdministrator(accounts, "", "8080", new SecretFiles(dataDir.toString())).run(null);

		assertThat(created).hasSize(1);
		String password = created.get(0);
		Path file = dataDir.resolve("secrets").resolve("first-admin-password.txt");
		assertThat(Files.readString(file)).contains(password);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(output.getAll()).doesNotContain(password).contains(file.toString());
	}

}
