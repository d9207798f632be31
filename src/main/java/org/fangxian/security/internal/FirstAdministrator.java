package org.fangxian.security.internal;

import org.fangxian.security.AccountService;
import org.fangxian.security.SecretFiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On the first start with an empty database, opens the administrator account and prints
 * how to sign in. The password is generated unless {@code FANGXIAN_ADMIN_PASSWORD} is
 * set, so there is no default password anyone could guess; a generated one is written to
 * {@code data/secrets/} (mode 600), never to the log, which only names the file.
 */
@Component
@Order(0)
public class FirstAdministrator implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

	private final AccountService accounts;

	private final String configuredPassword;

	private final String serverPort;

	private final SecretFiles secrets;

	public FirstAdministrator(AccountService accounts, @Value("${fangxian.admin-password:}") String configuredPassword,
			@Value("${server.port:8080}") String serverPort, SecretFiles secrets) {
		this.accounts = accounts;
		this.secrets = secrets;
		this.configuredPassword = configuredPassword;
		this.serverPort = serverPort;
	}

	@Override
	public void run(ApplicationArguments args) {
		String password = this.configuredPassword.isBlank() ? AccountService.generatePassword()
				: this.configuredPassword;
		if (this.accounts.createFirstAdministrator("admin", password)) {
			String shown = this.configuredPassword.isBlank()
					? "in " + this.secrets.write("first-admin-password.txt", "admin\n" + password + "\n")
							+ " (readable by this user only; delete it once you changed the password)"
					: "(the value of FANGXIAN_ADMIN_PASSWORD)";
			log.warn("""

					==================================================================
					 Fangxian first start: administrator account created
					   open      http://localhost:{}/
					   username  admin
					   password  {}
					 Change it after signing in.
					==================================================================""", this.serverPort, shown);
		}
	}

}
