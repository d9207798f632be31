package org.fangxian.checkpoint;

import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Setting up checkpoints, and finding the ones a user may work at. */
@Service
public class Checkpoints {

	private static final String SELECT = "select id, node_id, path, name, opening_hours, posts, kind, district_id from checkpoint ";

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final ApplicationEventPublisher events;

	/**
	 * Checkpoints by id for the gate's hot path (issue 17): a checkpoint row is written
	 * once and never changed (nothing updates or deletes one), so a cached row cannot go
	 * stale; the caller's jurisdiction is still checked on every call. Null when switched
	 * off ({@code fangxian.checkpoint.cache=false}, for A/B benchmarks).
	 */
	private final Cache<Long, Checkpoint> byId;

	Checkpoints(JdbcClient jdbc, DivisionTree tree, ApplicationEventPublisher events,
			@Value("${fangxian.checkpoint.cache:true}") boolean cache) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.events = events;
		this.byId = cache ? Caffeine.newBuilder().maximumSize(50_000).build() : null;
	}

	/** What a form sends to set up a checkpoint. */
	public record NewCheckpoint(Long nodeId, String name, String openingHours, Integer posts, String kind) {

		public NewCheckpoint(Long nodeId, String name, String openingHours, Integer posts) {
			this(nodeId, name, openingHours, posts, null);
		}

	}

	@Transactional
	public Checkpoint create(CurrentUser user, NewCheckpoint form) {
		user.require(Permission.MANAGE_CHECKPOINTS);
		if (form.nodeId() == null) {
			throw new InvalidInput("nodeId", "checkpoint.node.required");
		}
		Node node = this.tree.node(user, form.nodeId());
		boolean road = "ROAD".equalsIgnoreCase(form.kind());
		if (!road && node.kind() != NodeKind.COMMUNITY && node.kind() != NodeKind.COMPOUND) {
			throw new InvalidInput("nodeId", "checkpoint.node.level");
		}
		if (road && node.kind() != NodeKind.DISTRICT && node.kind() != NodeKind.STREET) {
			throw new InvalidInput("nodeId", "checkpoint.node.roadLevel");
		}
		String name = FullWidth.clean(form.name());
		if (name.isEmpty() || name.length() > 100) {
			throw new InvalidInput("name", name.isEmpty() ? "node.name.blank" : "node.name.tooLong");
		}
		int posts = form.posts() == null ? 1 : form.posts();
		if (posts < 1 || posts > 50) {
			throw new InvalidInput("posts", "checkpoint.posts.range");
		}
		try {
			Checkpoint created = this.jdbc
				.sql("""
						insert into checkpoint (node_id, name, opening_hours, posts, kind) values (:node, :name, :hours, :posts, :kind)
						returning id, node_id, path, name, opening_hours, posts, kind, district_id""")
				.param("node", node.id())
				.param("name", name)
				.param("hours",
						FullWidth.clean(form.openingHours()).isEmpty() ? null : FullWidth.clean(form.openingHours()))
				.param("posts", posts)
				.param("kind", road ? "ROAD" : "GATE")
				.query(Checkpoint.class)
				.single();
			this.events.publishEvent(AuditEvent.of(user, "CHECKPOINT_CREATED", "checkpoint", created.id(), name));
			return created;
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInput("name", "node.name.taken");
		}
	}

	/** Checkpoints inside the user's jurisdiction. */
	public List<Checkpoint> list(CurrentUser user) {
		return this.jdbc.sql(SELECT + "where path like :scope order by path, name")
			.param("scope", user.scopePattern())
			.query(Checkpoint.class)
			.list();
	}

	/** A checkpoint the user may see. */
	public Checkpoint get(CurrentUser user, long id) {
		Checkpoint checkpoint = this.byId == null ? null : this.byId.getIfPresent(id);
		if (checkpoint == null) {
			checkpoint = this.jdbc.sql(SELECT + "where id = :id")
				.param("id", id)
				.query(Checkpoint.class)
				.optional()
				.orElseThrow(() -> new NotFound("checkpoint.notFound"));
			if (this.byId != null) {
				this.byId.put(id, checkpoint);
			}
		}
		user.requireCovers(checkpoint.path());
		return checkpoint;
	}

}
