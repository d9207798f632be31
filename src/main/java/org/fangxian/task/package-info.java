/**
 * The task engine (任务): something to do, for someone, by someone, by a deadline,
 * supervised until closed; states move only along the type's allowed transitions, with
 * who and when, and a task past its deadline is escalated to the team leader, then the
 * street. Supply requests (生活保障) are its first front door.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tasks")
package org.fangxian.task;
