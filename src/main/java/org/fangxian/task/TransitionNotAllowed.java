package org.fangxian.task;

/**
 * A state change the task's type does not allow from where it is, or that somebody else
 * made first: answered 409 ({@code task.transition.notAllowed}) and nothing changes.
 */
public class TransitionNotAllowed extends RuntimeException {

	private final String from;

	private final String to;

	public TransitionNotAllowed(String from, String to) {
		super("transition " + from + " → " + to + " not allowed");
		this.from = from;
		this.to = to;
	}

	public String from() {
		return this.from;
	}

	public String to() {
		return this.to;
	}

}
