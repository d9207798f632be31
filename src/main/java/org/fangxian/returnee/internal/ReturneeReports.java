package org.fangxian.returnee.internal;

import java.sql.Date;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.fangxian.registry.DivisionCode;
import org.fangxian.registry.OfficialDivisions;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.security.SignedTokens;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PhoneNumber;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The public self-report of returnees (主动报备): anyone may file one without an account, so
 * the form defends itself without a captcha: a hidden field only robots fill (honeypot),
 * a signed timestamp that must be a few seconds old (nobody types a report in under three
 * seconds), limits per client address and per ID number kept in PostgreSQL, and size
 * limits on every field. Sending the same report again (same ID number, arrival day and
 * community) files nothing new and shows the same reference.
 */
@Service
public class ReturneeReports {

	static final String FORM_PURPOSE = "returnee-form";

	static final String REFERENCE_PURPOSE = "returnee-reference";

	/** A form older than this is stale (a phone left open overnight): reload it. */
	static final Duration FORM_LIFETIME = Duration.ofHours(12);

	/** An arrival further back than this is no longer a returnee to report. */
	public static final int MAX_DAYS_AGO = 30;

	public enum Transport {

		TRAIN, FLIGHT, CAR, BUS, OTHER

	}

	/**
	 * What the form sends; every field as typed. {@code website} is the honeypot,
	 * {@code started} the signed timestamp.
	 */
	public record Submission(String name, String idType, String idNumber, String phone, String community,
			String address, String originCity, String originDistrict, String originCode, String arrivalDate,
			String transport, String transportNumber, String website, String started) {
	}

	/** What the returnee is shown: a reference to quote when the community calls. */
	public record Receipt(String reference, String communityName, boolean created) implements java.io.Serializable {
	}

	/** A community that takes reports. */
	public record Community(long id, String code, String name, String path) {
	}

	/**
	 * All the field errors of one submission; the first is the exception's own field and
	 * message.
	 */
	public static class InvalidReport extends InvalidInput {

		private final transient List<InvalidInput> errors;

		InvalidReport(List<InvalidInput> errors) {
			super(errors.get(0).field(), errors.get(0).messageKey(), errors.get(0).args());
			this.errors = List.copyOf(errors);
		}

		public List<InvalidInput> errors() {
			return this.errors;
		}

	}

	private final JdbcClient jdbc;

	private final PersonalDataProtection protection;

	private final ResidentDirectory directory;

	private final OfficialDivisions divisions;

	private final Clock clock;

	private final int maxPerClientHour;

	private final int maxPerIdDay;

	private final Duration minFillTime;

	ReturneeReports(JdbcClient jdbc, PersonalDataProtection protection, ResidentDirectory directory,
			OfficialDivisions divisions, Clock clock,
			@Value("${fangxian.returnee.max-per-client-hour:5}") int maxPerClientHour,
			@Value("${fangxian.returnee.max-per-id-day:3}") int maxPerIdDay,
			@Value("${fangxian.returnee.min-fill-seconds:3}") int minFillSeconds) {
		this.jdbc = jdbc;
		this.protection = protection;
		this.directory = directory;
		this.divisions = divisions;
		this.clock = clock;
		this.maxPerClientHour = maxPerClientHour;
		this.maxPerIdDay = maxPerIdDay;
		this.minFillTime = Duration.ofSeconds(minFillSeconds);
	}

	/** The signed "form shown at" value for a fresh form. */
	public String formToken() {
		return formToken(this.clock.instant());
	}

	public String formToken(Instant shownAt) {
		return this.protection.tokens()
			.sign(FORM_PURPOSE, String.valueOf(shownAt.toEpochMilli()), SignedTokens.Length.FULL);
	}

	/** The community with this 12-digit code, as printed in its report link. */
	public Optional<Community> community(String code) {
		return DivisionCode.normalize(code)
			.flatMap(c -> this.jdbc.sql("""
					select id, code, name, path from registry_division where code = :code and kind = 'COMMUNITY'""")
				.param("code", c)
				.query(Community.class)
				.optional());
	}

