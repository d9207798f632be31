package org.fangxian.seal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.fangxian.registry.Node;
import org.fangxian.seal.internal.SealLifecycle;
import org.fangxian.seal.internal.SealRecords;
import org.fangxian.security.CurrentUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sealing (封控) and closed-loop control (管控) of a unit, building, compound or community:
 * start, extend, lift early or unseal (解封), each a timeline event, each announced to the
 * people inside by SMS. A seal stays in force until it is ended by a person: the planned
 * end is a promise, not a timer. The module's facade: the work is done in
 * {@code internal/} ({@code SealLifecycle}, {@code SealRecords}).
 */
@Service
public class Seals {

	/**
	 * 封控: nobody leaves. 管控: leave only for testing or essentials, with the community's
	 * say-so.
	 */
	public enum Level {

		SEALED, CONTROLLED

	}

	/** What is done to a seal, in the order of its timeline. */
	public enum EventKind {

		SEALED, EXTENDED, LIFTED, UNSEALED

	}

	public record NewSeal(Long nodeId, String level, String reason, String order, Instant startsAt,
			Instant plannedEndAt, Integer hours) {
	}

	public record Seal(long id, long nodeId, String path, String area, Level level, String reason, String order,
			Instant startsAt, Instant plannedEndAt, Instant endedAt, long people) {

		public boolean inForce(Instant at) {
			return !this.startsAt.isAfter(at) && (this.endedAt == null || this.endedAt.isAfter(at));
		}

		public boolean overdue(Instant at) {
			return this.endedAt == null && this.plannedEndAt.isBefore(at);
		}

	}

	public record Event(Instant at, EventKind kind, Instant plannedEndAt, String note, int notified, String by) {
	}

	/**
	 * A seal's area and time, nothing about the people in it (for figures and public
	 * notices).
	 */
	public record AreaInForce(long nodeId, String path, Level level, Instant startsAt, Instant plannedEndAt) {
	}

	private final SealLifecycle lifecycle;

	private final SealRecords records;

	Seals(SealLifecycle lifecycle, SealRecords records) {
		this.lifecycle = lifecycle;
		this.records = records;
	}

	@Transactional
	public Seal seal(CurrentUser user, NewSeal form) {
		return this.lifecycle.seal(user, form);
	}

	@Transactional
	public Seal extend(CurrentUser user, long id, Instant plannedEndAt, Integer hours, String note) {
		return this.lifecycle.extend(user, id, plannedEndAt, hours, note);
	}

	/**
	 * Ends the seal now: "lifted" before its planned end, "unsealed" (解封) at or after it.
	 */
	@Transactional
	public Seal end(CurrentUser user, long id, String note) {
		return this.lifecycle.end(user, id, note);
	}

	/**
	 * Seals in force now or starting later, within the user's jurisdiction, oldest first.
	 */
	@Transactional(readOnly = true)
	public List<Seal> open(CurrentUser user) {
		return this.records.open(user);
	}

	/** Seals ended within the last {@code days} days, newest first. */
	@Transactional(readOnly = true)
	public List<Seal> recentlyEnded(CurrentUser user, int days) {
		return this.records.recentlyEnded(user, days);
	}

	/**
	 * Seals in force now over the place at {@code path}: on it or on a node above it, the
	 * innermost first (for the place's page).
	 */
	@Transactional(readOnly = true)
	public List<Seal> over(CurrentUser user, String path) {
		return this.records.over(user, path);
	}

	@Transactional(readOnly = true)
	public Seal get(CurrentUser user, long id) {
		return this.records.get(user, id);
	}

	@Transactional(readOnly = true)
	public List<Event> timeline(CurrentUser user, long id) {
		return this.records.timeline(user, id);
	}

	/**
	 * The strictest seal in force at {@code at} over the place at {@code path} (a
	 * resident's or a household's), for gate decisions; one indexed look-up of the path's
	 * ancestors.
	 */
	public Optional<Level> levelAt(String path, Instant at) {
		return this.records.levelAt(path, at);
	}

	/**
	 * {@link #levelAt} as a scalar subquery for a one-statement read (the gate, issue
	 * 17): SEALED, CONTROLLED or null; {@code :at} is bound by the caller.
	 * @param path SQL expression for the path whose ancestors (itself included) count
	 */
	public static String levelAtSql(String path) {
		return SealRecords.levelAtSql(path);
	}

	/**
	 * Paths of the areas sealed (either level) at {@code at} within the subtree at
	 * {@code path}.
	 */
	public List<String> pathsWithin(String path, Instant at) {
		return this.records.pathsWithin(path, at);
	}

	/**
	 * Seals in force at some moment between {@code from} and {@code to} within the
	 * subtree of {@code node}, ordered by path (an area before the areas inside it).
	 */
	@Transactional(readOnly = true)
	public List<AreaInForce> inForceBetween(CurrentUser user, Node node, Instant from, Instant to) {
		user.requireCovers(node.path());
		return this.records.inForceBetween(node, from, to);
	}

	/** Seals in force now within the subtree of {@code node}, outermost first. */
	@Transactional(readOnly = true)
	public List<AreaInForce> inForceNow(CurrentUser user, Node node) {
		user.requireCovers(node.path());
		return this.records.inForceNow(node);
	}

}
