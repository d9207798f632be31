package org.fangxian.task.internal;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Establishment;
import org.fangxian.registry.Establishments;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.Role;
import org.fangxian.shared.DateBounds;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.Urgency;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Inspections (巡查) and rectification (整改): checklists per kind of place, inspections of a
 * node or an establishment (planned for a day or started on the spot), findings per item
 * with photos; each failed item opens a rectification task on the engine with a deadline,
 * and the next inspection of the same place and item is its re-inspection (复查): passed
 * closes it, failed reopens it with a new deadline. Every read and write is limited to
 * the caller's subtree and audited.
 */
@Service
public class Inspections {

	/** The kinds of place a checklist is for, in the order pickers show them. */
	public static final List<String> KINDS = List.of("COMMUNITY_GATE", "ENTERPRISE", "CONSTRUCTION_SITE",
			"COURIER_STATION", "SUPERMARKET");

	/** A rectification's deadline in days when the inspector gives none, and the most. */
	static final int DEFAULT_DAYS = 3;

	static final int MAX_DAYS = 30;

	private final JdbcClient jdbc;

	private final TaskBook tasks;

	private final DivisionTree tree;

	private final Establishments establishments;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Inspections(JdbcClient jdbc, TaskBook tasks, DivisionTree tree, Establishments establishments,
			ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.tasks = tasks;
		this.tree = tree;
		this.establishments = establishments;
		this.events = events;
		this.clock = clock;
	}

	public record Item(long id, int position, String text) {
	}

	public record Template(long id, String kind, String name, int version, List<Item> items) {
	}

	public record NewInspection(String kind, Long nodeId, Long establishmentId, LocalDate plannedFor) {
	}

	/**
	 * One answer of the inspector: the item, passed or not, a note, days to put it right.
	 */
	public record Finding(Long itemId, Boolean passed, String note, Integer days) {
	}

	/** A finding as shown: the item's text, and the rectification it opened, if any. */
	public record Found(long itemId, String item, boolean passed, String note, Long rectificationId, int photos) {
	}

	public record Inspection(long id, String kind, String template, long nodeId, Long establishmentId, String place,
			LocalDate plannedFor, String state, String inspector, String note, Instant createdAt, Instant doneAt,
			List<Item> items, List<Found> findings) {
	}

	/** What an inspection came to: rectifications opened, closed, reopened. */
	public record Outcome(long inspectionId, List<Long> opened, List<Long> closed, List<Long> reopened) {
	}

	/** A rectification as the desk board shows it, overdue first. */
	public record Rectification(long id, String state, String place, String item, String finding, Instant dueAt,
			boolean overdue, int escalationLevel, int rounds, long inspectionId, Long reinspectionId, Instant createdAt,
			Instant closedAt) {
	}

	// ------------------------------------------------------------------ checklists

	/**
	 * The checklists in force at the caller's own node, one per kind: each kind's own
	 * version of the caller's jurisdiction or the nearest one above it, else the
	 * installation's.
	 */
	public List<Template> templates(CurrentUser user) {
		return templatesAt(user.scopePath());
	}

	/**
	 * One per kind, in force at a place: of the versions kept for the place or a node
	 * above it (a street's, a district's), the nearest; else the installation's (no
	 * path).
	 */
	private List<Template> templatesAt(String path) {
		List<Template> templates = this.jdbc.sql("""
				select distinct on (kind) id, kind, name, version from checklist_template
				where path is null or :path like path || '%'
				order by kind, length(path) desc nulls last""")
			.param("path", path)
			.query(Inspections::templateHead)
			.list();
		return withItems(
				templates.stream().sorted(java.util.Comparator.comparingInt(t -> KINDS.indexOf(t.kind()))).toList());
	}

	/** A checklist row, its items still to read ({@link #withItems}). */
	private static Template templateHead(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Template(rs.getLong("id"), rs.getString("kind"), rs.getString("name"), rs.getInt("version"), null);
	}

