package org.fangxian.task.internal;

import java.time.Instant;

import org.fangxian.task.TaskType;
import org.fangxian.task.Urgency;

/**
 * A task as stored, and the one way its state moves: {@link #moveTo}, which asks the
 * task's type first and refuses (changing nothing) a move it does not allow.
 */
public record TaskRecord(long id, String type, long nodeId, String path, String subjectKind, long subjectId,
		String state, Urgency urgency, Long assigneeId, Instant dueAt, int escalationLevel, Long createdBy,
		Instant createdAt, Instant closedAt, int version) {

	public boolean overdue(Instant now) {
		return this.closedAt == null && this.dueAt.isBefore(now);
	}

	/**
	 * The task in state {@code to}, held by {@code assignee} (or its assignee so far).
	 * @throws org.fangxian.task.TransitionNotAllowed when the type does not allow it
	 */
	public TaskRecord moveTo(TaskType kind, String to, Long assignee, Instant at) {
		if (!kind.code().equals(this.type)) {
			throw new IllegalArgumentException("task " + this.id + " is a " + this.type);
		}
		kind.check(this.state, to);
		boolean open = kind.isOpen(to);
		return new TaskRecord(this.id, this.type, this.nodeId, this.path, this.subjectKind, this.subjectId, to,
				this.urgency, assignee != null ? assignee : this.assigneeId, this.dueAt, this.escalationLevel,
				this.createdBy, this.createdAt, open ? null : at, this.version + 1);
	}

}
