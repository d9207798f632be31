package org.fangxian.checkpoint.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.fangxian.checkpoint.Passes;
import org.fangxian.audit.AuditEvent;
import org.fangxian.notification.Outbox;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.registry.ResidentDirectory.ResidentSnapshot;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.SignedTokens;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PersonNames;
import org.fangxian.shared.PhoneNumber;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Family links (家庭码): one signed link, {@code /f/<householdId>.<expiry>.<signature>},
 * that shows the passes of everyone in a household on the family's own phone, without an
 * account. The signature makes the link unforgeable and the household id unguessable
 * through it; the members are looked up each time the link is opened, so someone who
 * moved out drops off. Revocation wins: a member whose pass a worker revoked gets no new
 * one through the link, and a worker can revoke the household's links (the signature
 * covers the household's link generation, which a revocation bumps). Sending, opening and
 * revoking are audited.
 */
@Service
public class FamilyLinks {

	private static final String PURPOSE = "family-link";

	static final String SMS_TEMPLATE = "family.sms.text";

	/**
	 * A household id, an expiry in epoch seconds, 22 characters of base64url signature
	 * (132 bits).
	 */
	private static final Pattern TOKEN = Pattern.compile("(\\d{1,18})\\.(\\d{1,12})\\.([A-Za-z0-9_-]{22})");

	private final Passes passes;

	private final JdbcClient jdbc;

	private final ResidentDirectory directory;

	private final PersonalDataProtection protection;

	private final Outbox outbox;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Duration validity;

	FamilyLinks(Passes passes, JdbcClient jdbc, ResidentDirectory directory, PersonalDataProtection protection,
			Outbox outbox, ApplicationEventPublisher events, Clock clock,
			@Value("${fangxian.family-link.validity:P30D}") Duration validity) {
		this.passes = passes;
		this.jdbc = jdbc;
		this.directory = directory;
		this.protection = protection;
		this.outbox = outbox;
		this.events = events;
		this.clock = clock;
		this.validity = validity;
	}

	/** A link handed to a family, and how many texts carrying it were queued now. */
	public record Link(String url, Instant expiresAt, int textsQueued) {
	}

	/**
	 * One member's card on the family page: the name masked, the pass's last day, or no
	 * pass at all when a worker revoked it ({@code passExpiresOn} null: the page asks the
	 * family to see the community).
	 */
	public record MemberCard(long residentId, String maskedName, LocalDate passExpiresOn) {

		boolean revoked() {
			return this.passExpiresOn == null;
		}

	}

	/** What an opened link shows: the household's cards and the link's own last day. */
	public record FamilyPage(long householdId, LocalDate linkLastDay, List<MemberCard> members) {
	}

	/**
	 * Makes the household's link and texts it to every distinct adult phone of the
	 * household, once a day per phone: a second click the same day queues nothing more.
	 */
	@Transactional
	public Link send(CurrentUser user, long householdId) {
		user.require(Permission.MANAGE_CHECKPOINTS);
		List<ResidentSnapshot> members = this.directory.householdMembers(householdId);
		if (members.isEmpty()) {
			throw new NotFound("resident.notFound");
		}
		members.forEach(member -> user.requireCovers(member.path()));
		LocalDate today = today();
		Instant expiresAt = expiryFrom(today);
		int generation = generation(householdId);
		String url = this.outbox.link("/f/" + token(householdId, expiresAt, generation));
		// One text per number: parents often share one phone, and children's records
		// carry a parent's number.
		Map<String, PhoneNumber> phones = new LinkedHashMap<>();
		for (ResidentDirectory.Contact contact : this.directory.adultContactsOfHousehold(householdId, today)) {
			phones.putIfAbsent(contact.phone().value(), contact.phone());
		}
		String path = members.get(0).path();
		int queued = 0;
		for (PhoneNumber phone : phones.values()) {
			// After a revocation the new link is a new message, even on the same day.
			String dedupeKey = "checkpoint:household:" + householdId + ":family-link:"
					+ (generation > 0 ? "g" + generation + ":" : "") + today + ":phone:" + phoneTag(phone);
			if (this.outbox.queue(new Outbox.Sms(dedupeKey, phone, SMS_TEMPLATE,
					List.of(members.size(), lastDay(expiresAt).toString(), url), path))) {
				queued++;
			}
		}
		this.events.publishEvent(AuditEvent.of(user, "FAMILY_LINK_SENT", "household", householdId,
				members.size() + " members, " + phones.size() + " phones, " + queued + " texts queued"));
		return new Link(url, expiresAt, queued);
	}