	/** Communities to choose from when the form was opened without a community link. */
	public List<Community> communities() {
		return this.jdbc.sql("""
				select id, code, name, path from registry_division
				where kind = 'COMMUNITY' and code is not null
				order by code limit 2000""").query(Community.class).list();
	}

	/**
	 * Files a report, or finds the one already filed. Invalid input writes nothing.
	 * @param client the client's address; only a keyed hash of it is stored, for the rate
	 * limit
	 * @throws InvalidReport with every field error at once
	 * @throws InvalidInput "returnee.limit.*" when a rate limit is reached,
	 * "returnee.form.*" for a stale or hurried form
	 */
	@Transactional
	public Receipt submit(Submission form, String client) {
		byte[] clientHash = this.protection.lookupHash("returnee-client:" + client);
		Instant now = this.clock.instant();
		if (!FullWidth.clean(form.website()).isEmpty()) {
			// A robot filled the field people never see: answer as if filed, so it learns
			// nothing.
			record(clientHash, null, "HONEYPOT");
			return new Receipt(null, null, false);
		}
		Instant shownAt = verifyToken(form.started());
		if (shownAt == null || shownAt.isBefore(now.minus(FORM_LIFETIME)) || shownAt.isAfter(now.plusSeconds(60))) {
			throw new InvalidInput("started", "returnee.form.expired");
		}
		if (Duration.between(shownAt, now).compareTo(this.minFillTime) < 0) {
			record(clientHash, null, "TOO_FAST");
			throw new InvalidInput("started", "returnee.form.tooFast");
		}
		Valid report = validate(form, LocalDate.now(this.clock));

		// One submission at a time per client and per person, so the counts below cannot
		// be raced past.
		lock("returnee-client:" + Base64.getEncoder().encodeToString(clientHash));
		lock("returnee-id:" + Base64.getEncoder().encodeToString(report.idHash()));
		Optional<Long> existing = this.jdbc.sql("""
				select id from returnee_report
				where id_hash = :hash and arrival_date = :arrival and community_id = :community""")
			.param("hash", report.idHash())
			.param("arrival", Date.valueOf(report.arrival()))
			.param("community", report.community().id())
			.query(Long.class)
			.optional();
		if (existing.isPresent()) {
			return new Receipt(reference(existing.get()), report.community().name(), false);
		}
		long byClient = this.jdbc.sql("""
				select count(*) from returnee_submission where client_hash = :client and at > :since""")
			.param("client", clientHash)
			.param("since", java.sql.Timestamp.from(now.minus(Duration.ofHours(1))))
			.query(Long.class)
			.single();
		if (byClient >= this.maxPerClientHour) {
			throw new InvalidInput("form", "returnee.limit.client");
		}
		long byId = this.jdbc.sql("""
				select count(*) from returnee_report where id_hash = :hash and reported_at > :since""")
			.param("hash", report.idHash())
			.param("since", java.sql.Timestamp.from(now.minus(Duration.ofDays(1))))
			.query(Long.class)
			.single();
		if (byId >= this.maxPerIdDay) {
			throw new InvalidInput("idNumber", "returnee.limit.person");
		}
		Long residentId = report.idType() == IdType.RESIDENT_ID
				? this.directory.byIdNumber(report.idNumber()).map(ResidentDirectory.ResidentSnapshot::id).orElse(null)
				: null;
		long id = this.jdbc.sql("""
				insert into returnee_report (community_id, path, name, id_type, id_cipher, id_hash, id_masked,
				    phone_cipher, phone_masked, address, origin_code, origin_name, arrival_date, transport,
				    transport_number, resident_id, reported_at)
				values (:community, :path, :name, :idType, :idCipher, :idHash, :idMasked, :phoneCipher, :phoneMasked,
				    :address, :originCode, :originName, :arrival, :transport, :transportNumber, :resident, :at)
				returning id""")
			.param("community", report.community().id())
			.param("path", report.community().path())
			.param("name", report.name())
			.param("idType", report.idType().name())
			.param("idCipher", this.protection.encrypt(report.idNumber()))
			.param("idHash", report.idHash())
			.param("idMasked",
					report.idType() == IdType.RESIDENT_ID ? new IdNumber(report.idNumber()).masked()
							: IdNumber.mask(report.idNumber()))
			.param("phoneCipher", this.protection.encrypt(report.phone().value()))
			.param("phoneMasked", report.phone().masked())
			.param("address", report.address())
			.param("originCode", report.originCode())
			.param("originName", report.originName())
			.param("arrival", Date.valueOf(report.arrival()))
			.param("transport", report.transport().name())
			.param("transportNumber", report.transportNumber())
			.param("resident", residentId)
			.param("at", java.sql.Timestamp.from(now))
			.query(Long.class)
			.single();
		record(clientHash, report.idHash(), "CREATED");
		return new Receipt(reference(id), report.community().name(), true);
	}

