package org.fangxian.testing.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.fangxian.notification.Outbox;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.PhoneNumber;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * People sampled outside the registry (testing subjects: a road re-test, a walk-in) have
 * no family link or pass to look their result up: the result comes to them by text when
 * the lab's file is imported, once per tube. A positive or invalid tube says what to do
 * (stay reachable; come again), never "positive" by text: a pooled positive is not yet
 * the person's own, and a worker calls.
 */
@Component
class SubjectResultTexts {

	private final JdbcClient jdbc;

	private final Outbox outbox;

	private final PersonalDataProtection protection;

	private final MessageSource messages;

	private final DateTimeFormatter when;

	SubjectResultTexts(JdbcClient jdbc, Outbox outbox, PersonalDataProtection protection, MessageSource messages,
			Clock clock) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.protection = protection;
		this.messages = messages;
		this.when = DateTimeFormatter.ofPattern("M月d日H:mm").withZone(clock.getZone());
	}

	/** Texts the subjects of these tubes, whose results were just recorded. */
	void resultsArrived(List<Long> tubeIds) {
		if (tubeIds.isEmpty()) {
			return;
		}
		record Swab(long tubeId, long subjectId, String path, Instant takenAt, String result, byte[] phoneCipher) {
		}
		List<Swab> swabs = this.jdbc.sql("""
				select s.tube_id, s.subject_id, s.path, s.taken_at, t.result, p.phone_cipher
				from sample s join tube t on t.id = s.tube_id join testing_subject p on p.id = s.subject_id
				where s.tube_id in (:tubes) and s.subject_id is not null and t.result is not null""")
			.param("tubes", tubeIds)
			.query(Swab.class)
			.list();
		for (Swab swab : swabs) {
			PhoneNumber phone = PhoneNumber.parse(this.protection.decrypt(swab.phoneCipher())).orElse(null);
			if (phone == null) {
				continue;
			}
			String outcome = this.messages.getMessage("testing.subjectResult." + swab.result(), null,
					Locale.SIMPLIFIED_CHINESE);
			this.outbox
				.queue(new Outbox.Sms("testing:tube:" + swab.tubeId() + ":result:subject:" + swab.subjectId(), phone,
						"sms.testing.subjectResult", List.of(this.when.format(swab.takenAt()), outcome), swab.path()));
		}
	}

}
