package org.fangxian.task.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PhoneNumber;
import org.fangxian.shared.SpreadsheetUpload;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The 12345 hotline's daily export (12345 日报) imported as work orders. The first row
 * names the columns (any order): 工单编号, 来电时间, 来电号码, 内容, 分类, 所属社区/街道 (a community or street
 * of the caller's jurisdiction by name, "街道/社区", or its 12-digit code). A row that fails
 * is reported with its number and the column; the others are imported in one transaction.
 * The hotline's ticket number is unique, so the same export twice adds nothing
 * (docs/hotline-import.md).
 */
@Service
public class HotlineImport {

	/** Header → column, with the names the hotline's exports have used. */
	static final Map<String, String> HEADERS = Map.ofEntries(Map.entry("工单编号", "ref"), Map.entry("工单号", "ref"),
			Map.entry("来电时间", "calledAt"), Map.entry("受理时间", "calledAt"), Map.entry("来电号码", "phone"),
			Map.entry("联系电话", "phone"), Map.entry("内容", "content"), Map.entry("反映内容", "content"),
			Map.entry("诉求内容", "content"), Map.entry("分类", "category"), Map.entry("问题分类", "category"),
			Map.entry("所属社区/街道", "node"), Map.entry("所属社区", "node"), Map.entry("所属街道", "node"),
			Map.entry("承办单位", "node"));

	static final List<String> REQUIRED = List.of("ref", "phone", "content", "category", "node");

	static final int MAX_ROWS = 5_000;

	static final SpreadsheetUpload.Limits LIMITS = SpreadsheetUpload.Limits.DEFAULT.withMaxRows(MAX_ROWS + 1)
		.withMaxCells(200_000);

	private static final List<DateTimeFormatter> TIMES = List.of(DateTimeFormatter.ofPattern("yyyy-M-d H:mm[:ss]"),
			DateTimeFormatter.ofPattern("yyyy/M/d H:mm[:ss]"), DateTimeFormatter.ofPattern("yyyy年M月d日 H:mm[:ss]"),
			DateTimeFormatter.ofPattern("yyyy-M-d'T'H:mm[:ss]"));

	private final JdbcClient jdbc;

	private final WorkOrders orders;

	private final DivisionTree tree;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	HotlineImport(JdbcClient jdbc, WorkOrders orders, DivisionTree tree, ApplicationEventPublisher events,
			Clock clock) {
		this.jdbc = jdbc;
		this.orders = orders;
		this.tree = tree;
		this.events = events;
		this.clock = clock;
	}

	/** A row left out: its number in the sheet, the column, why (a message key). */
	public record Rejected(int row, String column, String code, List<Object> args) {
	}

	/**
	 * What an import did: rows read, orders opened, rows already imported (by their
	 * ticket number), rows refused.
	 */
	public record Report(int rows, int imported, int skipped, List<Rejected> rejected) {
	}

	@Transactional
	public Report run(CurrentUser user, String filename, byte[] content) {
		user.require(Permission.SUPERVISE_TASKS);
		if (content == null || content.length == 0) {
			throw new InvalidInput("file", "task.import.empty");
		}
		List<List<String>> rows = read(filename, content);
		if (rows.isEmpty()) {
			throw new InvalidInput("file", "task.import.empty");
		}
		Map<String, Integer> columns = new HashMap<>();
		List<String> header = rows.get(0);
		for (int i = 0; i < header.size(); i++) {
			String name = HEADERS.get(header.get(i).replace(" ", "").replace("　", ""));
			if (name != null) {
				columns.putIfAbsent(name, i);
			}
		}
		for (String needed : REQUIRED) {
			if (!columns.containsKey(needed)) {
				throw new InvalidInput("file", "task.import.columns");
			}
		}
		if (rows.size() - 1 > MAX_ROWS) {
			throw new InvalidInput("file", "task.import.tooMany", MAX_ROWS);
		}
		// one import at a time: two runs of the same export cannot both open an order
		this.jdbc.sql("select pg_advisory_xact_lock(hashtext('task:hotline-import'))").query().listOfRows();
		Map<String, List<Node>> places = places(user);
		Set<String> seen = new HashSet<>();
		List<Rejected> rejected = new ArrayList<>();
		int imported = 0;
		int skipped = 0;
		int count = 0;
		for (int r = 1; r < rows.size(); r++) {
			List<String> row = rows.get(r);
			if (row.stream().allMatch(String::isBlank)) {
				continue;
			}
			count++;
			int number = r + 1;
			String ref = cell(row, columns.get("ref"));
			if (ref.isEmpty() || ref.length() > 40) {
				rejected.add(new Rejected(number, "工单编号",
						ref.isEmpty() ? "task.import.required" : "task.import.tooLong", List.of(40)));
				continue;
			}
			String content2 = cell(row, columns.get("content"));
			String category = cell(row, columns.get("category"));
			if (content2.isEmpty() || content2.length() > 2000) {
				rejected.add(new Rejected(number, "内容",
						content2.isEmpty() ? "task.import.required" : "task.import.tooLong", List.of(2000)));
				continue;
			}
			if (category.isEmpty() || category.length() > 40) {
				rejected.add(new Rejected(number, "分类",
						category.isEmpty() ? "task.import.required" : "task.import.tooLong", List.of(40)));
				continue;
			}
			PhoneNumber phone = PhoneNumber.parse(cell(row, columns.get("phone"))).orElse(null);
			if (phone == null) {
				rejected.add(new Rejected(number, "来电号码", "task.import.phone", List.of()));
				continue;
			}
			String place = cell(row, columns.get("node"));
			List<Node> nodes = places.getOrDefault(key(place), List.of());
			if (nodes.size() != 1) {
				rejected.add(new Rejected(number, "所属社区/街道",
						place.isEmpty() ? "task.import.required"
								: nodes.isEmpty() ? "task.import.unknownPlace" : "task.import.ambiguousPlace",
						List.of(place)));
				continue;
			}
			Instant calledAt = null;
			if (columns.containsKey("calledAt") && !cell(row, columns.get("calledAt")).isEmpty()) {
				calledAt = time(cell(row, columns.get("calledAt")));
				if (calledAt == null) {
					rejected.add(new Rejected(number, "来电时间", "task.import.time",
							List.of(cell(row, columns.get("calledAt")))));
					continue;
				}
			}
			// Only now, with the row's place in the caller's jurisdiction: a ticket of
			// another street's place is refused as that, whether or not someone there
			// imported it.
			if (!seen.add(ref) || exists(ref)) {
				skipped++;
				continue;
			}
			this.orders.open(user, nodes.get(0), content2, category, phone, ref, calledAt);
			imported++;
		}
		this.events.publishEvent(AuditEvent.of(user, "WORK_ORDERS_IMPORTED", "task", "12345",
				"imported " + imported + ", skipped " + skipped + ", rejected " + rejected.size()));
		return new Report(count, imported, skipped, rejected);
	}

	private boolean exists(String ref) {
		return this.jdbc.sql("select count(*) from work_order where hotline_ref = :ref")
			.param("ref", ref)
			.query(Integer.class)
			.single() > 0;
	}

	private Instant time(String raw) {
		for (DateTimeFormatter format : TIMES) {
			try {
				return LocalDateTime.parse(raw, format).atZone(this.clock.getZone()).toInstant();
			}
			catch (DateTimeParseException ex) {
				// the next pattern
			}
		}
		return null;
	}

	private static String key(String place) {
		return place.replace(" ", "").replace("/", "").replace("　", "");
	}

	/**
	 * The streets and communities of the caller's jurisdiction by name, "街道社区" and code;
	 * a name two of them share lists both (the row is then refused as ambiguous).
	 */
	private Map<String, List<Node>> places(CurrentUser user) {
		Map<String, List<Node>> places = new HashMap<>();
		List<Node> tops = user.nodeId() == null ? this.tree.tops(user) : List.of(this.tree.node(user, user.nodeId()));
		for (Node top : tops) {
			List<Node> nodes = new ArrayList<>();
			if (top.kind().ordinal() <= NodeKind.COMMUNITY.ordinal()) {
				nodes.add(top);
			}
			if (top.kind().ordinal() < NodeKind.STREET.ordinal()) {
				nodes.addAll(this.tree.within(user, top.id(), NodeKind.STREET));
			}
			if (top.kind().ordinal() < NodeKind.COMMUNITY.ordinal()) {
				nodes.addAll(this.tree.within(user, top.id(), NodeKind.COMMUNITY));
			}
			Map<Long, Node> byId = new HashMap<>();
			nodes.forEach(n -> byId.put(n.id(), n));
			for (Node node : nodes) {
				add(places, node.name(), node);
				add(places, node.code(), node);
				Node parent = node.parentId() == null ? null : byId.get(node.parentId());
				if (parent != null && node.kind() == NodeKind.COMMUNITY) {
					add(places, parent.name() + node.name(), node);
				}
			}
		}
		return places;
	}

	private static void add(Map<String, List<Node>> places, String key, Node node) {
		if (key == null) {
			return;
		}
		List<Node> list = places.computeIfAbsent(key(key), k -> new ArrayList<>());
		if (list.stream().noneMatch(n -> n.id() == node.id())) {
			list.add(node);
		}
	}

	private static String cell(List<String> row, Integer index) {
		return index == null || index >= row.size() ? "" : FullWidth.clean(row.get(index)).strip();
	}

	// ------------------------------------------------------------------ reading

	static List<List<String>> read(String filename, byte[] content) {
		try (SpreadsheetUpload upload = SpreadsheetUpload.receive(new ByteArrayInputStream(content), filename,
				LIMITS)) {
			return upload.format() == SpreadsheetUpload.Format.XLSX ? xlsx(upload) : csv(upload);
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof InvalidInput invalid) {
				throw invalid;
			}
			throw new InvalidInput("file", "task.import.unreadable");
		}
	}

	private static List<List<String>> csv(SpreadsheetUpload upload) throws IOException {
		List<List<String>> rows = new ArrayList<>();
		try (Reader reader = upload.csv(StandardCharsets.UTF_8)) {
			for (CSVRecord record : CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get().parse(reader)) {
				List<String> row = new ArrayList<>();
				record.forEach(value -> row.add(value.replace("\uFEFF", "")));
				rows.add(row);
			}
		}
		return rows;
	}

	private static List<List<String>> xlsx(SpreadsheetUpload upload) throws IOException {
		List<List<String>> rows = new ArrayList<>();
		try (ReadableWorkbook workbook = new ReadableWorkbook(upload.file().toFile());
				var stream = workbook.getFirstSheet().openStream()) {
			for (Row row : (Iterable<Row>) stream::iterator) {
				// rows Excel left out keep their numbers
				while (rows.size() < row.getRowNum() - 1) {
					rows.add(List.of());
				}
				List<String> cells = new ArrayList<>();
				for (int i = 0; i < Math.min(row.getCellCount(), 50); i++) {
					Cell cell = row.getCell(i);
					cells.add(cell == null ? "" : text(cell));
				}
				rows.add(cells);
			}
		}
		return rows;
	}

	/** A call time typed as an Excel date; ticket numbers and phones typed as numbers. */
	private static String text(Cell cell) {
		if (cell.getType() == CellType.NUMBER) {
			BigDecimal number = cell.asNumber();
			if (number.doubleValue() > 20000 && number.doubleValue() < 80000 && number.scale() > 0) {
				return cell.asDate().withNano(0).toString().replace('T', ' ');
			}
			return number.stripTrailingZeros().toPlainString();
		}
		return cell.getText() == null ? "" : cell.getText();
	}

}
