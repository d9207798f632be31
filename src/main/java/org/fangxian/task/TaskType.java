package org.fangxian.task;

import java.time.Duration;

/**
 * A kind of task (SPI): its states, the moves allowed between them and its deadline rule.
 * The engine stores the state as the name and asks the type before every move, so a
 * type's rules live in one place and are unit-tested without Spring.
 */
public interface TaskType {

	/** The type's code in the {@code task.type} column, e.g. {@code SUPPORT}. */
	String code();

	/** The state a new task starts in. */
	String initialState();

	/** Whether {@code to} may follow {@code from}; a skipped or backward step may not. */
	boolean allows(String from, String to);

	/** Whether a task in this state still needs doing (and may become overdue). */
	boolean isOpen(String state);

	/** How long a task of this urgency may take from its creation. */
	Duration deadline(Urgency urgency);

	/**
	 * Refuses a move the type does not allow, changing nothing.
	 * @throws TransitionNotAllowed when {@link #allows} says no
	 */
	default void check(String from, String to) {
		if (!allows(from, to)) {
			throw new TransitionNotAllowed(from, to);
		}
	}

}