	/**
	 * A report's reference: eight letters and digits derived from its id, unguessable
	 * from other references.
	 */
	public String reference(long reportId) {
		byte[] mac = this.protection.sign(REFERENCE_PURPOSE, String.valueOf(reportId));
		String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			out.append(alphabet.charAt((mac[i] & 0xff) % alphabet.length()));
			if (i == 3) {
				out.append('-');
			}
		}
		return out.toString();
	}

	/** The input, checked and normalized. */
	public record Valid(Community community, String name, IdType idType, String idNumber, byte[] idHash,
			PhoneNumber phone, String address, String originCode, String originName, LocalDate arrival,
			Transport transport, String transportNumber) {
	}

	public Valid validate(Submission form, LocalDate today) {
		List<InvalidInput> errors = new ArrayList<>();
		String name = FullWidth.clean(form.name());
		if (name.isEmpty()) {
			errors.add(new InvalidInput("name", "returnee.name.required"));
		}
		else if (name.length() > 50) {
			errors.add(new InvalidInput("name", "returnee.tooLong", 50));
		}
		IdType idType = IdType.fromLabel(form.idType()).orElse(null);
		String idNumber = null;
		if (idType == null) {
			errors.add(new InvalidInput("idType", "returnee.idType.unknown"));
		}
		else if (idType == IdType.RESIDENT_ID) {
			try {
				idNumber = IdNumber.of(limit(form.idNumber(), 40)).value();
			}
			catch (IllegalArgumentException ex) {
				errors.add(new InvalidInput("idNumber", ex.getMessage()));
			}
		}
		else {
			idNumber = IdType.normalizeOther(limit(form.idNumber(), 40)).orElse(null);
			if (idNumber == null) {
				errors.add(new InvalidInput("idNumber", "returnee.idNumber.other"));
			}
		}
		String phoneText = limit(FullWidth.clean(form.phone()), 30);
		PhoneNumber phone = PhoneNumber.parse(phoneText).orElse(null);
		if (phone == null) {
			errors.add(phoneText.isEmpty() ? new InvalidInput("phone", "returnee.phone.required")
					: new InvalidInput("phone", "resident.phone.invalid", phoneText));
		}
		Community community = community(form.community()).orElse(null);
		if (community == null) {
			errors.add(new InvalidInput("community", "returnee.community.unknown"));
		}
		String address = FullWidth.clean(form.address());
		if (address.isEmpty()) {
			errors.add(new InvalidInput("address", "returnee.address.required"));
		}
		else if (address.length() > 100) {
			errors.add(new InvalidInput("address", "returnee.tooLong", 100));
		}
		String originRaw = firstFilled(form.originCode(), form.originDistrict(), form.originCity());
		String originCode = null;
		String originName = null;
		if (originRaw.isEmpty()) {
			errors.add(new InvalidInput("origin", "returnee.origin.required"));
		}
		else {
			originCode = DivisionCode.normalize(limit(originRaw, 20)).orElse(null);
			originName = originCode == null ? null : this.divisions.describe(originCode).orElse(null);
			if (originName == null) {
				errors.add(new InvalidInput("origin", "returnee.origin.unknown", limit(originRaw, 20)));
			}
		}
		LocalDate arrival = null;
		String arrivalText = limit(FullWidth.clean(form.arrivalDate()), 20);
		try {
			arrival = arrivalText.isEmpty() ? null : LocalDate.parse(arrivalText.replace('/', '-').replace('.', '-'));
		}
		catch (DateTimeParseException ex) {
			errors.add(new InvalidInput("arrivalDate", "returnee.arrival.invalid"));
		}
		if (arrival == null && arrivalText.isEmpty()) {
			errors.add(new InvalidInput("arrivalDate", "returnee.arrival.required"));
		}
		else if (arrival != null && arrival.isAfter(today)) {
			errors.add(new InvalidInput("arrivalDate", "returnee.arrival.future"));
		}
		else if (arrival != null && arrival.isBefore(today.minusDays(MAX_DAYS_AGO))) {
			errors.add(new InvalidInput("arrivalDate", "returnee.arrival.tooOld", MAX_DAYS_AGO));
		}
		Transport transport = null;
		try {
			transport = Transport.valueOf(FullWidth.clean(form.transport()).toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			errors.add(new InvalidInput("transport", "returnee.transport.unknown"));
		}
		String number = FullWidth.clean(form.transportNumber()).replace(" ", "").toUpperCase(Locale.ROOT);
		if (number.length() > 30) {
			errors.add(new InvalidInput("transportNumber", "returnee.tooLong", 30));
		}
		else if (number.isEmpty() && (transport == Transport.TRAIN || transport == Transport.FLIGHT)) {
			errors.add(new InvalidInput("transportNumber", "returnee.transportNumber.required"));
		}
		if (!errors.isEmpty()) {
			throw new InvalidReport(errors);
		}
		return new Valid(community, name, idType, idNumber, this.protection.lookupHash(idType.name() + ":" + idNumber),
				phone, address, originCode, originName, arrival, transport, number.isEmpty() ? null : number);
	}

	/**
	 * Submissions are needed for an hour (client) and a day (person, counted on the
	 * reports); two days is plenty.
	 */
	@Scheduled(fixedDelay = 3_600_000, initialDelay = 300_000)
	public void forgetOldSubmissions() {
		this.jdbc.sql("delete from returnee_submission where at < :before")
			.param("before", java.sql.Timestamp.from(this.clock.instant().minus(Duration.ofDays(2))))
			.update();
	}

	private Instant verifyToken(String token) {
		if (token == null || token.length() > 100) {
			return null;
		}
		return this.protection.tokens()
			.verify(FORM_PURPOSE, token, SignedTokens.Length.FULL)
			.filter(millis -> millis.matches("\\d{1,15}"))
			.map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)))
			.orElse(null);
	}

	private void record(byte[] clientHash, byte[] idHash, String outcome) {
		this.jdbc.sql("insert into returnee_submission (client_hash, id_hash, outcome, at) values (:c, :i, :o, :at)")
			.param("c", clientHash)
			.param("i", idHash)
			.param("o", outcome)
			.param("at", java.sql.Timestamp.from(this.clock.instant()))
			.update();
	}

	private void lock(String key) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
			.param("key", key)
			.query(Object.class)
			.single();
	}

	private static String firstFilled(String... values) {
		for (String value : values) {
			String clean = FullWidth.clean(value);
			if (!clean.isEmpty()) {
				return clean;
			}
		}
		return "";
	}

	/**
	 * Cuts absurdly long input before parsing it; the parsers then reject it as
	 * malformed.
	 */
	private static String limit(String text, int max) {
		if (text == null) {
			return "";
		}
		return text.length() > max ? text.substring(0, max) + "…" : text;
	}

}
