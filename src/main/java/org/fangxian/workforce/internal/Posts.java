package org.fangxian.workforce.internal;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.workforce.PostKind;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Posts (岗位) at a node with their daily shifts (班次): the seats a roster fills. */
@Service
public class Posts {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final ApplicationEventPublisher events;

	private final Kits kits;

	Posts(JdbcClient jdbc, DivisionTree tree, ApplicationEventPublisher events, Kits kits) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.events = events;
		this.kits = kits;
	}

	public record NewShift(String start, String end, Integer headcount, List<String> skills) {
	}

	/**
	 * A post to set up; {@code kit} is what each person takes per shift (may be empty).
	 */
	public record NewPost(Long nodeId, String name, String kind, Long teamId, List<NewShift> shifts,
			List<Kits.KitItem> kit) {

		public NewPost(Long nodeId, String name, String kind, Long teamId, List<NewShift> shifts) {
			this(nodeId, name, kind, teamId, shifts, List.of());
		}

	}

	public record Shift(long id, int seq, LocalTime starts, LocalTime ends, int headcount, List<String> skills) {
	}

	public record Post(long id, long nodeId, String path, String name, PostKind kind, Long teamId, String qrToken,
			List<Shift> shifts) {
	}

	public record Created(long id) {
	}

	@Transactional
	public Created create(CurrentUser user, NewPost body) {
		user.require(Permission.MANAGE_WORKFORCE);
		if (body == null || body.nodeId() == null) {
			throw new InvalidInput("nodeId", "workforce.post.node");
		}
		Node node = this.tree.node(user, body.nodeId());
		String name = body.name() == null ? "" : body.name().strip();
		if (name.isEmpty() || name.length() > 100) {
			throw new InvalidInput("name", "workforce.post.name");
		}
		PostKind kind = PostKind.parse(body.kind()).orElseThrow(() -> new InvalidInput("kind", "workforce.post.kind"));
		if (body.shifts() == null || body.shifts().isEmpty() || body.shifts().size() > 24) {
			throw new InvalidInput("shifts", "workforce.post.shifts");
		}
		List<Shift> shifts = new java.util.ArrayList<>();
		for (int i = 0; i < body.shifts().size(); i++) {
			NewShift s = body.shifts().get(i);
			String field = "shifts[" + i + "]";
			if (s == null) {
				throw new InvalidInput(field, "workforce.post.shifts");
			}
			LocalTime starts = time(s.start(), field + ".start");
			LocalTime ends = time(s.end(), field + ".end");
			if (starts.equals(ends)) {
				throw new InvalidInput(field + ".end", "workforce.post.sameTimes");
			}
			if (s.headcount() == null || s.headcount() < 1 || s.headcount() > 500) {
				throw new InvalidInput(field + ".headcount", "workforce.post.headcount");
			}
			LinkedHashSet<String> skills = new LinkedHashSet<>();
			for (String skill : s.skills() == null ? List.<String>of() : s.skills()) {
				if (skill == null || skill.isBlank() || skill.strip().length() > 20) {
					throw new InvalidInput(field + ".skills", "workforce.post.skill");
				}
				skills.add(skill.strip());
			}
			shifts.add(new Shift(0, i + 1, starts, ends, s.headcount(), List.copyOf(skills)));
		}
		List<Kits.KitItem> kit = this.kits.validate(body.kit());
		if (body.teamId() != null) {
			String teamPath = this.jdbc.sql("select path from volunteer_team where id = :id")
				.param("id", body.teamId())
				.query(String.class)
				.optional()
				.orElseThrow(() -> new InvalidInput("teamId", "workforce.team.notFound"));
			user.requireCovers(teamPath);
		}
		byte[] token = new byte[15];
		RANDOM.nextBytes(token);
		long id = this.jdbc.sql("""
				insert into duty_post (node_id, path, name, kind, team_id, qr_token, created_by)
				values (:node, :path, :name, :kind, :team, :token, :by) returning id""")
			.param("node", node.id())
			.param("path", node.path())
			.param("name", name)
			.param("kind", kind.name())
			.param("team", body.teamId())
			.param("token", Base64.getUrlEncoder().withoutPadding().encodeToString(token))
			.param("by", user.accountId())
			.query(Long.class)
			.single();
		for (Shift s : shifts) {
			this.jdbc.sql("""
					insert into duty_shift (post_id, seq, starts, ends, headcount, skills)
					values (:post, :seq, :starts, :ends, :headcount, :skills)""")
				.param("post", id)
				.param("seq", s.seq())
				.param("starts", s.starts())
				.param("ends", s.ends())
				.param("headcount", s.headcount())
				.param("skills", s.skills().toArray(String[]::new))
				.update();
		}
		this.kits.save(id, kit);
		this.events.publishEvent(
				AuditEvent.of(user, "DUTY_POST_CREATED", "duty_post", id, kind + ", " + shifts.size() + " shifts"));
		return new Created(id);
	}

	private static LocalTime time(String text, String field) {
		if (text == null || !text.strip().matches("\\d{1,2}:\\d{2}")) {
			throw new InvalidInput(field, "workforce.post.time");
		}
		try {
			String t = text.strip();
			return LocalTime.parse(t.length() == 4 ? "0" + t : t);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInput(field, "workforce.post.time");
		}
	}

	private static final String SELECT = "select id, node_id, path, name, kind, team_id, qr_token from duty_post";

	private Post post(ResultSet rs, int row) throws SQLException {
		long id = rs.getLong("id");
		return new Post(id, rs.getLong("node_id"), rs.getString("path"), rs.getString("name"),
				PostKind.valueOf(rs.getString("kind")), (Long) rs.getObject("team_id", Long.class),
				rs.getString("qr_token"), List.of());
	}

	private Post withShifts(Post post) {
		List<Shift> shifts = this.jdbc.sql("""
				select id, seq, starts, ends, headcount, skills from duty_shift where post_id = :post order by seq""")
			.param("post", post.id())
			.query((rs, n) -> new Shift(rs.getLong("id"), rs.getInt("seq"), rs.getObject("starts", LocalTime.class),
					rs.getObject("ends", LocalTime.class), rs.getInt("headcount"),
					Volunteers.strings(rs.getArray("skills"))))
			.list();
		return new Post(post.id(), post.nodeId(), post.path(), post.name(), post.kind(), post.teamId(), post.qrToken(),
				shifts);
	}

	/** Posts in a node's subtree with their shifts. */
	public List<Post> within(Node node) {
		return this.jdbc.sql(SELECT + " where path like :subtree order by path, name, id")
			.param("subtree", node.path() + "%")
			.query(this::post)
			.list()
			.stream()
			.map(this::withShifts)
			.toList();
	}

	public Post get(CurrentUser user, long id) {
		user.require(Permission.MANAGE_WORKFORCE);
		Post post = this.jdbc.sql(SELECT + " where id = :id")
			.param("id", id)
			.query(this::post)
			.optional()
			.orElseThrow(() -> new NotFound("workforce.post.notFound"));
		user.requireCovers(post.path());
		return withShifts(post);
	}

	public List<Post> list(CurrentUser user, Node node) {
		user.require(Permission.MANAGE_WORKFORCE);
		return within(node);
	}

	/**
	 * The post a printed code names, without any account: the code is the credential of
	 * the place.
	 */
	public java.util.Optional<Post> byQrToken(String token) {
		return this.jdbc.sql(SELECT + " where qr_token = :token")
			.param("token", token)
			.query(this::post)
			.optional()
			.map(this::withShifts);
	}

}
