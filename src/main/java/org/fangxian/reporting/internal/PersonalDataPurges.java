package org.fangxian.reporting.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fangxian.audit.AuditEvent;
import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.ChinaStandardTime;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PersonalDataPurge;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The purge at the end of an emergency (清除个人信息): an HQ administrator deletes, over their
 * jurisdiction, the personal records older than the retention policy
 * ({@code fangxian.retention.personal-data}, default 28 days) through every module's
 * {@link PersonalDataPurge}; the anonymous daily statistics (the dashboard's read models)
 * stay. Audited before it starts, so a purge cut short by a crash is still on record and
 * a rerun completes it.
 */
@Service
public class PersonalDataPurges {

	private final List<PersonalDataPurge> modules;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final Duration keep;

	PersonalDataPurges(List<PersonalDataPurge> modules, ApplicationEventPublisher events, Clock clock,
			@Value("${fangxian.retention.personal-data:28d}") Duration keep) {
		this.modules = modules;
		this.events = events;
		this.clock = clock;
		this.keep = keep;
	}

	/**
	 * What a purge deleted: the cut-off (a midnight in China) and rows per module and
	 * table.
	 */
	public record Result(Instant before, Map<String, Map<String, Long>> deleted) {
	}

	/**
	 * The latest cut-off the policy allows: the midnight that starts the day {@code keep}
	 * ago.
	 */
	public Instant latestCutOff() {
		LocalDate day = LocalDate.ofInstant(this.clock.instant().minus(this.keep), ChinaStandardTime.ZONE);
		return ChinaStandardTime.startOf(day);
	}

	/**
	 * Purges the subtree of {@code node} before the start of {@code until} (China
	 * Standard Time; null: the policy's cut-off). A cut-off later than the policy's is
	 * refused: recent records are still needed for tracing.
	 */
	public Result purge(CurrentUser user, Node node, LocalDate until) {
		user.require(Permission.PURGE_PERSONAL_DATA);
		user.requireCovers(node.path());
		Instant latest = latestCutOff();
		Instant before = until == null ? latest : ChinaStandardTime.startOf(until);
		if (before.isAfter(latest)) {
			throw new InvalidInput("before", "purge.before.tooRecent",
					LocalDate.ofInstant(latest, ChinaStandardTime.ZONE));
		}
		this.events
			.publishEvent(AuditEvent.of(user, "PERSONAL_DATA_PURGED", "division_node", node.id(), "before " + before));
		Map<String, Map<String, Long>> deleted = new LinkedHashMap<>();
		for (PersonalDataPurge module : this.modules) {
			deleted.put(module.module(), module.purge(before, node.path(), node.subtreeEnd()));
		}
		return new Result(before, deleted);
	}

}