	/** The same checklists with their live items, read in one query. */
	private List<Template> withItems(List<Template> heads) {
		Map<Long, List<Item>> items = items(heads.stream().map(Template::id).toList());
		return heads.stream()
			.map(t -> new Template(t.id(), t.kind(), t.name(), t.version(), items.getOrDefault(t.id(), List.of())))
			.toList();
	}

	/** The live items of these checklists, in their order. */
	private Map<Long, List<Item>> items(List<Long> templateIds) {
		Map<Long, List<Item>> items = new HashMap<>();
		this.jdbc.sql("""
				select id, template_id, position, text from checklist_item
				where active and template_id = any(:ids) order by position""")
			.param("ids", templateIds.toArray(Long[]::new))
			.query((rs, n) -> {
				items.computeIfAbsent(rs.getLong("template_id"), k -> new ArrayList<>())
					.add(new Item(rs.getLong("id"), rs.getInt("position"), rs.getString("text")));
				return null;
			})
			.list();
		return items;
	}

	Template template(String kind, String path) {
		String code = kind == null ? "" : kind.strip().toUpperCase(Locale.ROOT);
		return templatesAt(path).stream()
			.filter(t -> t.kind().equals(code))
			.findFirst()
			.orElseThrow(() -> new InvalidInput("kind", "task.inspection.kind.invalid", String.valueOf(kind)));
	}

	/** A stored checklist and whose it is (no path: the installation's). */
	private record Kept(long id, String kind, String path, int version) {
	}

	/**
	 * Replaces a checklist's name and items (HQ and street administrators only), for the
	 * editor's own jurisdiction: the installation's list, or one kept above the editor,
	 * is not changed for everyone else but copied into the editor's own version (a
	 * street's list for its communities), and later edits go to that version. An item
	 * whose text stays at its place keeps its id (in a jurisdiction's first version, its
	 * open rectifications follow it); the others are retired, never deleted, so earlier
	 * findings still name what they answered. {@code version} guards against two editors
	 * at once (409).
	 */
	@Transactional
	public Template edit(CurrentUser user, long id, String name, List<String> items, Integer version) {
		user.require(Permission.SUPERVISE_TASKS);
		if (!user.role().includes(Role.STREET_ADMIN)) {
			throw new AccessDeniedException("checklists are kept by HQ and the streets");
		}
		String title = WorkOrders.text("name", name, 60);
		List<String> texts = new ArrayList<>();
		for (String raw : items == null ? List.<String>of() : items) {
			if (raw != null && !raw.isBlank()) {
				texts.add(WorkOrders.text("items", raw, 200));
			}
		}
		if (texts.isEmpty() || texts.size() > 30) {
			throw new InvalidInput("items", "task.checklist.items");
		}
		Kept asked = kept("id = :id", Map.of("id", id)).orElseThrow(() -> new NotFound("task.checklist.notFound"));
		if (asked.path() != null && !user.covers(asked.path()) && !user.scopePath().startsWith(asked.path())) {
			// Another street's own list: not theirs to see.
			throw new NotFound("task.checklist.notFound");
		}
		Kept own = user.covers(asked.path()) ? asked
				: kept("kind = :kind and path = :path", Map.of("kind", asked.kind(), "path", user.scopePath()))
					.orElse(null);
		if (own != null && own != asked && version != null) {
			// Read before this jurisdiction had its own version: someone saved first.
			throw new TransitionNotAllowed("v" + own.version(), "v" + version);
		}
		int expected = version == null ? (own == null ? asked.version() : own.version()) : version;
		long target;
		Map<Integer, Item> current;
		// In a first version: the replaced version's items, by position.
		Map<Integer, Item> inherited = Map.of();
		if (own == null) {
			// The first edit of this jurisdiction: its own version, with the texts asked
			// for. Two editors at once: the second finds the version made (409).
			if (expected != asked.version()) {
				throw new TransitionNotAllowed("v" + asked.version(), "v" + version);
			}
			target = this.jdbc.sql("""
					insert into checklist_template (kind, name, path, updated_at, updated_by)
					values (:kind, :name, :path, :now, :by)
					on conflict (kind, path) where path is not null do nothing returning id""")
				.param("kind", asked.kind())
				.param("name", title)
				.param("path", user.scopePath())
				.param("now", Timestamp.from(this.clock.instant()))
				.param("by", user.accountId())
				.query(Long.class)
				.optional()
				.orElseThrow(() -> new TransitionNotAllowed("v" + asked.version(), "v" + version));
			current = Map.of();
			inherited = byPosition(asked.id());
		}
		else {
			int updated = this.jdbc
				.sql("""
						update checklist_template set name = :name, version = version + 1, updated_at = :now, updated_by = :by
						where id = :id and version = :version""")
				.param("name", title)
				.param("now", Timestamp.from(this.clock.instant()))
				.param("by", user.accountId())
				.param("id", own.id())
				.param("version", expected)
				.update();
			if (updated == 0) {
				throw new TransitionNotAllowed("v" + own.version(), "v" + version);
			}
			target = own.id();
			current = byPosition(target);
		}
		for (Item item : current.values()) {
			boolean same = item.position() <= texts.size() && texts.get(item.position() - 1).equals(item.text());
			if (!same) {
				this.jdbc.sql("update checklist_item set active = false where id = :id")
					.param("id", item.id())
					.update();
			}
		}
		for (int i = 0; i < texts.size(); i++) {
			Item kept = current.get(i + 1);
			if (kept == null || !kept.text().equals(texts.get(i))) {
				long itemId = this.jdbc
					.sql("insert into checklist_item (template_id, position, text) values (:t, :p, :text) returning id")
					.param("t", target)
					.param("p", i + 1)
					.param("text", texts.get(i))
					.query(Long.class)
					.single();
				// An item the new version keeps from the one it replaces: the
				// jurisdiction's open rectifications of it follow, so a re-inspection
				// with
				// the new version still finds them.
				Item before = inherited.get(i + 1);
				if (before != null && before.text().equals(texts.get(i))) {
					this.jdbc.sql("""
							update rectification r set item_id = :now from task t
							where t.id = r.task_id and t.open and r.item_id = :before and t.path like :scope""")
						.param("now", itemId)
						.param("before", before.id())
						.param("scope", user.scopePattern())
						.update();
				}
			}
		}
		this.events.publishEvent(
				AuditEvent.of(user, "CHECKLIST_EDITED", "checklist", target, asked.kind() + " " + texts.size()));
		// By its id: an HQ's edit of a street's version is not among the HQ's own lists.
		return withItems(this.jdbc.sql("select id, kind, name, version from checklist_template where id = :id")
			.param("id", target)
			.query(Inspections::templateHead)
			.list()).get(0);
	}

