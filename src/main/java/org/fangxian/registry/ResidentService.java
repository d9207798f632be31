package org.fangxian.registry;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.internal.Addresses;
import org.fangxian.registry.internal.Households;
import org.fangxian.registry.internal.PhoneTails;
import org.fangxian.registry.internal.Placement;
import org.fangxian.registry.internal.ResidentDraft;
import org.fangxian.registry.internal.ResidentRecords;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.PhoneNumber;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finding, viewing and editing residents within the user's jurisdiction; every view is
 * audited.
 */
@Service
public class ResidentService {

	public static final int MAX_PAGE = 100;

	private final ResidentRecords records;

	private final DivisionTree tree;

	private final Households households;

	private final PersonalDataProtection protection;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final PhoneTails phoneTails;

	ResidentService(ResidentRecords records, DivisionTree tree, Households households,
			PersonalDataProtection protection, ApplicationEventPublisher events, Clock clock, PhoneTails phoneTails) {
		this.phoneTails = phoneTails;
		this.records = records;
		this.tree = tree;
		this.households = households;
		this.protection = protection;
		this.events = events;
		this.clock = clock;
	}

	/** A page of search results; {@code nextAfter} is null on the last page. */
	public record Page(List<ResidentView> residents, Long nextAfter) {
	}

	/**
	 * The residents list's filters besides the search text; null fields do not filter.
	 *
	 * @param status a {@link ResidentStatus} name
	 * @param tag a {@link ResidentTag} name
	 */
	public record Filters(String status, String tag) {

		public static final Filters NONE = new Filters(null, null);

		private static boolean known(Enum<?>[] values, String name) {
			return java.util.Arrays.stream(values).anyMatch(v -> v.name().equals(name));
		}

		public Filters {
			status = (status == null || status.isBlank()) ? null : status.strip();
			tag = (tag == null || tag.isBlank()) ? null : tag.strip();
			if (status != null && !known(ResidentStatus.values(), status)) {
				throw new InvalidInput("status", "residents.filter.unknown");
			}
			if (tag != null && !known(ResidentTag.values(), tag)) {
				throw new InvalidInput("tag", "residents.filter.unknown");
			}
		}

	}

	/**
	 * A page with how many match in all (counted up to {@link #COUNT_CAP}; more shows as
	 * "more than").
	 */
	public record CountedPage(List<ResidentView> residents, Long nextAfter, long total, boolean totalCapped) {
	}

	public static final int COUNT_CAP = 10_000;

	/**
	 * Searches by name or address (part of it), phone or ID number (exact), inside a node
	 * of the user's jurisdiction (or all of it when {@code nodeId} is null).
	 */
	@Transactional
	public Page search(CurrentUser user, Long nodeId, String query, Long after, int size) {
		CountedPage page = search(user, nodeId, query, Filters.NONE, after, size, false);
		return new Page(page.residents(), page.nextAfter());
	}

