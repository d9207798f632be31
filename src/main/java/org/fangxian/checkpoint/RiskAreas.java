package org.fangxian.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionCode;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.SpreadsheetUpload;
import org.fangxian.shared.web.PageMessages;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The register of medium/high-risk areas by division code, with history: entries are
 * appended, so the level of any area on any past day can be told (needed to judge a check
 * made that day).
 */
@Service
public class RiskAreas {

	public enum Level {

		LOW, MEDIUM, HIGH

	}

	/** An entry of the register. */
	public record RiskArea(long id, String divisionCode, Level level, LocalDate effectiveFrom, LocalDate effectiveTo,
			String note) {
	}

	/** What an HQ administrator enters, or a row of an imported list. */
	public record NewRiskArea(String divisionCode, String level, LocalDate effectiveFrom, LocalDate effectiveTo,
			String note) {
	}

	/** An import of a list: good rows added, bad ones reported by row. */
	public record ImportReport(int accepted, List<Rejected> rejected) {

		public record Rejected(int row, String reason) {
		}

	}

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	/** A refused row's reason as the person importing reads it: "风险等级: …". */
	private final PageMessages messages;

	RiskAreas(JdbcClient jdbc, ApplicationEventPublisher events, PageMessages messages) {
		this.messages = messages.labelled();
		this.jdbc = jdbc;
		this.events = events;
	}

	@Transactional
	public long add(CurrentUser user, NewRiskArea entry) {
		user.require(Permission.MANAGE_RISK_AREAS);
		long id = insert(user, validate(entry));
		this.events.publishEvent(AuditEvent.of(user, "RISK_AREA_SET", "division", entry.divisionCode(), entry.level()));
		return id;
	}

	/** CSV with columns code, level, from[, to[, note]]; a header row is skipped. */
	@Transactional
	public ImportReport importList(CurrentUser user, InputStream in) {
		user.require(Permission.MANAGE_RISK_AREAS);
		List<ImportReport.Rejected> rejected = new ArrayList<>();
		int accepted = 0;
		try (SpreadsheetUpload upload = SpreadsheetUpload.receive(in, "risk-areas.csv");
				Reader reader = upload.csv(StandardCharsets.UTF_8)) {
			int row = 0;
			for (CSVRecord record : CSVFormat.DEFAULT.parse(reader)) {
				row++;
				String first = FullWidth.clean(record.get(0)).replace("\uFEFF", "");
				if (row == 1 && !first.matches("\\d+")) {
					continue;
				}
				try {
					LocalDate from = parseDate(record.size() > 2 ? record.get(2) : "", "effectiveFrom");
					LocalDate to = record.size() > 3 && !FullWidth.clean(record.get(3)).isEmpty()
							? parseDate(record.get(3), "effectiveTo") : null;
					insert(user, validate(new NewRiskArea(first, record.size() > 1 ? record.get(1) : "", from, to,
							record.size() > 4 ? record.get(4) : null)));
					accepted++;
				}
				catch (InvalidInput ex) {
					rejected.add(new ImportReport.Rejected(row, this.messages.text(ex)));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (UncheckedIOException ex) {
			if (!(ex.getCause() instanceof CSVException)) {
				throw ex;
			}
			// No CSV (a quote never closed): bad input, and none of its rows is kept.
			throw new InvalidInput("file", "risk.import.unreadable");
		}
		this.events.publishEvent(AuditEvent.of(user, "RISK_AREAS_IMPORTED", "division", null,
				accepted + " accepted, " + rejected.size() + " rejected"));
		return new ImportReport(accepted, rejected);
	}

	/**
	 * The level of a division on a day: the most specific listed code containing it wins;
	 * LOW if none.
	 */
	public Level levelOn(String divisionCode, LocalDate day) {
		Optional<String> code = DivisionCode.normalize(divisionCode);
		if (code.isEmpty()) {
			return Level.LOW;
		}
		String c = code.get();
		return this.jdbc.sql("""
				select level from risk_area
				where division_code in (:community, :street, :district, :city, :province)
				  and effective_from <= :day and (effective_to is null or effective_to >= :day)
				order by case division_code when :community then 1 when :street then 2 when :district then 3
				         when :city then 4 else 5 end, created_at desc
				limit 1""")
			.param("community", c)
			.param("street", c.substring(0, 9) + "000")
			.param("district", c.substring(0, 6) + "000000")
			.param("city", c.substring(0, 4) + "00000000")
			.param("province", c.substring(0, 2) + "0000000000")
			.param("day", Date.valueOf(day))
			.query(String.class)
			.optional()
			.map(Level::valueOf)
			.orElse(Level.LOW);
	}

	/** Entries in force on a day. */
	public List<RiskArea> inForce(LocalDate day) {
		return this.jdbc.sql("""
				select id, division_code, level, effective_from, effective_to, note from risk_area
				where effective_from <= :day and (effective_to is null or effective_to >= :day)
				order by division_code, created_at""").param("day", Date.valueOf(day)).query(RiskArea.class).list();
	}

	private NewRiskArea validate(NewRiskArea entry) {
		String code = DivisionCode.normalize(entry.divisionCode())
			.orElseThrow(() -> new InvalidInput("divisionCode", "node.code.invalid"));
		String levelText = FullWidth.clean(entry.level()).toUpperCase();
		Level level = switch (levelText) {
			case "LOW", "低", "低风险" -> Level.LOW;
			case "MEDIUM", "中", "中风险" -> Level.MEDIUM;
			case "HIGH", "高", "高风险" -> Level.HIGH;
			default -> throw new InvalidInput("level", "risk.level.unknown");
		};
		if (entry.effectiveFrom() == null) {
			throw new InvalidInput("effectiveFrom", "risk.from.required");
		}
		if (entry.effectiveTo() != null && entry.effectiveTo().isBefore(entry.effectiveFrom())) {
			throw new InvalidInput("effectiveTo", "risk.to.beforeFrom");
		}
		return new NewRiskArea(code, level.name(), entry.effectiveFrom(), entry.effectiveTo(), entry.note());
	}

	private long insert(CurrentUser user, NewRiskArea entry) {
		String note = FullWidth.clean(entry.note());
		return this.jdbc.sql("""
				insert into risk_area (division_code, level, effective_from, effective_to, note, created_by)
				values (:code, :level, :from, :to, :note, :by) returning id""")
			.param("code", entry.divisionCode())
			.param("level", entry.level())
			.param("from", Date.valueOf(entry.effectiveFrom()))
			.param("to", entry.effectiveTo() == null ? null : Date.valueOf(entry.effectiveTo()))
			.param("note", note.isEmpty() ? null : note.substring(0, Math.min(200, note.length())))
			.param("by", user.accountId())
			.query(Long.class)
			.single();
	}

	private static LocalDate parseDate(String raw, String field) {
		try {
			return LocalDate.parse(FullWidth.clean(raw).replace('/', '-').replace('.', '-'));
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInput(field, "risk.date.invalid");
		}
	}

}