	private Optional<Kept> kept(String where, Map<String, ?> params) {
		return this.jdbc.sql("select id, kind, path, version from checklist_template where " + where)
			.params(params)
			.query((rs, n) -> new Kept(rs.getLong("id"), rs.getString("kind"), rs.getString("path"),
					rs.getInt("version")))
			.optional();
	}

	// ------------------------------------------------------------------ inspections

	/**
	 * Plans an inspection of a node or of an establishment under it: for a day
	 * (scheduled) or, without a day, for now (ad hoc). A node outside the caller's
	 * jurisdiction is refused; an establishment not under the node does not exist for
	 * them.
	 */
	@Transactional
	public Inspection plan(CurrentUser user, NewInspection form) {
		user.require(Permission.SUPERVISE_TASKS);
		if (form.nodeId() == null) {
			throw new InvalidInput("nodeId", "task.field.required");
		}
		Node node = this.tree.node(user, form.nodeId());
		String place = node.name();
		if (form.establishmentId() != null) {
			Establishment establishment = this.establishments.at(user, node.id())
				.stream()
				.filter(e -> e.id() == form.establishmentId())
				.findFirst()
				.orElseThrow(() -> new NotFound("task.inspection.unknownEstablishment"));
			node = this.tree.node(user, establishment.nodeId());
			place = establishment.name() + "（" + node.name() + "）";
		}
		Template template = template(form.kind(), node.path());
		LocalDate today = LocalDate.now(this.clock);
		DateBounds.require("plannedFor", form.plannedFor());
		if (form.plannedFor() != null && form.plannedFor().isBefore(today)) {
			throw new InvalidInput("plannedFor", "task.inspection.past");
		}
		Instant now = this.clock.instant();
		long id = this.jdbc.sql("""
				insert into inspection (template_id, node_id, path, establishment_id, place, planned_for, created_by,
				                        created_at)
				values (:template, :node, :path, :establishment, :place, :planned, :by, :now) returning id""")
			.param("template", template.id())
			.param("node", node.id())
			.param("path", node.path())
			.param("establishment", form.establishmentId())
			.param("place", place)
			.param("planned", Date.valueOf(form.plannedFor() == null ? today : form.plannedFor()))
			.param("by", user.accountId())
			.param("now", Timestamp.from(now))
			.query(Long.class)
			.single();
		this.events.publishEvent(AuditEvent.of(user, "INSPECTION_PLANNED", "inspection", id, template.kind()));
		return get(user, id);
	}

