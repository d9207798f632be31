package org.fangxian.registry.internal;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionCode;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.shared.web.PageMessages;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a community's resident roster (XLSX or CSV). The whole file is one transaction:
 * good rows go in, bad rows are reported with their row number and reason, and a crash
 * part-way leaves nothing behind. Residents are matched by ID number (and, without one,
 * by name and phone in the same household), so importing the same file twice changes
 * nothing.
 */
@Service
public class RosterImport {

	static final int CHUNK = 2000;

	static final String SAME_ID_NUMBER = "SAME_ID_NUMBER";

	static final String SAME_NAME_PHONE_HOUSEHOLD = "SAME_NAME_PHONE_HOUSEHOLD";

	private final DivisionNodes nodes;

	private final Households households;

	private final ResidentRecords residents;

	private final PersonalDataProtection protection;

	/** A refused row's reason, led by its column's label (证件号码: …). */
	private final PageMessages messages;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final PhoneTails phoneTails;

	/**
	 * Whether a large import into an empty registry builds the costly indexes after its
	 * rows (on by default; off only to measure the difference).
	 */
	private final boolean bulkLoadIntoEmpty;

	/**
	 * Whether the next chunk's stored people are looked up while this chunk is written
	 * (on by default; off only to measure the difference): see {@link LookAhead}.
	 */
	private final boolean lookAhead;

