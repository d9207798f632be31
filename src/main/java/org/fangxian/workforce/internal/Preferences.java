package org.fangxian.workforce.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.InvalidInput;
import org.fangxian.workforce.PostKind;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A volunteer's wishes (意向岗位、意向时段) read and changed outside the import: by a worker of
 * their jurisdiction, or by the volunteer through their own signed link. The words are
 * read by the import's own parser ({@link DutyPreference#kinds},
 * {@link DutyPreference#hours}), so a wish means the same whichever way it came in.
 */
@Service
public class Preferences {

	/** Who changed a wish through the volunteer's own link (no account). */
	static final String LINK_ACTOR = "duty-link";

	private final JdbcClient jdbc;

	private final Volunteers volunteers;

	private final ApplicationEventPublisher events;

	Preferences(JdbcClient jdbc, Volunteers volunteers, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.volunteers = volunteers;
		this.events = events;
	}

	/**
	 * Wishes as the API and the forms carry them.
	 *
	 * @param kinds kinds of post ({@code CHECKPOINT}, …; the import's Chinese words are
	 * read too); empty: any
	 * @param times named shift times (早班, 中班, 晚班, 夜班) or windows of start times
	 * ({@code 07:00-12:00}) that join into one; empty: any time
	 */
	public record Wishes(List<String> kinds, List<String> times) {

		public Wishes {
			kinds = (kinds == null) ? List.of() : new ArrayList<>(kinds);
			times = (times == null) ? List.of() : new ArrayList<>(times);
		}

		static Wishes of(DutyPreference preference) {
			return new Wishes(preference.kindsInOrder().stream().map(PostKind::name).toList(), preference.times());
		}

	}

	/** A volunteer of the caller's jurisdiction's wishes. */
	public Wishes get(CurrentUser user, long volunteerId) {
		return Wishes.of(this.volunteers.get(user, volunteerId).preference());
	}

	/**
	 * A worker changes a volunteer's wishes; audited when anything changed, so a retried
	 * request leaves one record.
	 * @throws InvalidInput naming {@code kinds} or {@code times}
	 */
	@Transactional
	public Wishes change(CurrentUser user, long volunteerId, Wishes wishes) {
		Volunteers.Volunteer volunteer = this.volunteers.get(user, volunteerId);
		DutyPreference preference = read(wishes);
		if (store(volunteerId, volunteer.preference(), preference)) {
			this.events.publishEvent(AuditEvent.of(user, "VOLUNTEER_PREFERENCES_CHANGED", "volunteer", volunteerId,
					describe(preference)));
		}
		return Wishes.of(preference);
	}

	/**
	 * The volunteer's own wishes, for the page of their signed link; empty if inactive.
	 */
	public Optional<Wishes> own(long volunteerId) {
		return stored(volunteerId).map(Wishes::of);
	}

	/**
	 * The volunteer changes their own wishes through their signed link (the signature is
	 * the authority); audited with the link as the actor.
	 * @throws InvalidInput naming {@code kinds} or {@code times}
	 */
	@Transactional
	public Wishes changeOwn(long volunteerId, Wishes wishes) {
		DutyPreference preference = read(wishes);
		DutyPreference before = stored(volunteerId)
			.orElseThrow(() -> new org.fangxian.shared.NotFound("workforce.volunteer.notFound"));
		if (store(volunteerId, before, preference)) {
			this.events.publishEvent(new AuditEvent(LINK_ACTOR, null, "VOLUNTEER_PREFERENCES_CHANGED", "volunteer",
					String.valueOf(volunteerId), describe(preference)));
		}
		return Wishes.of(preference);
	}

	/**
	 * The wishes read by the import's parser, the field named as the API names it.
	 * @throws InvalidInput for a word that is no kind of post or no time
	 */
	static DutyPreference read(Wishes wishes) {
		if (wishes == null) {
			throw new InvalidInput("kinds", "workforce.preferences.body");
		}
		Set<PostKind> kinds;
		try {
			kinds = DutyPreference.kinds(joined(wishes.kinds()));
		}
		catch (InvalidInput ex) {
			throw new InvalidInput("kinds", ex.messageKey(), ex.args());
		}
		int[] hours;
		try {
			hours = DutyPreference.hours(joined(wishes.times()));
		}
		catch (InvalidInput ex) {
			throw new InvalidInput("times", ex.messageKey(), ex.args());
		}
		return new DutyPreference(kinds, hours[0], hours[1]);
	}

	private static String joined(List<String> words) {
		return String.join("、", words.stream().map(w -> w == null ? "" : w).toList());
	}

	private Optional<DutyPreference> stored(long volunteerId) {
		return this.jdbc.sql("""
				select preferred_kinds, preferred_from, preferred_to from volunteer
				where id = :id and status = 'ACTIVE'""")
			.param("id", volunteerId)
			.query((rs, row) -> Volunteers.preference(rs))
			.optional();
	}

	/**
	 * @return whether the stored wishes changed
	 */
	private boolean store(long volunteerId, DutyPreference before, DutyPreference after) {
		if (before.equals(after)) {
			return false;
		}
		return this.jdbc.sql("""
				update volunteer set preferred_kinds = :kinds, preferred_from = :from, preferred_to = :to,
				       updated_at = now()
				where id = :id""")
			.param("kinds", after.kindNames().toArray(String[]::new))
			.param("from", after.fromMinute())
			.param("to", after.toMinute())
			.param("id", volunteerId)
			.update() == 1;
	}

	/** For the audit trail: codes and times, no personal data. */
	private static String describe(DutyPreference preference) {
		return "kinds " + String.join(",", preference.kindNames()) + "; times " + String.join("、", preference.times());
	}

}
