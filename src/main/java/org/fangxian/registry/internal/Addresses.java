package org.fangxian.registry.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;

/**
 * Turns the address columns of a roster into nodes and households under one community.
 * Spellings are unified ("1号楼", "1#", "1" → "1栋") so one building is one node, whatever
 * the row wrote. A compound, building or unit the community does not have yet is created
 * only when the user confirmed it (a typo such as "新小区X" must not become a compound
 * silently): the preview lists each new place (the highest new node of a row's address),
 * and rows naming a new place nobody confirmed are rejected.
 */
public class Addresses {

	private static final Pattern BUILDING = Pattern.compile("^(\\d+)\\s*(号楼|栋|幢|号|#|座)?$");

	private static final Pattern UNIT = Pattern.compile("^(\\d+)\\s*(单元|门)?$");

	private static final Pattern DIGITS = Pattern.compile("\\d+");

	/** Compiled once: a roster's every place goes through {@link #unify}. */
	private static final Pattern LEADING_ZEROS = Pattern.compile("^0+(?=\\d)");

	public static final Pattern ROOM = Pattern.compile("^(\\d+)\\s*(室|号|户)?$");

	/** "福乐湾小区3栋1单元502室" and similar, when a roster has only one address column. */
	private static final Pattern FREE_TEXT = Pattern.compile(
			"^(.*?(?:小区|花园|家园|公寓|院|苑|城|庄园|大厦|新村|里|区))?\\s*(\\d+)\\s*(?:号楼|栋|幢|#|号)\\s*(?:(\\d+)\\s*(?:单元|门))?\\s*(?:(\\d+)\\s*(?:室|号|户)?)?$");

	private final DivisionNodes nodes;

	private final Households households;

	private final Node community;

	private final Predicate<String> confirmed;

	private final Map<String, Placed> cache = new HashMap<>();

	/**
	 * The last {@link #createPlaces} call's rows read, by the place as the file spells
	 * it: {@link #place} then reads each only once.
	 */
	private final Map<String, Names> parsed = new HashMap<>();

	/** {@link #cache} by the place as the file spells it. */
	private final Map<String, Placed> rawCache = new HashMap<>();

	private final Map<String, Node> nodeCache = new HashMap<>();

	/**
	 * Whether {@link #nodeCache} holds every place below the community found at first
	 * use.
	 */
	private boolean nodesLoaded;

	/** Nodes this run created (or, in a preview, would create). */
	private final Map<Long, String> created = new HashMap<>();

	private final Map<String, ImportReport.NewPlace> newPlaces = new LinkedHashMap<>();

	/** See {@link #district()}. */
	private Long district;

	/** Households found or created so far, by {@link Households#key}. */
	private final Map<String, Long> householdIds = new HashMap<>();

	/**
	 * Rooms placed since the last {@link #resolveHouseholds()} whose household is not
	 * known.
	 */
	private final Map<String, Households.Room> pendingRooms = new LinkedHashMap<>();

	/**
	 * Whether every room of the last {@link #resolveHouseholds()} was new: the next are
	 * then created first ({@link Households#obtainAll}).
	 */
	private boolean roomsWereNew;

	private record Placed(Spot spot, String newPlace, NodeKind newKind) {
	}

	/**
	 * Where a row lives before its room's household is known: the deepest node named and
	 * its path, the room (null when the roster stops above rooms) and the address text.
	 * {@link #placement} completes it after {@link #resolveHouseholds()}.
	 */
	record Spot(long nodeId, String nodePath, String room, String address) {
	}

	/**
	 * @param confirmed whether the user confirmed a new place, by its label (see
	 * {@link ImportReport.NewPlace})
	 */
	Addresses(DivisionNodes nodes, Households households, Node community, Predicate<String> confirmed) {
		this.nodes = nodes;
		this.households = households;
		this.community = community;
		this.confirmed = confirmed;
	}

	/** The new places rows named so far, in the order first seen. */
	List<ImportReport.NewPlace> newPlaces() {
		return new ArrayList<>(this.newPlaces.values());
	}

	/**
	 * Where a row lives.
	 * @throws org.fangxian.shared.InvalidInput when the row names a new place the user
	 * did not confirm (nothing is created then)
	 */
	Spot place(int row, String compound, String building, String unit, String room, String freeText) {
		Placed placed = placed(compound, building, unit, room, freeText);
		if (placed.newPlace() != null) {
			if (!this.confirmed.test(placed.newPlace())) {
				throw new org.fangxian.shared.InvalidInput(fieldOf(placed.newKind()), "import.place.unconfirmed",
						placed.newPlace());
			}
			this.newPlaces.merge(placed.newPlace(),
					new ImportReport.NewPlace(placed.newPlace(), placed.newKind().name(), row, 1),
					(a, b) -> new ImportReport.NewPlace(a.label(), a.kind(), a.firstRow(), a.rows() + 1));
		}
		Spot spot = placed.spot();
		if (spot.room() != null) {
			String key = Households.key(spot.nodeId(), spot.room());
			if (!this.householdIds.containsKey(key)) {
				this.pendingRooms.putIfAbsent(key,
						new Households.Room(spot.nodeId(), spot.nodePath(), spot.room(), spot.address()));
			}
		}
		return spot;
	}

