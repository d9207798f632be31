package org.fangxian.task.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fangxian.notification.Outbox;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.workforce.OnDuty;
import org.fangxian.workforce.PostKind;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Nothing dropped at shift end (交接班): a supply request held by a volunteer whose shift
 * has ended, not yet delivered, goes to whoever is on duty at a delivery post covering
 * the place (the nearest post, the one holding fewest open tasks); with nobody there it
 * goes back to the queue (NEW) and the post team's leader gets a text. A request taken
 * after the shift ended (the volunteer chose to) is left with them.
 */
@Component
public class ShiftHandover {

	static final List<String> HELD = List.of(SupportState.ASSIGNED.name(), SupportState.BOUGHT.name());

	private final TaskBook tasks;

	private final OnDuty onDuty;

	private final Outbox outbox;

	private final Clock clock;

	private final TransactionTemplate transactions;

	ShiftHandover(TaskBook tasks, OnDuty onDuty, Outbox outbox, Clock clock, PlatformTransactionManager transactions) {
		this.transactions = new TransactionTemplate(transactions);
		this.tasks = tasks;
		this.onDuty = onDuty;
		this.outbox = outbox;
		this.clock = clock;
	}

	/** What one run did. */
	public record Handed(int reassigned, int returned) {
	}

	@Scheduled(fixedDelayString = "${fangxian.tasks.handover-ms:60000}", initialDelay = 50_000)
	public Handed run() {
		return handOver(this.clock.instant());
	}

	public Handed handOver(Instant now) {
		int reassigned = 0;
		int returned = 0;
		for (TaskRecord task : this.tasks.held(SupportState.Type.CODE, HELD)) {
			Optional<Instant> off = this.onDuty.offDutySince(task.assigneeId(), now);
			if (off.isEmpty() || this.tasks.updatedAt(task.id()).isAfter(off.get())) {
				continue;
			}
			List<OnDuty.Person> there = this.onDuty.at(PostKind.DELIVERY, task.path(), now)
				.stream()
				.filter(p -> p.accountId() != null && !p.accountId().equals(task.assigneeId()))
				.toList();
			try {
				// each request in its own transaction: one moved meanwhile spoils no
				// other
				boolean moved = Boolean.TRUE
					.equals(this.transactions.execute(status -> handOver(task, there, off.get())));
				if (moved) {
					reassigned++;
				}
				else {
					returned++;
				}
			}
			catch (TransitionNotAllowed ex) {
				// moved meanwhile (delivered, taken): nothing to hand over
			}
		}
		return new Handed(reassigned, returned);
	}

	/** Hands one request over; true when someone on duty took it, false when queued. */
	private boolean handOver(TaskRecord task, List<OnDuty.Person> there, Instant off) {
		TaskBook.Actor system = new TaskBook.Actor(null, "system");
		if (!there.isEmpty()) {
			String nearest = there.get(0).postPath();
			List<Long> candidates = there.stream()
				.filter(p -> p.postPath().equals(nearest))
				.map(OnDuty.Person::accountId)
				.distinct()
				.toList();
			Map<Long, Integer> load = this.tasks.load(candidates);
			long next = candidates.stream().min(Comparator.comparingInt(a -> load.getOrDefault(a, 0))).orElseThrow();
			this.tasks.reassign(system, task, next, "交接班：原配送人已下班");
			return true;
		}
		this.tasks.returnToQueue(system, task, "交接班：原配送人已下班，配送点无人在岗");
		this.onDuty.leader(PostKind.DELIVERY, task.path())
			.ifPresent(leader -> this.outbox
				.queue(new Outbox.Sms("task:handover:" + task.id() + ":" + off.getEpochSecond(), leader.phone(),
						"sms.task.handoverUnassigned", List.of(String.valueOf(task.id())), task.path())));
		return false;
	}

}
