package org.fangxian.task;

/**
 * A task passed its deadline and was escalated (督办): level 1 to the team leader, level 2
 * to the street. Published in the escalation's transaction for whoever alerts people.
 *
 * @param path the task's place, so a listener tells only who covers it
 */
public record TaskEscalated(long taskId, String type, String path, int level) {
}