	/**
	 * Finds or creates the households of every room placed since the last call, in two
	 * round trips instead of one per room (a district's roster names hundreds of
	 * thousands).
	 */
	void resolveHouseholds() {
		if (!this.pendingRooms.isEmpty()) {
			Households.Obtained obtained = this.households.obtainAll(this.pendingRooms.values(), this.roomsWereNew);
			this.householdIds.putAll(obtained.ids());
			this.roomsWereNew = obtained.created() == this.pendingRooms.size();
			this.pendingRooms.clear();
		}
	}

	/** The placement of a spot whose household {@link #resolveHouseholds()} found. */
	Placement placement(Spot spot) {
		if (spot.room() == null) {
			return new Placement(spot.nodeId(), spot.nodePath(), district(), null, spot.address());
		}
		Long household = this.householdIds.get(Households.key(spot.nodeId(), spot.room()));
		if (household == null) {
			throw new IllegalStateException("household not resolved: call resolveHouseholds() first");
		}
		return new Placement(spot.nodeId(), spot.nodePath(), district(), household, spot.address());
	}

	/**
	 * The district of every place under the community: a node below a district has its
	 * parent's (V122), so one look-up serves the whole roster. Sent with each row, it is
	 * checked by the resident's key (V128), not trusted.
	 */
	private long district() {
		if (this.district == null) {
			this.district = this.nodes.districtOf(this.community.id());
		}
		return this.district;
	}

	private static String fieldOf(NodeKind kind) {
		return switch (kind) {
			case COMPOUND -> "compound";
			case UNIT -> "unit";
			default -> "building";
		};
	}

	/** A row's address columns, as {@link #place} takes them. */
	record Columns(String compound, String building, String unit, String room, String freeText) {
	}

	/**
	 * Adds the confirmed new places these rows name, one statement per level (compounds,
	 * then buildings, then units) instead of one per place: a district's first roster
	 * names some ten thousand, and their round trips were a tenth of its import.
	 * {@link #place} then finds them, and reports them as new places as if it had added
	 * them itself. Rows naming a new place nobody confirmed add nothing.
	 */
	void createPlaces(List<Columns> rows) {
		Map<List<String>, Names> chains = new LinkedHashMap<>();
		this.parsed.clear();
		for (Columns row : rows) {
			String[] columns = columns(row.compound(), row.building(), row.unit(), row.room(), row.freeText());
			if (columns == null) {
				continue;
			}
			String raw = String.join("|", columns);
			if (this.rawCache.containsKey(raw) || this.parsed.containsKey(raw)) {
				continue;
			}
			Names names = names(columns);
			this.parsed.put(raw, names);
			if (!this.cache.containsKey(names.key())) {
				chains.putIfAbsent(names.names(), names);
			}
		}
		create(chains.values());
	}

	/** Adds the confirmed new places of these rows' places, a level at a time. */
	private void create(Collection<Names> chains) {
		for (int level = 0; level < 3 && !chains.isEmpty(); level++) {
			// The places first missing at this level, by nodeKey, with the label of the
			// highest new place above or at them (what the user confirmed).
			Map<String, DivisionNodes.Child> wanted = new LinkedHashMap<>();
			Map<String, String> labels = new HashMap<>();
			for (Names chain : chains) {
				Node parent = this.community;
				String label = null;
				for (int i = 0; i < chain.names().size() && i <= level; i++) {
					String name = chain.names().get(i);
					Node known = existing(parent, name);
					if (known != null) {
						label = label != null ? label : this.created.get(known.id());
						parent = known;
						continue;
					}
					label = label != null ? label : chain.label(i);
					if (i == level && this.confirmed.test(label)) {
						String key = nodeKey(parent.id(), name);
						wanted.putIfAbsent(key, new DivisionNodes.Child(parent.id(), chain.kinds().get(i), name));
						labels.putIfAbsent(key, label);
					}
					break;
				}
			}
			for (Node node : this.nodes.insertAllIfAbsent(wanted.values())) {
				String key = nodeKey(node.parentId(), node.name());
				this.nodeCache.put(key, node);
				this.created.put(node.id(), labels.get(key));
				wanted.remove(key);
			}
			// Added by someone else after the community's places were read: theirs is the
			// place, and not a new one of this import.
			for (Node node : this.nodes.findChildren(wanted.values())) {
				this.nodeCache.put(nodeKey(node.parentId(), node.name()), node);
			}
		}
	}

