package org.fangxian.audit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.NumberFormat;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * The audit trail in the reader's language: action codes and target types from this
 * module's bundle (messages/audit), and the details, written in English by each module,
 * with their terms and codes (HIGH, UNMASKED…) in Chinese and counts in one format
 * (6,000). The stored rows stay as written: they are evidence.
 */
@Component
public class AuditTexts {

	/** Digit runs that stand alone (not part of a date, time, code or address). */
	private static final Pattern NUMBER = Pattern.compile("(?<![\\w.:/-])(\\d{4,9})(?![\\w.:/-])");

	/** Words after which a number is an id (node 12345), not a count. */
	private static final Pattern ID_BEFORE = Pattern
		.compile("(?i)(node|round|tube|pass|resident|household|account|batch|generation|#)\\s*$");

	/** A role's code as account details write it ("role CHECKPOINT_GUARD"). */
	private static final Pattern ROLE = Pattern.compile("\\brole ([A-Z][A-Z_]+)\\b");

	private final MessageSource messages;

	/** English phrase → Chinese, longest first so that phrases win over their words. */
	private final List<Map.Entry<Pattern, String>> chineseTerms;

	AuditTexts(MessageSource messages) {
		this.messages = messages;
		Properties terms = new Properties();
		try (InputStream in = AuditTexts.class.getResourceAsStream("/audit/detail-terms.properties")) {
			if (in != null) {
				terms.load(new InputStreamReader(in, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.chineseTerms = terms.stringPropertyNames()
			.stream()
			.sorted(Comparator.comparingInt(String::length).reversed())
			.map(english -> Map.entry(Pattern.compile("(?<![\\w<])" + Pattern.quote(english) + "(?![\\w>])"),
					Matcher.quoteReplacement(terms.getProperty(english))))
			.toList();
	}

	private static Locale locale() {
		return LocaleContextHolder.getLocale();
	}

	private static boolean chinese() {
		return "zh".equals(locale().getLanguage());
	}

	/** RESIDENTS_SEARCHED → 查询居民; an unknown code is shown as it is. */
	public String action(String code) {
		return code == null ? "" : this.messages.getMessage("audit.action." + code, null, code, locale());
	}

	/** "resident 42" → "居民 42". */
	public String target(String type, String id) {
		if (type == null) {
			return "";
		}
		String name = this.messages.getMessage("audit.target." + type, null, type, locale());
		return id == null ? name : name + " " + id;
	}

	public String detail(String detail) {
		if (detail == null || detail.isBlank()) {
			return "";
		}
		String text = counts(detail);
		if (!chinese()) {
			return text;
		}
		// "role CHECKPOINT_GUARD" → "role 卡点值守" (then 角色 by the terms): the roles' names
		// where the account pages have them, not a second list here.
		Matcher role = ROLE.matcher(text);
		StringBuilder named = new StringBuilder();
		while (role.find()) {
			String label = this.messages.getMessage("role." + role.group(1), null, role.group(1), locale());
			role.appendReplacement(named, Matcher.quoteReplacement("role " + label));
		}
		text = role.appendTail(named).toString();
		for (Map.Entry<Pattern, String> term : this.chineseTerms) {
			text = term.getKey().matcher(text).replaceAll(term.getValue());
		}
		return text.replace(", ", "，").replace(": ", "：");
	}

	/** 6000 → 6,000 for counts; ids and codes stay as they are. */
	private static String counts(String detail) {
		NumberFormat format = NumberFormat.getIntegerInstance(Locale.ROOT);
		format.setGroupingUsed(true);
		Matcher m = NUMBER.matcher(detail);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			boolean id = ID_BEFORE.matcher(detail.substring(0, m.start())).find();
			m.appendReplacement(out, id ? m.group() : format.format(Long.parseLong(m.group(1))));
		}
		m.appendTail(out);
		return out.toString();
	}

}