	private static final String SELECT = """
			select i.id, t.kind, t.name, i.node_id, i.establishment_id, i.place, i.planned_for, i.state, i.inspector,
			       i.note, i.created_at, i.done_at, i.template_id
			from inspection i join checklist_template t on t.id = i.template_id
			""";

	/** An inspection of the caller's subtree; one outside it does not exist for them. */
	public Inspection get(CurrentUser user, long id) {
		user.require(Permission.SUPERVISE_TASKS);
		Listed listed = list(user, "and i.id = :id", Map.of("id", id)).stream()
			.findFirst()
			.orElseThrow(() -> new NotFound("task.inspection.notFound"));
		Inspection head = listed.inspection();
		List<Found> findings = this.jdbc.sql("""
				select f.item_id, c.text, f.passed, f.note, f.rectification_id,
				       (select count(*) from inspection_photo p
				        where p.inspection_id = f.inspection_id and p.item_id = f.item_id) as photos
				from inspection_finding f join checklist_item c on c.id = f.item_id
				where f.inspection_id = :id order by c.position""")
			.param("id", id)
			.query((rs, n) -> new Found(rs.getLong("item_id"), rs.getString("text"), rs.getBoolean("passed"),
					rs.getString("note"), rs.getObject("rectification_id", Long.class), rs.getInt("photos")))
			.list();
		// The items of the version it was planned with, as that version stands now.
		long templateId = listed.templateId();
		List<Item> items = items(List.of(templateId)).getOrDefault(templateId, List.of());
		return new Inspection(head.id(), head.kind(), head.template(), head.nodeId(), head.establishmentId(),
				head.place(), head.plannedFor(), head.state(), head.inspector(), head.note(), head.createdAt(),
				head.doneAt(), items, findings);
	}

	/**
	 * Planned inspections of the caller's subtree, the earliest day first, and the last
	 * done ones.
	 */
	public List<Inspection> list(CurrentUser user, boolean plannedOnly) {
		user.require(Permission.SUPERVISE_TASKS);
		return list(user, plannedOnly ? "and i.state = 'PLANNED'" : "", Map.of()).stream()
			.map(Listed::inspection)
			.toList();
	}

	/** An inspection as listed (no items, no findings), and its checklist version. */
	private record Listed(Inspection inspection, long templateId) {
	}

	private List<Listed> list(CurrentUser user, String where, Map<String, Object> params) {
		Map<String, Object> all = new HashMap<>(params);
		all.put("scope", user.scopePattern());
		return this.jdbc
			.sql(SELECT + "where i.path like :scope " + where
					+ " order by i.state desc, i.planned_for, i.done_at desc nulls first, i.id limit 200")
			.params(all)
			.query(Inspections::listed)
			.list();
	}

	private static Listed listed(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		Timestamp done = rs.getTimestamp("done_at");
		return new Listed(new Inspection(rs.getLong("id"), rs.getString("kind"), rs.getString("name"),
				rs.getLong("node_id"), rs.getObject("establishment_id", Long.class), rs.getString("place"),
				rs.getObject("planned_for", LocalDate.class), rs.getString("state"), rs.getString("inspector"),
				rs.getString("note"), rs.getTimestamp("created_at").toInstant(), done == null ? null : done.toInstant(),
				List.of(), List.of()), rs.getLong("template_id"));
	}