	/**
	 * As {@link #search(CurrentUser, Long, String, Long, int)}, filtered by status and
	 * tag, and counting the matches when asked. Also finds a phone by its last four
	 * digits ("尾号 1234").
	 */
	@Transactional
	public CountedPage search(CurrentUser user, Long nodeId, String query, Filters filters, Long after, int size,
			boolean count) {
		user.require(Permission.VIEW_RESIDENTS);
		Node scopeNode = nodeId == null ? null : this.tree.node(user, nodeId);
		String scope = scopeNode == null ? user.scopePattern() : scopeNode.path() + "%";
		boolean smallScope = scopeNode != null && scopeNode.kind().ordinal() >= NodeKind.BUILDING.ordinal();
		Node reach = scopeNode != null || user.nodeId() == null ? scopeNode : this.tree.node(user, user.nodeId());
		boolean wholeDistricts = reach == null || reach.kind().wholeDistricts();
		int limit = Math.max(1, Math.min(size, MAX_PAGE));
		String q = FullWidth.clean(query);
		List<byte[]> idHashes = null;
		byte[] phoneHash = null;
		byte[] phoneTailHash = null;
		String text = null;
		if (!q.isEmpty()) {
			IdNumberCheck id = IdNumber.check(q, null);
			var phone = PhoneNumber.parse(q);
			var tail = this.phoneTails.query(q);
			if (id.valid()) {
				idHashes = List.of(this.protection.lookupHash(IdType.RESIDENT_ID.name() + ":" + id.normalized()));
			}
			else if (phone.isPresent()) {
				phoneHash = this.protection.lookupHash(phone.get().value());
				phoneTailHash = this.phoneTails.hash(phone.get().value());
			}
			else if (tail.isPresent()) {
				phoneTailHash = tail.get();
			}
			else if (q.matches("[0-9A-Za-z]{5,20}") && IdType.normalizeOther(q).isPresent()) {
				// Passport and permit numbers are matched exactly, whatever the document
				// type.
				String number = IdType.normalizeOther(q).get();
				idHashes = java.util.Arrays.stream(IdType.values())
					.filter(t -> t != IdType.RESIDENT_ID)
					.map(t -> this.protection.lookupHash(t.name() + ":" + number))
					.toList();
			}
			else {
				text = q;
			}
		}
		var criteria = new ResidentRecords.Criteria(scope, this.records.districtsUnder(scope), wholeDistricts,
				smallScope, text, idHashes, phoneHash, phoneTailHash, phoneHash != null && this.phoneTails.pending(),
				filters.status(), filters.tag());
		List<ResidentRecords.Row> rows = this.records.page(criteria, after, limit + 1);
		boolean more = rows.size() > limit;
		List<ResidentView> views = rows.stream().limit(limit).map(r -> view(r, false)).toList();
		long total = -1;
		boolean capped = false;
		if (count) {
			total = this.records.count(criteria, COUNT_CAP + 1);
			capped = total > COUNT_CAP;
			total = Math.min(total, COUNT_CAP);
		}
		String shown = idHashes != null ? "<id number>"
				: phoneHash != null ? "<phone>" : phoneTailHash != null ? "<phone tail>" : q;
		this.events.publishEvent(AuditEvent.of(user, "RESIDENTS_SEARCHED", "node", nodeId,
				"query " + shown + (filters.status() != null ? ", status " + filters.status() : "")
						+ (filters.tag() != null ? ", tag " + filters.tag() : "") + ", " + views.size() + " shown"));
		return new CountedPage(views, more ? views.get(views.size() - 1).id() : null, total, capped);
	}

	/** One resident's details, masked; the view is on the audit trail. */
	@Transactional
	public ResidentView view(CurrentUser user, long id) {
		ResidentRecords.Row row = readable(user, id);
		this.events.publishEvent(AuditEvent.of(user, "RESIDENT_VIEWED", "resident", id, null));
		return view(row, false);
	}

	/** Full ID number and phone, for roles allowed to see them; audited as a reveal. */
	@Transactional
	public ResidentView reveal(CurrentUser user, long id) {
		user.require(Permission.REVEAL_PERSONAL_DATA);
		ResidentRecords.Row row = readable(user, id);
		this.events.publishEvent(AuditEvent.of(user, "RESIDENT_REVEALED", "resident", id, "id number and phone shown"));
		return view(row, true);
	}

	/**
	 * The full record for an edit form: needs edit and reveal rights; audited as a
	 * reveal.
	 */
	@Transactional
	public ResidentView revealForEdit(CurrentUser user, long id) {
		user.require(Permission.EDIT_RESIDENTS);
		return reveal(user, id);
	}

	@Transactional(readOnly = true)
	public List<ResidentView> household(CurrentUser user, long householdId) {
		user.require(Permission.VIEW_RESIDENTS);
		var household = this.households.findById(householdId).orElseThrow(() -> new NotFound("household.notFound"));
		user.requireCovers(household.path());
		return this.records.inHousehold(householdId).stream().map(r -> view(r, false)).toList();
	}

	/** What a form sends to create or change a resident. */
	public record ResidentForm(String name, String idType, String idNumber, String phone, Long nodeId, String room,
			String relation, String tags, String status, String note) {
	}

	@Transactional
	public long create(CurrentUser user, ResidentForm form) {
		user.require(Permission.EDIT_RESIDENTS);
		ResidentDraft draft = draft(form);
		Placement placement = place(user, form);
		long id = this.records.reserveIds(1)[0];
		write(user, id, draft, placement, true);
		this.events.publishEvent(AuditEvent.of(user, "RESIDENT_CREATED", "resident", id, null));
		return id;
	}

