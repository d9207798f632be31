package org.fangxian.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the address columns of a roster into nodes and households under one community,
 * creating compounds, buildings and units the first time they are named. Spellings are
 * unified ("1号楼", "1#", "1" → "1栋") so one building is one node, whatever the row wrote.
 */
class Addresses {

	private static final Pattern BUILDING = Pattern.compile("^(\\d+)\\s*(号楼|栋|幢|号|#|座)?$");

	private static final Pattern UNIT = Pattern.compile("^(\\d+)\\s*(单元|门)?$");

	static final Pattern ROOM = Pattern.compile("^(\\d+)\\s*(室|号|户)?$");

	/** "福乐湾小区3栋1单元502室" and similar, when a roster has only one address column. */
	private static final Pattern FREE_TEXT = Pattern.compile(
			"^(.*?(?:小区|花园|家园|公寓|院|苑|城|庄园|大厦|新村|里|区))?\\s*(\\d+)\\s*(?:号楼|栋|幢|#|号)\\s*(?:(\\d+)\\s*(?:单元|门))?\\s*(?:(\\d+)\\s*(?:室|号|户)?)?$");

	private final DivisionNodes nodes;

	private final Households households;

	private final Node community;

	private final Map<String, Placement> cache = new HashMap<>();

	private final Map<String, Node> nodeCache = new HashMap<>();

	Addresses(DivisionNodes nodes, Households households, Node community) {
		this.nodes = nodes;
		this.households = households;
		this.community = community;
	}

	Placement place(String compound, String building, String unit, String room, String freeText) {
		if (compound.isEmpty() && building.isEmpty() && unit.isEmpty() && room.isEmpty() && !freeText.isEmpty()) {
			Matcher m = FREE_TEXT.matcher(freeText.replace(" ", ""));
			if (m.matches()) {
				compound = m.group(1) == null ? "" : m.group(1);
				building = m.group(2);
				unit = m.group(3) == null ? "" : m.group(3);
				room = m.group(4) == null ? "" : m.group(4);
			}
			else {
				return new Placement(this.community.id(), null, truncate(freeText));
			}
		}
		String b = unify(BUILDING, building, "栋");
		String u = unify(UNIT, unit, "单元");
		String r = unify(ROOM, room, "");
		String key = compound + "|" + b + "|" + u + "|" + r;
		Placement cached = this.cache.get(key);
		if (cached != null) {
			return cached;
		}
		Node node = this.community;
		StringBuilder address = new StringBuilder();
		if (!compound.isEmpty()) {
			node = child(node, NodeKind.COMPOUND, compound);
			address.append(compound);
		}
		if (!b.isEmpty()) {
			node = child(node, NodeKind.BUILDING, b);
			address.append(b);
		}
		if (!u.isEmpty()) {
			node = child(node, NodeKind.UNIT, u);
			address.append(u);
		}
		Placement placement;
		if (r.isEmpty()) {
			placement = new Placement(node.id(), null, address.isEmpty() ? null : truncate(address.toString()));
		}
		else {
			address.append(r.matches("\\d+") ? r + "室" : r);
			String text = truncate(address.toString());
			placement = new Placement(node.id(), this.households.obtain(node.id(), r, text).id(), text);
		}
		this.cache.put(key, placement);
		return placement;
	}

	private Node child(Node parent, NodeKind kind, String name) {
		String key = parent.id() + "/" + name;
		Node known = this.nodeCache.get(key);
		if (known == null) {
			known = this.nodes.findChild(parent.id(), name)
				.orElseGet(() -> this.nodes.insert(parent.id(), kind, null, name));
			this.nodeCache.put(key, known);
		}
		return known;
	}

	static String unify(Pattern pattern, String raw, String suffix) {
		String text = raw.replace(" ", "");
		if (text.length() > 50) {
			text = text.substring(0, 50);
		}
		Matcher m = pattern.matcher(text);
		return m.matches() ? m.group(1).replaceFirst("^0+(?=\\d)", "") + suffix : text;
	}

	private static String truncate(String text) {
		return text.length() > 300 ? text.substring(0, 300) : text;
	}

}
