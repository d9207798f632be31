package org.fangxian.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every code written to the audit trail reads as Chinese on the audit page: each
 * upper-case literal in a statement that writes an audit row is either an action in
 * messages/audit(_en) or a term of the details (audit/detail-terms.properties).
 */
class AuditTextsCoverageTest {

	static final Pattern WRITE = Pattern.compile("AuditEvent\\.of\\(|new AuditEvent\\(|\\bchanged\\(");

	static final Pattern CODE = Pattern.compile("\"([A-Z][A-Z_]{3,})\"");

	static Properties load(String resource) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = AuditTextsCoverageTest.class.getResourceAsStream(resource)) {
			properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
		}
		return properties;
	}

	@Test
	void everyAuditedCodeHasAChineseAndAnEnglishText() throws IOException {
		TreeSet<String> codes = new TreeSet<>();
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
				String source = Files.readString(file);
				if (!source.contains("AuditEvent") && !file.toString().contains("AccountService")
						&& !file.toString().endsWith("AuditLog.java")) {
					continue;
				}
				// AuditLog's own rows (sign-ins) are written by its insert(…).
				Matcher write = (file.toString().endsWith("AuditLog.java") ? Pattern.compile("\\binsert\\(") : WRITE)
					.matcher(source);
				while (write.find()) {
					int end = source.indexOf(';', write.end());
					Matcher code = CODE.matcher(source.substring(write.end(), end));
					while (code.find()) {
						if (!code.group(1).endsWith("_")) {
							codes.add(code.group(1));
						}
					}
				}
			}
		}
		// Seals writes "SEAL_" + its event kind.
		for (String kind : List.of("SEALED", "EXTENDED", "LIFTED", "UNSEALED")) {
			codes.add("SEAL_" + kind);
		}
		assertThat(codes).contains("RESIDENTS_SEARCHED", "LOGIN", "ACCOUNT_CREATED", "CASE_OPENED");
		Properties zh = load("/messages/audit.properties");
		Properties en = load("/messages/audit_en.properties");
		Properties terms = load("/audit/detail-terms.properties");
		List<String> untranslated = new ArrayList<>();
		for (String code : codes) {
			boolean action = zh.containsKey("audit.action." + code) && en.containsKey("audit.action." + code);
			if (!action && !terms.containsKey(code)) {
				untranslated.add(code);
			}
		}
		assertThat(untranslated).isEmpty();
	}

}
