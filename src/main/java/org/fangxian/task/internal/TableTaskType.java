package org.fangxian.task.internal;

import org.fangxian.task.TaskType;

/**
 * A {@link TaskType} whose moves are one {@link Transitions} table: the engine asks the
 * table, so a type only names its code, its first state and its deadlines.
 */
abstract class TableTaskType<S extends Enum<S>> implements TaskType {

	private final String code;

	private final S initial;

	private final Transitions<S> moves;

	TableTaskType(String code, S initial, Transitions<S> moves) {
		this.code = code;
		this.initial = initial;
		this.moves = moves;
	}

	@Override
	public String code() {
		return this.code;
	}

	@Override
	public String initialState() {
		return this.initial.name();
	}

	@Override
	public boolean allows(String from, String to) {
		return this.moves.allows(from, to);
	}

	@Override
	public boolean isOpen(String state) {
		return this.moves.isOpen(state);
	}

}
