package org.fangxian.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On the first start with an empty database, opens the administrator account and prints how to
 * sign in. The password is generated unless {@code FANGXIAN_ADMIN_PASSWORD} is set, so there is no
 * default password anyone could guess.
 */
@Component
@Order(0)
class FirstAdministrator implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

	private final AccountService accounts;

	private final String configuredPassword;

	private final String serverPort;

	FirstAdministrator(AccountService accounts, @Value("${fangxian.admin-password:}") String configuredPassword,
			@Value("${server.port:8080}") String serverPort) {
		this.accounts = accounts;
		this.configuredPassword = configuredPassword;
		this.serverPort = serverPort;
	}

	@Override
	public void run(ApplicationArguments args) {
		String password = this.configuredPassword.isBlank() ? AccountService.generatePassword() : this.configuredPassword;
		if (this.accounts.createFirstAdministrator("admin", password)) {
			String shown = this.configuredPassword.isBlank() ? password : "(the value of FANGXIAN_ADMIN_PASSWORD)";
			log.warn("""

					==================================================================
					 Fangxian first start: administrator account created
					   open      http://localhost:{}/
					   username  admin
					   password  {}
					 Change it after signing in; it is not shown again.
					==================================================================""", this.serverPort, shown);
		}
	}

}
