package org.fangxian.registry.web;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.fangxian.security.CurrentUser;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.NotFound;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Uploaded rosters waiting for the user to check the preview and confirm. Kept encrypted,
 * only for the user who uploaded them, and deleted after a day: a roster is a list of ID
 * numbers.
 */
@Component
class RosterUploads {

	static final Duration KEEP = Duration.ofDays(1);

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	private final Clock clock;

	RosterUploads(JdbcClient jdbc, PersonalDataProtection protection, Clock clock) {
		this.jdbc = jdbc;
		this.protection = protection;
		this.clock = clock;
	}

	record Upload(UUID id, long communityId, String filename, byte[] content) {
	}

	UUID store(CurrentUser user, long communityId, String filename, byte[] content) {
		UUID id = UUID.randomUUID();
		String base64 = java.util.Base64.getEncoder().encodeToString(content);
		this.jdbc.sql("""
				insert into roster_upload (id, account_id, community_id, filename, content)
				values (:id, :account, :community, :filename, :content)""")
			.param("id", id)
			.param("account", user.accountId())
			.param("community", communityId)
			.param("filename", filename)
			.param("content", this.protection.encrypt(base64))
			.update();
		return id;
	}

	Upload find(CurrentUser user, UUID id) {
		Optional<Object[]> row = this.jdbc.sql("""
				select community_id, filename, content from roster_upload
				where id = :id and account_id = :account and created_at > :since""")
			.param("id", id)
			.param("account", user.accountId())
			.param("since", Timestamp.from(this.clock.instant().minus(KEEP)))
			.query((rs, i) -> new Object[] { rs.getLong(1), rs.getString(2), rs.getBytes(3) })
			.optional();
		Object[] r = row.orElseThrow(() -> new NotFound("import.upload.expired"));
		byte[] content = java.util.Base64.getDecoder().decode(this.protection.decrypt((byte[]) r[2]));
		return new Upload(id, (Long) r[0], (String) r[1], content);
	}

	void delete(UUID id) {
		this.jdbc.sql("delete from roster_upload where id = :id").param("id", id).update();
	}

	@Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
	void deleteExpired() {
		this.jdbc.sql("delete from roster_upload where created_at < :before")
			.param("before", Timestamp.from(this.clock.instant().minus(KEEP)))
			.update();
	}

}