	/** A checklist version's live items by their position. */
	private Map<Integer, Item> byPosition(long templateId) {
		Map<Integer, Item> items = new HashMap<>();
		for (Item item : items(List.of(templateId)).getOrDefault(templateId, List.of())) {
			items.put(item.position(), item);
		}
		return items;
	}

	/**
	 * Records what the inspector found, once: every item of the checklist answered, a
	 * failed one with a note; photos (by item) are checked as the engine's attachments
	 * are. Each failed item opens a rectification due in its days, unless one is open for
	 * the same item and place: then this is its re-inspection and reopens it with the new
	 * deadline; a passed item closes the open one. Two inspectors submitting at once: the
	 * second gets 409 and nothing of theirs is kept.
	 */
	@Transactional
	public Outcome record(CurrentUser user, long id, List<Finding> findings, Map<Long, List<byte[]>> photos,
			String note) {
		Inspection inspection = get(user, id);
		Map<Long, Item> items = new LinkedHashMap<>();
		inspection.items().forEach(i -> items.put(i.id(), i));
		Map<Long, Finding> answers = new LinkedHashMap<>();
		for (Finding finding : findings == null ? List.<Finding>of() : findings) {
			if (finding == null || finding.itemId() == null || !items.containsKey(finding.itemId())) {
				throw new InvalidInput("findings", "task.inspection.unknownItem");
			}
			if (finding.passed() == null) {
				throw new InvalidInput("findings", "task.inspection.unanswered", items.get(finding.itemId()).text());
			}
			if (answers.put(finding.itemId(), finding) != null) {
				throw new InvalidInput("findings", "task.inspection.twice", items.get(finding.itemId()).text());
			}
			if (!finding.passed() && (finding.note() == null || finding.note().isBlank())) {
				throw new InvalidInput("findings", "task.inspection.noteRequired", items.get(finding.itemId()).text());
			}
			if (finding.note() != null && finding.note().strip().length() > 500) {
				throw new InvalidInput("findings", "task.field.tooLong", 500);
			}
			int days = finding.days() == null ? DEFAULT_DAYS : finding.days();
			if (days < 1 || days > MAX_DAYS) {
				throw new InvalidInput("findings", "task.inspection.days", MAX_DAYS);
			}
		}
		for (Item item : items.values()) {
			if (!answers.containsKey(item.id())) {
				throw new InvalidInput("findings", "task.inspection.unanswered", item.text());
			}
		}
		Map<Long, List<Attachments.Checked>> checked = new HashMap<>();
		for (Map.Entry<Long, List<byte[]>> entry : (photos == null ? Map.<Long, List<byte[]>>of() : photos)
			.entrySet()) {
			if (entry.getKey() != null && !items.containsKey(entry.getKey())) {
				throw new InvalidInput("findings", "task.inspection.unknownItem");
			}
			for (byte[] bytes : entry.getValue()) {
				checked.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(Attachments.check(bytes));
			}
		}
		String remark = note == null || note.isBlank() ? null : WorkOrders.text("note", note, 500);
		Instant now = this.clock.instant();
		int done = this.jdbc
			.sql("""
					update inspection set state = 'DONE', done_at = :now, inspector_id = :by, inspector = :name, note = :note
					where id = :id and state = 'PLANNED'""")
			.param("now", Timestamp.from(now))
			.param("by", user.accountId())
			.param("name", user.displayName() == null ? user.username() : user.displayName())
			.param("note", remark)
			.param("id", id)
			.update();
		if (done == 0) {
			throw new TransitionNotAllowed("DONE", "DONE");
		}
		TaskBook.Actor actor = TaskBook.Actor.of(user);
		Set<Long> seen = new HashSet<>();
		List<Long> opened = new ArrayList<>();
		List<Long> closed = new ArrayList<>();
		List<Long> reopened = new ArrayList<>();
		for (Finding finding : answers.values()) {
			Item item = items.get(finding.itemId());
			String text = finding.note() == null || finding.note().isBlank() ? null : finding.note().strip();
			Long rectification = null;
			TaskRecord open = openRectification(inspection, item.id());
			if (open != null) {
				seen.add(open.id());
				if (finding.passed()) {
					this.tasks.move(actor, open, RectificationState.CLOSED.name(), null, "复查合格" + suffix(text));
					closed.add(open.id());
				}
				else {
					this.tasks.move(actor, open, RectificationState.REOPENED.name(), null, "复查仍不合格：" + text);
					this.tasks.setDue(open.id(), now.plus(Duration.ofDays(days(finding))));
					reopened.add(open.id());
				}
				this.jdbc.sql("""
						update rectification set reinspection_id = :inspection,
						       rounds = rounds + case when :failed then 1 else 0 end
						where task_id = :task""")
					.param("inspection", id)
					.param("failed", !finding.passed())
					.param("task", open.id())
					.update();
				rectification = open.id();
			}
			else if (!finding.passed()) {
				TaskRecord task = this.tasks
					.create(actor, new TaskBook.NewTask(RectificationState.Type.CODE, inspection.nodeId(),
							path(inspection), inspection.establishmentId() == null ? "NODE" : "ESTABLISHMENT",
							inspection.establishmentId() == null ? inspection.nodeId() : inspection.establishmentId(),
							Urgency.NORMAL));
				this.tasks.setDue(task.id(), now.plus(Duration.ofDays(days(finding))));
				this.jdbc.sql("""
						insert into rectification (task_id, inspection_id, item_id, establishment_id, place, item_text,
						                           finding)
						values (:task, :inspection, :item, :establishment, :place, :itemText, :finding)""")
					.param("task", task.id())
					.param("inspection", id)
					.param("item", item.id())
					.param("establishment", inspection.establishmentId())
					.param("place", inspection.place())
					.param("itemText", item.text())
					.param("finding", text)
					.update();
				rectification = task.id();
				opened.add(task.id());
			}
			this.jdbc.sql("""
					insert into inspection_finding (inspection_id, item_id, passed, note, rectification_id)
					values (:inspection, :item, :passed, :note, :rectification)""")
				.param("inspection", id)
				.param("item", item.id())
				.param("passed", finding.passed())
				.param("note", text)
				.param("rectification", rectification)
				.update();
		}
		for (Map.Entry<Long, List<Attachments.Checked>> entry : checked.entrySet()) {
			for (Attachments.Checked photo : entry.getValue()) {
				this.jdbc.sql("""
						insert into inspection_photo (inspection_id, item_id, content_type, size, content, added_by,
						                              added_at)
						values (:inspection, :item, :type, :size, :content, :by, :at)""")
					.param("inspection", id)
					.param("item", entry.getKey())
					.param("type", photo.contentType())
					.param("size", photo.content().length)
					.param("content", photo.content())
					.param("by", user.accountId())
					.param("at", Timestamp.from(now))
					.update();
			}
		}
		this.events.publishEvent(AuditEvent.of(user, "INSPECTION_DONE", "inspection", id,
				"failed " + (opened.size() + reopened.size()) + ", closed " + closed.size()));
		return new Outcome(id, opened, closed, reopened);
	}

