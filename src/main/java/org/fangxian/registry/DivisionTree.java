package org.fangxian.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.internal.DivisionNodes;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Browsing and editing the jurisdiction tree, always inside the user's own subtree. */
@Service
public class DivisionTree {

	/** Natural order for names like "2栋" before "10栋". */
	static final Comparator<String> NATURAL = (a, b) -> {
		String na = a.replaceAll("\\D+", " ").trim().split(" ")[0];
		String nb = b.replaceAll("\\D+", " ").trim().split(" ")[0];
		if (!na.isEmpty() && !nb.isEmpty() && na.length() < 10 && nb.length() < 10) {
			int byNumber = Long.compare(Long.parseLong(na), Long.parseLong(nb));
			if (byNumber != 0) {
				return byNumber;
			}
		}
		return a.compareTo(b);
	};

	static final Comparator<Node> NODE_ORDER = Comparator.comparing((Node n) -> n.code() == null ? "~" : n.code())
		.thenComparing(Node::name, NATURAL);

	private final DivisionNodes nodes;

	private final ApplicationEventPublisher events;

	DivisionTree(DivisionNodes nodes, ApplicationEventPublisher events) {
		this.nodes = nodes;
		this.events = events;
	}

	/**
	 * A node the user may see; a node outside the jurisdiction is reported as such, not
	 * as missing.
	 */
	public Node node(CurrentUser user, long id) {
		Node node = this.nodes.findById(id).orElseThrow(() -> new NotFound("node.notFound"));
		user.requireCovers(node.path());
		return node;
	}

	public Node nodeByCode(CurrentUser user, String code) {
		Node node = this.nodes
			.findByCode(DivisionCode.normalize(code).orElseThrow(() -> new InvalidInput("code", "node.code.invalid")))
			.orElseThrow(() -> new NotFound("node.notFound"));
		user.requireCovers(node.path());
		return node;
	}

	/**
	 * The top of what the user sees: their own node, or the tree's roots for an
	 * installation-wide account.
	 */
	public List<Node> tops(CurrentUser user) {
		if (user.nodeId() != null) {
			return List.of(node(user, user.nodeId()));
		}
		return this.nodes.roots().stream().sorted(NODE_ORDER).toList();
	}

	public List<NodeSummary> children(CurrentUser user, long id) {
		Node parent = node(user, id);
		return this.nodes.children(parent.id()).stream().sorted(NODE_ORDER).map(this::summarize).toList();
	}

	public NodeSummary summary(CurrentUser user, long id) {
		return summarize(node(user, id));
	}

	/**
	 * Ancestors from the top of the user's jurisdiction down to the node itself, for
	 * breadcrumbs.
	 */
	public List<Node> trail(CurrentUser user, Node node) {
		List<Long> ids = Arrays.stream(node.path().split("/")).filter(s -> !s.isEmpty()).map(Long::valueOf).toList();
		List<Node> found = new ArrayList<>(this.nodes.byIds(ids));
		found.removeIf(n -> !user.covers(n.path()));
		found.sort(Comparator.comparingInt(Node::depth));
		return found;
	}

	/**
	 * Nodes of one kind within a node's subtree (e.g. the communities of a street), for
	 * pickers.
	 */
	public List<Node> within(CurrentUser user, long id, NodeKind kind) {
		Node node = node(user, id);
		return this.nodes.within(node.path() + "%", kind);
	}

	@Transactional
	public Node addChild(CurrentUser user, long parentId, String rawName, String rawCode) {
		user.require(Permission.EDIT_REGISTRY);
		Node parent = node(user, parentId);
		NodeKind kind = parent.kind().childKind().orElseThrow(() -> new InvalidInput("name", "node.noChildren"));
		String name = validName(rawName);
		String code = null;
		if (kind.official() && rawCode != null && !rawCode.isBlank()) {
			code = DivisionCode.normalize(rawCode).orElseThrow(() -> new InvalidInput("code", "node.code.invalid"));
			if (parent.code() != null && !DivisionCode.isWithin(code, parent.code(), parent.kind())) {
				throw new InvalidInput("code", "node.code.notWithinParent", parent.code());
			}
		}
		try {
			Node created = this.nodes.insert(parent.id(), kind, code, name);
			this.events.publishEvent(AuditEvent.of(user, "NODE_CREATED", "node", created.id(), kind + " " + name));
			return created;
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInput(code != null && this.nodes.findByCode(code).isPresent() ? "code" : "name",
					code != null && this.nodes.findByCode(code).isPresent() ? "node.code.taken" : "node.name.taken");
		}
	}

	@Transactional
	public Node rename(CurrentUser user, long id, String rawName) {
		user.require(Permission.EDIT_REGISTRY);
		Node node = node(user, id);
		String name = validName(rawName);
		if (node.parentId() != null) {
			Optional<Node> sibling = this.nodes.findChild(node.parentId(), name);
			if (sibling.isPresent() && sibling.get().id() != id) {
				throw new InvalidInput("name", "node.name.taken");
			}
		}
		this.nodes.rename(id, name);
		this.events.publishEvent(AuditEvent.of(user, "NODE_RENAMED", "node", id, node.name() + " → " + name));
		return this.nodes.findById(id).orElseThrow();
	}

	private NodeSummary summarize(Node node) {
		String pattern = node.path() + "%";
		return new NodeSummary(node, this.nodes.countHouseholds(pattern), this.nodes.countResidents(pattern));
	}

	static String validName(String raw) {
		String name = FullWidth.clean(raw);
		if (name.isEmpty()) {
			throw new InvalidInput("name", "node.name.blank");
		}
		if (name.length() > 100) {
			throw new InvalidInput("name", "node.name.tooLong");
		}
		return name;
	}

}