	/**
	 * The household's members and their passes, if the token is genuine and still valid;
	 * audited per pass.
	 */
	@Transactional
	public Optional<FamilyPage> open(String token) {
		return verify(token).flatMap(link -> {
			List<ResidentSnapshot> members = this.directory.householdMembers(link.householdId());
			if (members.isEmpty()) {
				return Optional.empty();
			}
			List<MemberCard> cards = members.stream().map(member -> {
				Optional<Passes.Pass> pass = this.passes.currentForFamily(link.householdId(), member.id());
				return new MemberCard(member.id(), PersonNames.mask(member.name()),
						pass.map(p -> LocalDate.ofInstant(p.expiresAt(), this.clock.getZone())).orElse(null));
			}).toList();
			this.events.publishEvent(new AuditEvent(Passes.FAMILY_LINK_ACTOR, null, "FAMILY_LINK_VIEWED", "household",
					String.valueOf(link.householdId()), cards.size() + " members, "
							+ cards.stream().filter(MemberCard::revoked).count() + " without a pass (revoked)"));
			return Optional.of(new FamilyPage(link.householdId(), lastDay(link.expiresAt()), cards));
		});
	}

	/**
	 * The member's pass, only if the token is valid and the resident still lives in that
	 * household.
	 */
	@Transactional
	public Optional<Passes.Pass> memberPass(String token, long residentId) {
		return verify(token).flatMap(link -> this.directory.householdMembers(link.householdId())
			.stream()
			.filter(member -> member.id() == residentId)
			.findFirst()
			.flatMap(member -> this.passes.currentForFamily(link.householdId(), member.id())));
	}

	/**
	 * Stops every link of the household handed out so far (a lost phone, a family member
	 * who should no longer hold the others' passes). A link sent afterwards is a new one.
	 * Answers how many generations of links have been revoked in all.
	 */
	@Transactional
	public int revoke(CurrentUser user, long householdId) {
		user.require(Permission.MANAGE_CHECKPOINTS);
		List<ResidentSnapshot> members = this.directory.householdMembers(householdId);
		if (members.isEmpty()) {
			throw new NotFound("resident.notFound");
		}
		members.forEach(member -> user.requireCovers(member.path()));
		int generation = this.jdbc.sql("""
				insert into family_link (household_id, generation, revoked_at, revoked_by) values (:h, 1, now(), :by)
				on conflict (household_id) do update
				set generation = family_link.generation + 1, revoked_at = now(), revoked_by = :by
				returning generation""")
			.param("h", householdId)
			.param("by", user.accountId())
			.query(Integer.class)
			.single();
		this.events.publishEvent(AuditEvent.of(user, "FAMILY_LINK_REVOKED", "household", householdId,
				"links before generation " + generation + " stopped"));
		return generation;
	}

	private int generation(long householdId) {
		return this.jdbc.sql("select generation from family_link where household_id = :h")
			.param("h", householdId)
			.query(Integer.class)
			.optional()
			.orElse(0);
	}

	record Verified(long householdId, Instant expiresAt) {
	}

	/** Malformed, forged and expired tokens all look the same to the caller: nothing. */
	Optional<Verified> verify(String token) {
		if (token == null || token.length() > 60) {
			return Optional.empty();
		}
		var matcher = TOKEN.matcher(token);
		if (!matcher.matches()) {
			return Optional.empty();
		}
		long householdId = Long.parseLong(matcher.group(1));
		Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(matcher.group(2)));
		// Compare the whole token as re-made from its parts, in constant time, before
		// trusting either part.
		boolean genuine = MessageDigest.isEqual(
				token(householdId, expiresAt, generation(householdId)).getBytes(StandardCharsets.US_ASCII),
				token.getBytes(StandardCharsets.US_ASCII));
		if (!genuine || !expiresAt.isAfter(this.clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(new Verified(householdId, expiresAt));
	}

	/** A link of the household's current generation. */
	String token(long householdId, Instant expiresAt) {
		return token(householdId, expiresAt, generation(householdId));
	}

	/**
	 * The signature covers the household's link generation too (not written in the link):
	 * after a revocation the same household and day sign differently. Generation 0 signs
	 * as links always did.
	 */
	String token(long householdId, Instant expiresAt, int generation) {
		String body = householdId + "." + expiresAt.getEpochSecond();
		return body + "." + this.protection.tokens()
			.signature(PURPOSE, generation == 0 ? body : body + ".g" + generation, SignedTokens.Length.LINK);
	}

	/**
	 * Links made on one day all end at the same midnight, so a worker who sends twice
	 * hands out the same link.
	 */
	private Instant expiryFrom(LocalDate today) {
		return today.plusDays(Math.max(1, this.validity.toDays()) + 1).atStartOfDay(this.clock.getZone()).toInstant();
	}

	/** A link ending at midnight is good for the whole day before. */
	private LocalDate lastDay(Instant expiresAt) {
		return LocalDate.ofInstant(expiresAt.minusSeconds(1), this.clock.getZone());
	}

	private LocalDate today() {
		return LocalDate.now(this.clock);
	}

	/**
	 * Stands for the phone in the dedupe key, which is stored in clear: a keyed hash, not
	 * the number.
	 */
	private String phoneTag(PhoneNumber phone) {
		return HexFormat.of().formatHex(this.protection.sign(PURPOSE + "-phone", phone.value()), 0, 8);
	}

}