	private static int days(Finding finding) {
		return finding.days() == null ? DEFAULT_DAYS : finding.days();
	}

	private static String suffix(String note) {
		return note == null ? "" : "：" + note;
	}

	private String path(Inspection inspection) {
		return this.jdbc.sql("select path from inspection where id = :id")
			.param("id", inspection.id())
			.query(String.class)
			.single();
	}

	/** The open rectification of this item at this inspection's place, locked. */
	private TaskRecord openRectification(Inspection inspection, long itemId) {
		return this.jdbc.sql(TaskBook.SELECT.replace("from task", "from task t") + """
				where t.open and t.type = 'RECTIFICATION' and t.node_id = :node
				  and exists (select 1 from rectification r where r.task_id = t.id and r.item_id = :item
				              and r.establishment_id is not distinct from :establishment)
				order by t.id limit 1 for update""")
			.param("node", inspection.nodeId())
			.param("item", itemId)
			.param("establishment", inspection.establishmentId())
			.query((rs, n) -> TaskBook.map(rs))
			.optional()
			.orElse(null);
	}

	/**
	 * A re-inspection (复查) of a rectification's place with its checklist, planned for
	 * today: the desk's "安排复查".
	 */
	@Transactional
	public Inspection reinspect(CurrentUser user, long rectificationId) {
		user.require(Permission.SUPERVISE_TASKS);
		TaskRecord task = this.tasks.get(user, RectificationState.Type.CODE, rectificationId);
		if (task.closedAt() != null) {
			throw new TransitionNotAllowed(task.state(), "REINSPECTION");
		}
		Map<String, Object> origin = this.jdbc.sql("""
				select t.kind, i.node_id, i.establishment_id
				from rectification r join inspection i on i.id = r.inspection_id
				join checklist_template t on t.id = i.template_id where r.task_id = :id""")
			.param("id", rectificationId)
			.query()
			.singleRow();
		Long establishment = origin.get("establishment_id") == null ? null
				: ((Number) origin.get("establishment_id")).longValue();
		long node = ((Number) origin.get("node_id")).longValue();
		if (establishment != null) {
			// the establishment's own node: plan() looks it up under the node it is given
			return plan(user, new NewInspection((String) origin.get("kind"), node, establishment, null));
		}
		return plan(user, new NewInspection((String) origin.get("kind"), node, null, null));
	}