	@Transactional
	public void update(CurrentUser user, long id, ResidentForm form) {
		user.require(Permission.EDIT_RESIDENTS);
		readable(user, id);
		ResidentDraft draft = draft(form);
		Placement placement = place(user, form);
		write(user, id, draft, placement, false);
		this.events.publishEvent(AuditEvent.of(user, "RESIDENT_UPDATED", "resident", id, null));
	}

	private ResidentDraft draft(ResidentForm form) {
		return ResidentDraft.of(form.name(), form.idType(), form.idNumber(), form.phone(), form.relation(), form.tags(),
				form.status(), form.note(), LocalDate.now(this.clock));
	}

	private Placement place(CurrentUser user, ResidentForm form) {
		if (form.nodeId() == null) {
			throw new InvalidInput("nodeId", "resident.node.required");
		}
		Node node = this.tree.node(user, form.nodeId());
		if (!node.kind().holdsHouseholds()) {
			throw new InvalidInput("nodeId", "resident.node.tooHigh");
		}
		String room = Addresses.unify(Addresses.ROOM, FullWidth.clean(form.room()), "");
		List<Node> trail = this.tree.trail(user, node);
		StringBuilder address = new StringBuilder();
		trail.stream()
			.filter(n -> n.kind().ordinal() > NodeKind.COMMUNITY.ordinal())
			.forEach(n -> address.append(n.name()));
		if (room.isEmpty()) {
			return new Placement(node.id(), node.path(), null, null, address.isEmpty() ? null : address.toString());
		}
		address.append(room.matches("\\d+") ? room + "室" : room);
		return new Placement(node.id(), node.path(), null,
				this.households.obtain(node.id(), room, address.toString()).id(), address.toString());
	}

	private void write(CurrentUser user, long id, ResidentDraft d, Placement placement, boolean insert) {
		byte[] idHash = this.protection.lookupHash(d.idLookupKey());
		if (idHash != null) {
			// Registered inside the jurisdiction: the worker can find that record.
			// Elsewhere: nothing of who or
			// where (not even which community), only that the street sorts it out.
			this.records.findByIdHash(idHash, "/%")
				.stream()
				.filter(other -> other.id() != id)
				.findFirst()
				.ifPresent(other -> {
					throw new InvalidInput("idNumber",
							user.covers(other.path()) ? "resident.idNumber.taken" : "registry.elsewhere");
				});
		}
		byte[] phoneHash = this.protection.lookupHash(d.phone());
		var sealed = new ResidentRecords.Sealed(id, placement.nodeId(), placement.householdId(), d.name(),
				d.idType().name(), this.protection.encrypt(d.idNumber()), idHash, d.maskedId(),
				this.protection.encrypt(d.phone()), phoneHash, this.phoneTails.hash(d.phone()), d.maskedPhone(),
				d.birthDate(), d.sex() == null ? null : d.sex().name(), d.relation().name(), d.tags(),
				d.status().name(), d.note(), placement.address(), placement.nodePath(), placement.districtId());
		try {
			if (insert) {
				this.records.insertAll(List.of(sealed));
			}
			else {
				this.records.updateAll(List.of(sealed));
			}
		}
		catch (DuplicateKeyException ex) {
			// Registered by someone else at the same moment: the check above could not
			// see it yet.
			throw new InvalidInput("idNumber", "registry.elsewhere");
		}
	}

	private ResidentRecords.Row readable(CurrentUser user, long id) {
		user.require(Permission.VIEW_RESIDENTS);
		ResidentRecords.Row row = this.records.findById(id).orElseThrow(() -> new NotFound("resident.notFound"));
		user.requireCovers(row.path());
		return row;
	}

	ResidentView view(ResidentRecords.Row r, boolean reveal) {
		return new ResidentView(r.id(), r.nodeId(), r.householdId(), r.name(), r.idType(),
				reveal ? this.protection.decrypt(r.idCipher()) : r.idMasked(),
				reveal ? this.protection.decrypt(r.phoneCipher()) : r.phoneMasked(), reveal, r.birthDate(), r.sex(),
				Relation.valueOf(r.relation()), r.tags(), ResidentStatus.valueOf(r.status()), r.address(), r.note());
	}

}
