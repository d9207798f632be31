package org.fangxian.task.internal;

import java.time.Clock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Every minute, escalates the open tasks whose deadline has passed (督办). */
@Component
public class Escalations {

	private final TaskBook tasks;

	private final Clock clock;

	public Escalations(TaskBook tasks, Clock clock) {
		this.tasks = tasks;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${fangxian.tasks.escalation-ms:60000}", initialDelay = 45_000)
	public int run() {
		return this.tasks.escalateDue(this.clock.instant());
	}

}
