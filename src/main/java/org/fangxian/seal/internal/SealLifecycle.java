package org.fangxian.seal.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.fangxian.audit.AuditEvent;
import org.fangxian.notification.Outbox;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.seal.Seals.EventKind;
import org.fangxian.seal.Seals.Level;
import org.fangxian.seal.Seals.NewSeal;
import org.fangxian.seal.Seals.Seal;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.DateBounds;
import org.fangxian.shared.FreeText;
import org.fangxian.shared.InvalidInput;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * A seal's life: start, extend, lift early or unseal (解封), each checked, recorded on its
 * timeline, audited and texted to the people inside. Runs in the transaction of the
 * {@code Seals} facade's call.
 */
@Service
public class SealLifecycle {

	/**
	 * Texts give times in the configured zone (the Clock's: fangxian.time-zone, China
	 * Standard Time).
	 */
	private final DateTimeFormatter when;

	private final SealRecords records;

	private final DivisionTree tree;

	private final ResidentDirectory directory;

	private final Outbox outbox;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	SealLifecycle(SealRecords records, DivisionTree tree, ResidentDirectory directory, Outbox outbox,
			ApplicationEventPublisher events, Clock clock) {
		this.records = records;
		this.tree = tree;
		this.directory = directory;
		this.outbox = outbox;
		this.events = events;
		this.clock = clock;
		this.when = DateTimeFormatter.ofPattern("M月d日H:mm").withZone(clock.getZone());
	}

	public Seal seal(CurrentUser user, NewSeal form) {
		user.require(Permission.MANAGE_CONTAINMENT);
		if (form.nodeId() == null) {
			throw new InvalidInput("nodeId", "seal.node.required");
		}
		Node node = this.tree.node(user, form.nodeId());
		if (node.kind().ordinal() < NodeKind.COMMUNITY.ordinal()) {
			throw new InvalidInput("nodeId", "seal.node.tooLarge");
		}
		Level level = parseLevel(form.level());
		String reason = FreeText.required("reason", form.reason(), 300);
		String order = FreeText.required("order", form.order(), 100);
		Instant now = this.clock.instant();
		Instant startsAt = form.startsAt() == null ? now : form.startsAt();
		if (startsAt.isBefore(now.minus(Duration.ofDays(2))) || startsAt.isAfter(now.plus(Duration.ofDays(7)))) {
			throw new InvalidInput("startsAt", "seal.start.outOfRange");
		}
		Instant plannedEnd = plannedEnd(form.plannedEndAt(), form.hours(), startsAt);
		long id;
		try {
			id = this.records.insert(user, node, level, reason, order, startsAt, plannedEnd);
		}
		catch (DataIntegrityViolationException ex) {
			// the exclusion constraint: this node already has a seal over that time
			throw new InvalidInput("nodeId", "seal.overlap", node.name());
		}
		Seal seal = this.records.get(user, id);
		String text = this.records.area(user, node);
		int notified = notify(seal, EventKind.SEALED, "sms.containment.sealed", List.of(signature(user, node), text,
				this.when.format(startsAt), levelText(level), this.when.format(plannedEnd)));
		event(user, id, EventKind.SEALED, plannedEnd, reason, notified);
		return seal;
	}

	public Seal extend(CurrentUser user, long id, Instant plannedEndAt, Integer hours, String note) {
		Seal seal = open(user, id);
		Instant end = plannedEnd(plannedEndAt, hours, seal.startsAt());
		if (!end.isAfter(seal.plannedEndAt())) {
			throw new InvalidInput("plannedEndAt", "seal.extend.notLater");
		}
		this.records.plannedEnd(id, end);
		Node node = this.tree.node(user, seal.nodeId());
		int notified = notify(seal, EventKind.EXTENDED, "sms.containment.extended",
				List.of(signature(user, node), this.records.area(user, node), this.when.format(end)));
		event(user, id, EventKind.EXTENDED, end, FreeText.optional("note", note, 300), notified);
		return this.records.get(user, id);
	}

	/**
	 * Ends the seal now: "lifted" before its planned end, "unsealed" (解封) at or after it.
	 */
	public Seal end(CurrentUser user, long id, String note) {
		Seal seal = open(user, id);
		Instant now = this.clock.instant();
		Instant endedAt = now.isBefore(seal.startsAt()) ? seal.startsAt() : now;
		this.records.ended(id, endedAt);
		EventKind kind = endedAt.isBefore(seal.plannedEndAt()) ? EventKind.LIFTED : EventKind.UNSEALED;
		Node node = this.tree.node(user, seal.nodeId());
		int notified = notify(seal, kind, "sms.containment.unsealed",
				List.of(signature(user, node), this.records.area(user, node), this.when.format(endedAt)));
		event(user, id, kind, null, FreeText.optional("note", note, 300), notified);
		return this.records.get(user, id);
	}

	private Seal open(CurrentUser user, long id) {
		user.require(Permission.MANAGE_CONTAINMENT);
		Seal seal = this.records.get(user, id);
		if (seal.endedAt() != null) {
			throw new InvalidInput("id", "seal.alreadyEnded");
		}
		return seal;
	}

	/** One text per phone number: a family sharing a phone gets it once. */
	private int notify(Seal seal, EventKind kind, String template, List<?> args) {
		Set<String> phones = new HashSet<>();
		int queued = 0;
		// Events recorded before this one: each event has keys of its own for its texts.
		int eventNumber = this.records.eventCount(seal.id());
		for (ResidentDirectory.Contact contact : this.directory.contactsWithin(seal.path())) {
			if (!phones.add(contact.phone().value())) {
				continue;
			}
			String key = "containment:seal:" + seal.id() + ":" + kind + ":" + eventNumber + ":resident:"
					+ contact.residentId();
			if (this.outbox.queue(new Outbox.Sms(key, contact.phone(), template, args, contact.path()))) {
				queued++;
			}
		}
		return queued;
	}

	private void event(CurrentUser user, long id, EventKind kind, Instant plannedEnd, String note, int notified) {
		this.records.event(user, id, kind, plannedEnd, note, notified);
		this.events.publishEvent(AuditEvent.of(user, "SEAL_" + kind, "sealed_area", id, note));
	}

	/** The community's name signs the text ("【福乐湾社区】"). */
	private String signature(CurrentUser user, Node node) {
		return this.tree.trail(user, node)
			.stream()
			.filter(n -> n.kind() == NodeKind.COMMUNITY)
			.map(Node::name)
			.findFirst()
			.orElse(node.name());
	}

	private static String levelText(Level level) {
		return level == Level.SEALED ? "封控管理" : "管控（闭环）管理";
	}

	private static Instant plannedEnd(Instant plannedEndAt, Integer hours, Instant startsAt) {
		Instant end;
		if (plannedEndAt != null) {
			end = DateBounds.require("plannedEndAt", plannedEndAt);
		}
		else if (hours != null) {
			if (hours < 1 || hours > 24 * 60) {
				throw new InvalidInput("hours", "seal.hours.range");
			}
			end = startsAt.plus(Duration.ofHours(hours));
		}
		else {
			throw new InvalidInput("plannedEndAt", "seal.end.required");
		}
		if (!end.isAfter(startsAt)) {
			throw new InvalidInput("plannedEndAt", "seal.end.beforeStart");
		}
		return end;
	}

	static Level parseLevel(String raw) {
		try {
			return Level.valueOf(raw == null ? "" : raw.trim().toUpperCase());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("level", "seal.level.invalid");
		}
	}

}