	// ------------------------------------------------------------------ the desk

	/**
	 * The rectifications of the caller's subtree: open ones first, overdue before the
	 * rest, the earliest deadline first.
	 */
	public List<Rectification> rectifications(CurrentUser user, boolean openOnly) {
		user.require(Permission.SUPERVISE_TASKS);
		Instant now = this.clock.instant();
		return this.jdbc.sql("""
				select t.id, t.state, t.due_at, t.escalation_level, t.created_at, t.closed_at,
				       r.place, r.item_text, r.finding, r.rounds, r.inspection_id, r.reinspection_id
				from task t join rectification r on r.task_id = t.id
				where t.path like :scope""" + (openOnly ? " and t.open" : "") + """

				order by t.open desc, (t.open and t.due_at < :now) desc, t.due_at, t.id limit 500""")
			.param("scope", user.scopePattern())
			.param("now", Timestamp.from(now))
			.query((rs, n) -> {
				Instant due = rs.getTimestamp("due_at").toInstant();
				Timestamp closedAt = rs.getTimestamp("closed_at");
				return new Rectification(rs.getLong("id"), rs.getString("state"), rs.getString("place"),
						rs.getString("item_text"), rs.getString("finding"), due, closedAt == null && due.isBefore(now),
						rs.getInt("escalation_level"), rs.getInt("rounds"), rs.getLong("inspection_id"),
						rs.getObject("reinspection_id", Long.class), rs.getTimestamp("created_at").toInstant(),
						closedAt == null ? null : closedAt.toInstant());
			})
			.list();
	}

	public List<TaskBook.Step> history(CurrentUser user, long rectificationId) {
		user.require(Permission.SUPERVISE_TASKS);
		return this.tasks.history(this.tasks.get(user, RectificationState.Type.CODE, rectificationId));
	}

	/**
	 * Places the caller may inspect: the communities (and their establishments) in scope.
	 */
	public record Place(long nodeId, String name, List<Establishment> establishments) {
	}

	public List<Place> places(CurrentUser user) {
		user.require(Permission.SUPERVISE_TASKS);
		List<Node> tops = user.nodeId() == null ? this.tree.tops(user) : List.of(this.tree.node(user, user.nodeId()));
		List<Place> places = new ArrayList<>();
		for (Node top : tops) {
			List<Node> communities = top.kind().ordinal() >= org.fangxian.registry.NodeKind.COMMUNITY.ordinal()
					? List.of(top) : this.tree.within(user, top.id(), org.fangxian.registry.NodeKind.COMMUNITY);
			for (Node community : communities) {
				places.add(new Place(community.id(), community.name(), this.establishments.at(user, community.id())));
			}
		}
		return places;
	}

}
