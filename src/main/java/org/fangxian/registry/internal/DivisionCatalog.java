package org.fangxian.registry.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionCode;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loads part of the official division list (provinces down to community and village
 * committees, bundled from the {@code china-division} data set) into the tree. Loading
 * the same part again changes nothing: nodes are matched by their code.
 */
@Service
public class DivisionCatalog {

	private final DivisionNodes nodes;

	private final ApplicationEventPublisher events;

	DivisionCatalog(DivisionNodes nodes, ApplicationEventPublisher events) {
		this.nodes = nodes;
		this.events = events;
	}

	/** What a load did. */
	public record LoadReport(String code, int created, int existing) {
	}

	private record Entry(String code, String name, String parentCode, NodeKind kind) {
	}

	/**
	 * Loads the division with the given official code (2, 4, 6, 9 or 12 digits) and
	 * everything under it, creating its ancestors first.
	 */
	@Transactional
	public LoadReport load(CurrentUser user, String rawCode) {
		user.require(Permission.IMPORT_DIVISIONS);
		String digits = rawCode == null ? "" : org.fangxian.shared.FullWidth.clean(rawCode).replace(" ", "");
		if (!digits.matches("\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12}")) {
			throw new InvalidInput("code", "node.code.invalid");
		}
		List<Entry> entries = new ArrayList<>();
		// Ancestors of the requested division, then the division and all its descendants.
		read("provinces.csv", NodeKind.PROVINCE, -1, digits, entries);
		read("cities.csv", NodeKind.CITY, 2, digits, entries);
		read("areas.csv", NodeKind.DISTRICT, 2, digits, entries);
		read("streets.csv", NodeKind.STREET, 2, digits, entries);
		read("villages.csv.gz", NodeKind.COMMUNITY, 2, digits, entries);
		if (entries.stream().noneMatch(e -> e.code().startsWith(digits) && e.code().length() == digits.length())) {
			throw new InvalidInput("code", "division.code.unknown", digits);
		}
		// An account bound to a node loads only inside it; otherwise it would create
		// nodes outside its jurisdiction.
		Node own = user.nodeId() == null ? null : this.nodes.findById(user.nodeId()).orElseThrow();
		if (own != null && !inside(own, DivisionCode.normalize(digits).orElseThrow())) {
			throw new CurrentUser.OutsideJurisdictionException();
		}

		Map<String, Long> idsByCode = new HashMap<>();
		int created = 0;
		int existing = 0;
		for (Entry entry : entries) {
			String code = DivisionCode.normalize(entry.code()).orElseThrow();
			var found = this.nodes.findByCode(code);
			if (found.isPresent()) {
				idsByCode.put(entry.code(), found.get().id());
				existing++;
				continue;
			}
			if (own != null && !inside(own, code)) {
				continue; // a missing ancestor above the account's node: not the
							// account's to create
			}
			Long parentId = entry.parentCode() == null ? null : idsByCode.get(entry.parentCode());
			if (entry.parentCode() != null && parentId == null) {
				continue; // parent outside the list (data set gap): skip rather than
							// misplace
			}
			Node node = this.nodes.insert(parentId, entry.kind(), code,
					uniqueName(parentId, entry.name(), entry.code()));
			idsByCode.put(entry.code(), node.id());
			created++;
		}
		this.events.publishEvent(AuditEvent.of(user, "DIVISIONS_LOADED", "division", digits,
				"created " + created + ", existing " + existing));
		return new LoadReport(digits, created, existing);
	}

	/** Whether a 12-digit code is the node's own or lies beneath it. */
	private static boolean inside(Node node, String code) {
		return node.code() != null
				&& (code.equals(node.code()) || DivisionCode.isWithin(code, node.code(), node.kind()));
	}

	private String uniqueName(Long parentId, String name, String code) {
		// A few villages share a name within one town in the official list; keep both,
		// told apart by code.
		return this.nodes.findChild(parentId, name).isPresent() ? name + " (" + code + ")" : name;
	}

	/**
	 * Reads one level's file, keeping rows that are ancestors of the requested code or
	 * inside it.
	 * @param parentColumn column holding the parent's code, or -1 for provinces
	 */
	private static void read(String file, NodeKind kind, int parentColumn, String requested, List<Entry> into) {
		try (InputStream raw = new ClassPathResource("divisions/" + file).getInputStream();
				InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
				BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8),
						1 << 16)) {
			for (CSVRecord record : CSVFormat.DEFAULT.builder()
				.setHeader()
				.setSkipHeaderRecord(true)
				.get()
				.parse(reader)) {
				String code = record.get(0);
				boolean ancestor = requested.startsWith(code) && code.length() < requested.length();
				boolean inside = code.startsWith(requested);
				if (ancestor || inside) {
					into.add(new Entry(code, displayName(record.get(1)),
							parentColumn < 0 ? null : record.get(parentColumn), kind));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** "福乐湾社区居委会" → "福乐湾社区": the committee suffix is noise on every screen. */
	static String displayName(String official) {
		return official.replaceFirst("(社区)?居民委员会$|(社区)?居委会$", "社区")
			.replaceFirst("村民委员会$|村委会$", "村")
			.replace("社区社区", "社区");
	}

}
