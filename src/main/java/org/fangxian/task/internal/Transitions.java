package org.fangxian.task.internal;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A task type's transition table (状态流转表) and the one guard every type shares: a state
 * name is parsed once, a move is allowed only when the table lists it, a state is open
 * while some move leaves it. Supply requests, work orders and rectifications each give
 * their table; none repeats the loop.
 *
 * @param <S> the type's states
 */
final class Transitions<S extends Enum<S>> {

	private final Class<S> states;

	private final Map<S, Set<S>> moves;

	private Transitions(Class<S> states, Map<S, Set<S>> moves) {
		this.states = states;
		this.moves = moves;
	}

	/** Starts a table of {@code states}; add each state's moves with {@link #from}. */
	static <S extends Enum<S>> Transitions<S> of(Class<S> states) {
		return new Transitions<>(states, new EnumMap<>(states));
	}

	/** The moves allowed from {@code state}; a state never named here is final. */
	@SafeVarargs
	final Transitions<S> from(S state, S... to) {
		Set<S> targets = EnumSet.noneOf(this.states);
		targets.addAll(java.util.List.of(to));
		this.moves.put(state, targets);
		return this;
	}

	/** The state named {@code raw} (any case, trimmed), if it is one. */
	Optional<S> parse(String raw) {
		if (raw == null || raw.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(Enum.valueOf(this.states, raw.strip().toUpperCase(Locale.ROOT)));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	boolean allows(S from, S to) {
		return from != null && to != null && this.moves.getOrDefault(from, Set.of()).contains(to);
	}

	/** The guard on names: unknown names on either side are refused. */
	boolean allows(String from, String to) {
		Optional<S> a = parse(from);
		Optional<S> b = parse(to);
		return a.isPresent() && b.isPresent() && allows(a.get(), b.get());
	}

	/** Open while some move leaves the state. */
	boolean isOpen(S state) {
		return state != null && !this.moves.getOrDefault(state, Set.of()).isEmpty();
	}

	boolean isOpen(String state) {
		return parse(state).map(this::isOpen).orElse(false);
	}

}
