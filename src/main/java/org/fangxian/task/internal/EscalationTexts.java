package org.fangxian.task.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.fangxian.notification.Outbox;
import org.fangxian.task.TaskEscalated;
import org.fangxian.workforce.OnDuty;
import org.fangxian.workforce.PostKind;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Texts on escalation (督办): at level 1 the leader of the team holding the nearest post of
 * the task's kind covering its place (a delivery post for a supply request, the hotline
 * for a work order, the patrol for a rectification); at level 2 the leader of the next
 * such post up the tree, the street's. Queued in the escalation's transaction, once per
 * task and level (the outbox's dedupe key).
 */
@Component
class EscalationTexts {

	static final Map<String, PostKind> POSTS = Map.of(SupportState.Type.CODE, PostKind.DELIVERY,
			WorkOrderState.Type.CODE, PostKind.HOTLINE, RectificationState.Type.CODE, PostKind.PATROL);

	static final Map<String, String> NAMES = Map.of(SupportState.Type.CODE, "生活保障需求", WorkOrderState.Type.CODE,
			"12345工单", RectificationState.Type.CODE, "整改");

	private final OnDuty onDuty;

	private final Outbox outbox;

	EscalationTexts(OnDuty onDuty, Outbox outbox) {
		this.onDuty = onDuty;
		this.outbox = outbox;
	}

	@EventListener
	void escalated(TaskEscalated event) {
		PostKind kind = POSTS.get(event.type());
		if (kind == null) {
			return;
		}
		Optional<OnDuty.Leader> leader = this.onDuty.leader(kind, event.path());
		if (event.level() >= 2) {
			// the street: the next post up from the leader's, or from the place
			String from = leader.map(OnDuty.Leader::postPath).orElse(event.path());
			leader = org.fangxian.shared.SubtreePath.parent(from).flatMap(up -> this.onDuty.leader(kind, up));
		}
		String template = event.level() >= 2 ? "sms.task.escalatedStreet" : "sms.task.escalatedLeader";
		leader.ifPresent(to -> this.outbox.queue(new Outbox.Sms(
				"task:escalated:" + event.taskId() + ":" + event.level(), to.phone(), template,
				List.of(NAMES.get(event.type()), String.valueOf(event.taskId()), this.outbox.link(link(event.type()))),
				event.path())));
	}

	static String link(String type) {
		return switch (type) {
			case "SUPPORT" -> "/tasks/deliveries";
			case "WORK_ORDER" -> "/tasks/work-orders?overdue=true";
			default -> "/tasks/rectifications";
		};
	}

}