	/**
	 * The compound, building, unit and room a row names, from its own columns or split
	 * from its one address column; null when that address is no place this can read.
	 */
	private static String[] columns(String compound, String building, String unit, String room, String freeText) {
		if (compound.isEmpty() && building.isEmpty() && unit.isEmpty() && room.isEmpty() && !freeText.isEmpty()) {
			Matcher m = FREE_TEXT.matcher(freeText.replace(" ", ""));
			if (!m.matches()) {
				return null;
			}
			return new String[] { m.group(1) == null ? "" : m.group(1), m.group(2),
					m.group(3) == null ? "" : m.group(3), m.group(4) == null ? "" : m.group(4) };
		}
		return new String[] { compound, building, unit, room };
	}

	/**
	 * A row's places below the community, top down and spelt alike ({@link #unify}), its
	 * room ("" for none) and {@link #cache}'s key.
	 */
	private record Names(String key, List<String> names, List<NodeKind> kinds, String room) {

		/** What the user confirms when the place at this level is the highest new one. */
		String label(int level) {
			return String.join(" / ", this.names.subList(0, level + 1));
		}

	}

	private static Names names(String[] columns) {
		String compound = columns[0];
		String b = unify(BUILDING, columns[1], "栋");
		String u = unify(UNIT, columns[2], "单元");
		String r = unify(ROOM, columns[3], "");
		List<String> names = new ArrayList<>(3);
		List<NodeKind> kinds = new ArrayList<>(3);
		if (!compound.isEmpty()) {
			names.add(compound);
			kinds.add(NodeKind.COMPOUND);
		}
		if (!b.isEmpty()) {
			names.add(b);
			kinds.add(NodeKind.BUILDING);
		}
		if (!u.isEmpty()) {
			names.add(u);
			kinds.add(NodeKind.UNIT);
		}
		return new Names(compound + "|" + b + "|" + u + "|" + r, names, kinds, r);
	}

	private Placed placed(String compound, String building, String unit, String room, String freeText) {
		String[] columns = columns(compound, building, unit, room, freeText);
		if (columns == null) {
			return new Placed(new Spot(this.community.id(), this.community.path(), null, truncate(freeText)), null,
					null);
		}
		// Rows of one household spell their place alike: skip the three patterns for
		// them.
		String raw = String.join("|", columns);
		Placed seen = this.rawCache.get(raw);
		if (seen != null) {
			return seen;
		}
		Names names = this.parsed.get(raw);
		if (names == null) {
			names = names(columns);
		}
		Placed cached = this.cache.get(names.key());
		if (cached != null) {
			this.rawCache.put(raw, cached);
			return cached;
		}
		Node node = this.community;
		String newPlace = null;
		NodeKind newKind = null;
		StringBuilder address = new StringBuilder();
		for (int i = 0; i < names.names().size(); i++) {
			Node known = existing(node, names.names().get(i));
			if (known == null) {
				// Not added by the chunk's createPlaces (tried again here for this row
				// alone, keeping what the chunk parsed): its highest new place was not
				// confirmed, and nothing is created.
				create(List.of(names));
				known = existing(node, names.names().get(i));
			}
			if (known == null) {
				if (newPlace != null) {
					throw new IllegalStateException("a place neither added nor found below a confirmed one");
				}
				return new Placed(null, names.label(i), names.kinds().get(i));
			}
			if (newPlace == null && this.created.containsKey(known.id())) {
				// Added by this run (for this row or an earlier one): a new place of this
				// row.
				newPlace = this.created.get(known.id());
				newKind = names.kinds().get(newPlace.split(" / ").length - 1);
			}
			node = known;
			address.append(names.names().get(i));
		}
		String r = names.room();
		Spot spot;
		if (r.isEmpty()) {
			spot = new Spot(node.id(), node.path(), null, address.isEmpty() ? null : truncate(address.toString()));
		}
		else {
			address.append(DIGITS.matcher(r).matches() ? r + "室" : r);
			spot = new Spot(node.id(), node.path(), r, truncate(address.toString()));
		}
		Placed placed = new Placed(spot, newPlace, newKind);
		this.cache.put(names.key(), placed);
		this.rawCache.put(raw, placed);
		return placed;
	}

	private Node existing(Node parent, String name) {
		if (!this.nodesLoaded) {
			// The community's places in one round trip: a district's roster names tens
			// of thousands, and a re-import asked for each of them one by one.
			for (Node node : this.nodes.below(this.community)) {
				this.nodeCache.putIfAbsent(nodeKey(node.parentId(), node.name()), node);
			}
			this.nodesLoaded = true;
		}
		return this.nodeCache.get(nodeKey(parent.id(), name));
	}

	/**
	 * {@link #nodeCache}'s key: a place by its parent and its name, unique among
	 * siblings.
	 */
	private static String nodeKey(long parentId, String name) {
		return parentId + "/" + name;
	}

	public static String unify(Pattern pattern, String raw, String suffix) {
		String text = raw.replace(" ", "");
		if (text.length() > 50) {
			text = text.substring(0, 50);
		}
		Matcher m = pattern.matcher(text);
		return m.matches() ? LEADING_ZEROS.matcher(m.group(1)).replaceFirst("") + suffix : text;
	}

	private static String truncate(String text) {
		return text.length() > 300 ? text.substring(0, 300) : text;
	}

}
