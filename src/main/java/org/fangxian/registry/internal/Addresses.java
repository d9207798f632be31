package org.fangxian.registry.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

	private Placed placed(String compound, String building, String unit, String room, String freeText) {
		if (compound.isEmpty() && building.isEmpty() && unit.isEmpty() && room.isEmpty() && !freeText.isEmpty()) {
			Matcher m = FREE_TEXT.matcher(freeText.replace(" ", ""));
			if (m.matches()) {
				compound = m.group(1) == null ? "" : m.group(1);
				building = m.group(2);
				unit = m.group(3) == null ? "" : m.group(3);
				room = m.group(4) == null ? "" : m.group(4);
			}
			else {
				return new Placed(new Spot(this.community.id(), this.community.path(), null, truncate(freeText)), null,
						null);
			}
		}
		// Rows of one household spell their place alike: skip the three patterns for
		// them.
		String raw = compound + "|" + building + "|" + unit + "|" + room;
		Placed seen = this.rawCache.get(raw);
		if (seen != null) {
			return seen;
		}
		String b = unify(BUILDING, building, "栋");
		String u = unify(UNIT, unit, "单元");
		String r = unify(ROOM, room, "");
		String key = compound + "|" + b + "|" + u + "|" + r;
		Placed cached = this.cache.get(key);
		if (cached != null) {
			this.rawCache.put(raw, cached);
			return cached;
		}
		// The names below the community, and the highest of them that is new: that
		// is what the user confirms (everything below a confirmed new place comes with
		// it).
		List<String> names = new ArrayList<>();
		List<NodeKind> kinds = new ArrayList<>();
		StringBuilder address = new StringBuilder();
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
		Node node = this.community;
		String newPlace = null;
		NodeKind newKind = null;
		for (int i = 0; i < names.size(); i++) {
			Node parent = node;
			Node known = existing(parent, names.get(i));
			boolean newHere = known == null && newPlace == null;
			if (newHere) {
				newPlace = String.join(" / ", names.subList(0, i + 1));
				newKind = kinds.get(i);
				if (!this.confirmed.test(newPlace)) {
					// Nothing is created for a place nobody confirmed.
					return new Placed(null, newPlace, newKind);
				}
			}
			else if (known != null && newPlace == null && this.created.containsKey(known.id())) {
				// Created by an earlier row of this run: still a new place of this row.
				newPlace = this.created.get(known.id());
				newKind = kinds.get(newPlace.split(" / ").length - 1);
			}
			node = (known != null) ? known : create(parent, kinds.get(i), names.get(i), newPlace);
			if (newHere && !this.created.containsKey(node.id())) {
				// Someone else added it after the import started: not a new place after
				// all.
				newPlace = null;
				newKind = null;
			}
			address.append(names.get(i));
		}
		Spot spot;
		if (r.isEmpty()) {
			spot = new Spot(node.id(), node.path(), null, address.isEmpty() ? null : truncate(address.toString()));
		}
		else {
			address.append(DIGITS.matcher(r).matches() ? r + "室" : r);
			spot = new Spot(node.id(), node.path(), r, truncate(address.toString()));
		}
		Placed placed = new Placed(spot, newPlace, newKind);
		this.cache.put(key, placed);
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
	 * A place not there when the import started. Someone may have added it since: then
	 * that one is the place, and not a new one of this import.
	 */
	private Node create(Node parent, NodeKind kind, String name, String newPlace) {
		Optional<Node> made = this.nodes.insertIfAbsent(parent.id(), kind, null, name);
		Node node = made.or(() -> this.nodes.findChild(parent.id(), name))
			.orElseThrow(() -> new IllegalStateException("a place neither added nor found"));
		this.nodeCache.put(nodeKey(parent.id(), name), node);
		if (made.isPresent()) {
			this.created.put(node.id(), newPlace);
		}
		return node;
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