	RosterImport(DivisionNodes nodes, Households households, ResidentRecords residents,
			PersonalDataProtection protection, PageMessages messages, ApplicationEventPublisher events,
			PlatformTransactionManager transactionManager, JdbcClient jdbc, Clock clock, PhoneTails phoneTails,
			@Value("${fangxian.registry.bulk-load-into-empty:true}") boolean bulkLoadIntoEmpty,
			@Value("${fangxian.registry.import-look-ahead:true}") boolean lookAhead) {
		this.phoneTails = phoneTails;
		this.lookAhead = lookAhead;
		this.bulkLoadIntoEmpty = bulkLoadIntoEmpty;
		this.nodes = nodes;
		this.households = households;
		this.residents = residents;
		this.protection = protection;
		this.messages = messages.labelled();
		this.events = events;
		this.transactions = new TransactionTemplate(transactionManager);
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * The community a user may import into, by its 12-digit code (or a shorter official
	 * form).
	 */
	public Node community(CurrentUser user, String communityCode) {
		user.require(Permission.IMPORT_RESIDENTS);
		String code = DivisionCode.normalize(communityCode)
			.orElseThrow(() -> new InvalidInput("communityCode", "import.community.invalid"));
		Node community = this.nodes.findByCode(code).orElseThrow(() -> new NotFound("import.community.unknown"));
		user.requireCovers(community.path());
		if (community.kind() != NodeKind.COMMUNITY) {
			throw new InvalidInput("communityCode", "import.community.notCommunity");
		}
		return community;
	}

	public Node community(CurrentUser user, long communityId) {
		user.require(Permission.IMPORT_RESIDENTS);
		Node community = this.nodes.findById(communityId).orElseThrow(() -> new NotFound("node.notFound"));
		user.requireCovers(community.path());
		if (community.kind() != NodeKind.COMMUNITY) {
			throw new InvalidInput("communityId", "import.community.notCommunity");
		}
		return community;
	}

	/**
	 * Every new place confirmed: for callers that built the file themselves (demo,
	 * tests).
	 */
	public static final Predicate<String> ALL_NEW_PLACES = label -> true;

	/**
	 * Imports a roster into a community, creating every new place it names (see
	 * {@link #run(CurrentUser, Node, InputStream, String, Map, boolean, Predicate, Consumer)}
	 * for imports a person confirms).
	 * @param overrides column mapping chosen by the user, by header text; may be empty
	 * @param dryRun run everything, report, and roll back (the preview)
	 */
	public ImportReport run(CurrentUser user, Node community, InputStream in, String filename,
			Map<String, RosterField> overrides, boolean dryRun) {
		return run(user, community, in, filename, overrides, dryRun, ALL_NEW_PLACES, sheet -> {
		});
	}

	/**
	 * As {@link #run(CurrentUser, Node, InputStream, String, Map, boolean)}, creating
	 * only the new places confirmed (a preview lists them all and creates none), and
	 * handing over the header found.
	 * @param confirmedNewPlaces whether a new place's label (see
	 * {@link ImportReport.NewPlace}) was confirmed; rows naming one that was not are
	 * rejected with their row number
	 */
	public ImportReport run(CurrentUser user, Node community, InputStream in, String filename,
			Map<String, RosterField> overrides, boolean dryRun, Predicate<String> confirmedNewPlaces,
			Consumer<RosterSheet> onHeader) {
		user.require(Permission.IMPORT_RESIDENTS);
		user.requireCovers(community.path());
		ImportReport report = this.transactions.execute(status -> {
			// One import per community at a time: two would race to create the same
			// people.
			this.jdbc.sql("select pg_advisory_xact_lock(:key)")
				.param("key", community.id())
				.query(Object.class)
				.single();
			Run run = new Run(user, community, dryRun ? ALL_NEW_PLACES : confirmedNewPlaces);
			try (RosterFeed<Prepared> feed = RosterFeed.start(in, filename, overrides, onHeader, CHUNK,
					row -> prepare(row, run.today)); LookAhead ahead = new LookAhead()) {
				List<Prepared> chunk = feed.next();
				Future<List<ResidentRecords.Stored>> stored = null;
				while (chunk != null) {
					if (run.total == 0 && chunk.size() == CHUNK && this.bulkLoadIntoEmpty) {
						// The installation's first roster (a district's own
						// database): see ResidentRecords.bulkLoadIfEmpty.
						run.bulk = this.residents.bulkLoadIfEmpty().orElse(null);
					}
					List<Prepared> next = feed.next();
					Future<List<ResidentRecords.Stored>> nextStored = next == null || run.bulk != null ? null
							: ahead.stored(next);
					run.process(chunk, stored);
					chunk = next;
					stored = nextStored;
				}
			}
			catch (RosterFormatException ex) {
				throw new InvalidInput("file", ex.messageKey(), ex.args());
			}
			if (run.bulk != null && !dryRun) {
				run.bulk.finish();
			}
			ImportReport result = run.report(dryRun);
			if (dryRun) {
				status.setRollbackOnly();
			}
			else {
				this.events.publishEvent(AuditEvent.of(user, "RESIDENTS_IMPORTED", "node", community.id(),
						"file " + filename + ": total " + result.total() + ", accepted " + result.accepted()
								+ ", updated " + result.updated() + ", unchanged " + result.unchanged() + ", rejected "
								+ result.rejectedCount() + ", duplicates " + result.duplicates().size()
								+ ", new places " + result.newPlaces().size()));
			}
			return result;
		});
		return report;
	}

	/**
	 * A row as the reader's thread leaves it: checked, with its keyed hashes and masked
	 * forms, or refused (the refusal's text is made on the import's thread, in the user's
	 * language).
	 */
	private record Prepared(RosterRow row, ResidentDraft draft, InvalidInput refused, byte[] idHash, byte[] phoneHash,
			byte[] phoneTailHash, String maskedId, String maskedPhone) {
	}

	/** What can be done to a row before the database sees it, on the reader's thread. */
	private Prepared prepare(RosterRow row, LocalDate today) {
		try {
			ResidentDraft draft = ResidentDraft.of(row.get(RosterField.NAME), row.get(RosterField.ID_TYPE),
					row.get(RosterField.ID_NUMBER), row.get(RosterField.PHONE), row.get(RosterField.RELATION),
					row.get(RosterField.TAGS), row.get(RosterField.STATUS), row.get(RosterField.NOTE), today);
			return new Prepared(row, draft, null, this.protection.lookupHash(draft.idLookupKey()),
					this.protection.lookupHash(draft.phone()), this.phoneTails.hash(draft.phone()), draft.maskedId(),
					draft.maskedPhone());
		}
		catch (InvalidInput ex) {
			return new Prepared(row, null, ex, null, null, null, null, null);
		}
	}

	/**
	 * Looks up the stored people of a chunk's ID numbers on a thread and pooled
	 * connection of its own, while the import's thread writes the chunk before it: a
	 * re-import of a district's unchanged roster spent a third of its time waiting for
	 * that look-up (docs/benchmarks.md, 2026-12-04, evening).
	 * <p>
	 * Outside the import's transaction, it sees what others committed, not the rows this
	 * import wrote in earlier chunks. It need not: every ID number this import wrote, as
	 * a new person, an update or a completed record, is in {@link Run#idsInFile}, which
	 * is asked first (a later row with it is a duplicate); a stored person is otherwise
	 * one this import has not touched. A look-up that fails is made again in the
	 * transaction.
	 */
	private final class LookAhead implements AutoCloseable {

		private final ExecutorService thread = RosterImport.this.lookAhead ? Executors.newSingleThreadExecutor(task -> {
			Thread t = new Thread(task, "roster-look-ahead");
			t.setDaemon(true);
			return t;
		}) : null;

		/** The stored people of the chunk's ID numbers, on their way; null when off. */
		Future<List<ResidentRecords.Stored>> stored(List<Prepared> chunk) {
			if (this.thread == null) {
				return null;
			}
			List<byte[]> hashes = chunk.stream().map(Prepared::idHash).filter(h -> h != null).toList();
			return this.thread.submit(() -> RosterImport.this.residents.findByIdHashes(hashes));
		}

		@Override
		public void close() {
			if (this.thread != null) {
				this.thread.shutdownNow();
			}
		}

	}

	/** The state of one import: rows seen so far in the file, and the counts. */
	private final class Run {

		private final CurrentUser user;

		private final Addresses addresses;

		private final LocalDate today;

		private final Map<ByteBuffer, Long> idsInFile = new HashMap<>();

		private final Map<PlaceKey, Long> namePhoneInFile = new HashMap<>();

		private final List<ImportReport.RejectedRow> rejected = new ArrayList<>();

		private final List<ImportReport.DuplicateRow> duplicates = new ArrayList<>();

		private int total;

		private int accepted;

		private int updated;

		private int unchanged;

		private int rejectedCount;

		/** Set when this import loads an empty registry (its first chunk decides). */
		private ResidentRecords.BulkLoad bulk;

		Run(CurrentUser user, Node community, Predicate<String> confirmedNewPlaces) {
			this.user = user;
			this.addresses = new Addresses(RosterImport.this.nodes, RosterImport.this.households, community,
					confirmedNewPlaces);
			this.today = LocalDate.now(RosterImport.this.clock);
		}

		/** A checked row and where it goes. */
		private record Candidate(Prepared prepared, Placement placement) {

			int row() {
				return this.prepared.row().rowNumber();
			}

			ResidentDraft draft() {
				return this.prepared.draft();
			}

			byte[] idHash() {
				return this.prepared.idHash();
			}

			byte[] phoneHash() {
				return this.prepared.phoneHash();
			}

			/** See {@link Run#placeKey}. */
			PlaceKey placeKey() {
				return Run.placeKey(this.placement.nodeId(), this.placement.householdId(), draft().name(), phoneHash());
			}

		}

		private record Staged(Prepared prepared, Addresses.Spot spot) {
		}

		/**
		 * @param storedAhead the stored people of the chunk's ID numbers as
		 * {@link LookAhead} found them, or null to look them up now
		 */
		void process(List<Prepared> rows, Future<List<ResidentRecords.Stored>> storedAhead) {
			// The chunk's new places in a few statements, before its rows are placed.
			this.addresses.createPlaces(rows.stream()
				.filter(p -> p.refused() == null)
				.map(p -> new Addresses.Columns(p.row().get(RosterField.COMPOUND), p.row().get(RosterField.BUILDING),
						p.row().get(RosterField.UNIT), p.row().get(RosterField.ROOM), p.row().get(RosterField.ADDRESS)))
				.toList());
			List<Staged> staged = new ArrayList<>(rows.size());
			for (Prepared p : rows) {
				this.total++;
				RosterRow row = p.row();
				if (p.refused() != null) {
					reject(row.rowNumber(), p.refused());
					continue;
				}
				try {
					Addresses.Spot spot = this.addresses.place(row.rowNumber(), row.get(RosterField.COMPOUND),
							row.get(RosterField.BUILDING), row.get(RosterField.UNIT), row.get(RosterField.ROOM),
							row.get(RosterField.ADDRESS));
					staged.add(new Staged(p, spot));
				}
				catch (InvalidInput ex) {
					reject(row.rowNumber(), ex);
				}
			}
			// The chunk's new rooms in one go, then everything keyed by place.
			this.addresses.resolveHouseholds();
			List<Candidate> candidates = new ArrayList<>(staged.size());
			for (Staged s : staged) {
				Prepared p = s.prepared();
				candidates.add(new Candidate(p, this.addresses.placement(s.spot())));
			}
			List<byte[]> hashes = candidates.stream().map(Candidate::idHash).filter(h -> h != null).toList();
			Map<ByteBuffer, ResidentRecords.Stored> existing = new HashMap<>();
			// In a bulk load every stored ID number is this file's, known from idsInFile,
			// and the index to look it up in is not there yet.
			if (this.bulk == null) {
				for (ResidentRecords.Stored stored : stored(hashes, storedAhead)) {
					existing.put(ByteBuffer.wrap(stored.idHash()), stored);
				}
			}
			AtPlace atPlace = new AtPlace(candidates, existing.keySet());
			// Sealed (encrypted) only as they are written: see ResidentRecords.insertAll.
			List<Decided> inserts = new ArrayList<>();
			List<Decided> updates = new ArrayList<>();
			// Ids in one round trip for the rows that may be new (an ID number stored
			// already is not): a re-import of an unchanged roster asks for none. The few
			// left unused are harmless gaps.
			int mayBeNew = (int) candidates.stream()
				.filter(c -> c.idHash() == null || !existing.containsKey(ByteBuffer.wrap(c.idHash())))
				.count();
			long[] reserved = mayBeNew == 0 ? new long[0] : RosterImport.this.residents.reserveIds(mayBeNew);
			int next = 0;
			for (Candidate c : candidates) {
				PlaceKey placeKey = c.placeKey();
				if (c.idHash() != null) {
					ByteBuffer key = ByteBuffer.wrap(c.idHash());
					Long earlier = this.idsInFile.get(key);
					if (earlier != null) {
						this.duplicates.add(new ImportReport.DuplicateRow(c.row(), earlier, SAME_ID_NUMBER));
						continue;
					}
					ResidentRecords.Stored stored = existing.get(key);
					if (stored != null) {
						if (!this.user.covers(stored.path())) {
							reject(c.row(), new InvalidInput("idNumber", "import.idNumber.otherJurisdiction"));
							continue;
						}
						remember(key, placeKey, stored.id());
						if (c.draft()
							.sameAs(stored, c.phoneHash(), c.placement().nodeId(), c.placement().householdId())) {
							this.unchanged++;
						}
						else {
							updates.add(new Decided(stored.id(), c));
							this.updated++;
						}
						continue;
					}
					// A person first listed without an ID number, now with one: complete
					// that record.
					Optional<ResidentRecords.Stored> withoutId = atPlace.find(c).filter(s -> !s.hasId());
					if (withoutId.isPresent()) {
						long id = withoutId.get().id();
						remember(key, placeKey, id);
						updates.add(new Decided(id, c));
						this.updated++;
						this.duplicates.add(new ImportReport.DuplicateRow(c.row(), id, SAME_NAME_PHONE_HOUSEHOLD));
						continue;
					}
					long id = reserved[next++];
					remember(key, placeKey, id);
					inserts.add(new Decided(id, c));
					continue;
				}
				// No ID number: the same name and phone at the same address is the same
				// person.
				Long earlier = this.namePhoneInFile.get(placeKey);
				if (earlier != null) {
					this.duplicates.add(new ImportReport.DuplicateRow(c.row(), earlier, SAME_NAME_PHONE_HOUSEHOLD));
					continue;
				}
				Optional<ResidentRecords.Stored> known = atPlace.find(c);
				if (known.isPresent()) {
					ResidentRecords.Stored stored = known.get();
					remember(null, placeKey, stored.id());
					if (stored.hasId()) {
						this.duplicates
							.add(new ImportReport.DuplicateRow(c.row(), stored.id(), SAME_NAME_PHONE_HOUSEHOLD));
					}
					else if (c.draft()
						.sameAs(stored, c.phoneHash(), c.placement().nodeId(), c.placement().householdId())) {
						this.unchanged++;
					}
					else {
						updates.add(new Decided(stored.id(), c));
						this.updated++;
					}
					continue;
				}
				long id = reserved[next++];
				remember(null, placeKey, id);
				inserts.add(new Decided(id, c));
			}
			this.accepted += inserts.size();
			RosterImport.this.residents.insertAll(inserts, this::seal);
			RosterImport.this.residents.updateAll(updates.stream().map(this::seal).toList());
		}

		/** The stored people of these ID numbers: as looked up ahead, or now. */
		private List<ResidentRecords.Stored> stored(List<byte[]> hashes,
				Future<List<ResidentRecords.Stored>> storedAhead) {
			if (storedAhead != null) {
				try {
					return storedAhead.get();
				}
				catch (ExecutionException ex) {
					// No connection to spare, say: the transaction's own is as good.
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("interrupted while looking up a roster's people", ex);
				}
			}
			return RosterImport.this.residents.findByIdHashes(hashes);
		}

		/**
		 * The people already stored at the places of a chunk's rows that may need them
		 * (rows without an ID number, and ID numbers not yet stored), fetched in one
		 * round trip; {@link #find} answers with the oldest of the same name and phone at
		 * the same place, as of the chunk's start.
		 */
		private final class AtPlace {

			private final Map<PlaceKey, ResidentRecords.Stored> oldest = new HashMap<>();

			AtPlace(List<Candidate> candidates, java.util.Set<ByteBuffer> storedIds) {
				java.util.Set<ResidentRecords.NameAtPlace> keys = new java.util.LinkedHashSet<>();
				for (Candidate c : candidates) {
					if (c.idHash() == null || !storedIds.contains(ByteBuffer.wrap(c.idHash()))) {
						keys.add(new ResidentRecords.NameAtPlace(c.placement().nodeId(), c.placement().householdId(),
								c.draft().name()));
					}
				}
				// Oldest first: the first one stored under a key is the one to match.
				for (ResidentRecords.Stored s : RosterImport.this.residents.findAtPlaces(keys)) {
					this.oldest.putIfAbsent(placeKey(s.nodeId(), s.householdId(), s.name(), s.phoneHash()), s);
				}
			}

			Optional<ResidentRecords.Stored> find(Candidate c) {
				return Optional.ofNullable(this.oldest.get(c.placeKey()));
			}

		}

		/**
		 * Same place, name and phone: the rule for telling people apart without an ID
		 * number.
		 */
		static PlaceKey placeKey(long nodeId, Long householdId, String name, byte[] phoneHash) {
			return new PlaceKey(nodeId, householdId, name, phoneHash == null ? null : ByteBuffer.wrap(phoneHash));
		}

		/**
		 * The place, name and phone as a key: it holds the row's own values rather than a
		 * string made of them, since a district's roster keeps a million of them.
		 */
		record PlaceKey(long nodeId, Long householdId, String name, ByteBuffer phoneHash) {
		}

		private void remember(ByteBuffer idKey, PlaceKey placeKey, long residentId) {
			if (idKey != null) {
				this.idsInFile.put(idKey, residentId);
			}
			this.namePhoneInFile.putIfAbsent(placeKey, residentId);
		}

		/** A row to write under the resident id it was given, not yet sealed. */
		private record Decided(long id, Candidate candidate) {
		}

		private ResidentRecords.Sealed seal(Decided decided) {
			Candidate c = decided.candidate();
			Prepared r = c.prepared();
			ResidentDraft d = c.draft();
			PersonalDataProtection p = RosterImport.this.protection;
			return new ResidentRecords.Sealed(decided.id(), c.placement().nodeId(), c.placement().householdId(),
					d.name(), d.idType().name(), p.encrypt(d.idNumber()), r.idHash(), r.maskedId(),
					p.encrypt(d.phone()), r.phoneHash(), r.phoneTailHash(), r.maskedPhone(), d.birthDate(),
					d.sex() == null ? null : d.sex().name(), d.relation().name(), d.tags(), d.status().name(), d.note(),
					c.placement().address(), c.placement().nodePath(), c.placement().districtId());
		}

		private void reject(int row, InvalidInput ex) {
			this.rejectedCount++;
			if (this.rejected.size() < ImportReport.LIST_LIMIT) {
				this.rejected.add(new ImportReport.RejectedRow(row, ex.field(), RosterImport.this.messages.text(ex)));
			}
		}

		ImportReport report(boolean dryRun) {
			return new ImportReport(this.total, this.accepted, this.updated, this.unchanged, this.rejectedCount,
					List.copyOf(this.rejected), List.copyOf(this.duplicates), dryRun, this.addresses.newPlaces());
		}

	}

}
