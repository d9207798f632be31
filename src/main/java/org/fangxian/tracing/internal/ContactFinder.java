package org.fangxian.tracing.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fangxian.checkpoint.Direction;
import org.fangxian.checkpoint.Passages;
import org.fangxian.screening.DoorVisits;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.shared.PersonNames;
import org.fangxian.testing.SamplingRecords;
import org.fangxian.tracing.Candidate.Reason;
import org.fangxian.tracing.ReasonKind;

import org.springframework.stereotype.Component;

/**
 * Finds the people the records put near a person in a time window, with every reason and
 * its evidence. It asks the modules that own the records (registry, testing, checkpoint,
 * containment) through their published queries and decides nothing: the tracer does.
 */
@Component
public class ContactFinder {

	/**
	 * Times in reasons, in the zone of the application's one Clock (China Standard Time
	 * by default).
	 */
	private final DateTimeFormatter time;

	private final ResidentDirectory directory;

	private final SamplingRecords sampling;

	private final Passages passages;

	private final DoorVisits doors;

	private final TracingRules rules;

	ContactFinder(ResidentDirectory directory, SamplingRecords sampling, Passages passages, DoorVisits doors,
			TracingRules rules, java.time.Clock clock) {
		this.time = DateTimeFormatter.ofPattern("M月d日 HH:mm").withZone(clock.getZone());
		this.directory = directory;
		this.sampling = sampling;
		this.passages = passages;
		this.doors = doors;
		this.rules = rules;
	}

	/**
	 * A non-resident found in the records: a visitor registered at the gate, a worker at
	 * the door.
	 */
	public record Outsider(String key, String name, String phoneMasked, Reason reason) {
	}

	/**
	 * What was found: residents by id with their reasons (in order found), and
	 * non-residents.
	 */
	public record Found(Map<Long, List<Reason>> residents, List<Outsider> outsiders) {
	}

	public Found find(long subjectId, Long householdId, Instant from, Instant to) {
		Map<Long, List<Reason>> found = new LinkedHashMap<>();
		List<Outsider> outsiders = new ArrayList<>();
		if (householdId != null) {
			for (ResidentDirectory.ResidentSnapshot member : this.directory.householdMembers(householdId)) {
				add(found, member.id(), new Reason(ReasonKind.HOUSEHOLD, "同住一户", null));
			}
		}
		for (SamplingRecords.TubeMate mate : this.sampling.tubeMates(subjectId, from, to)) {
			add(found, mate.residentId(), new Reason(ReasonKind.SAME_TUBE, "同一混管 " + mate.barcode(), mate.sampledAt()));
		}
		List<Passages.Passage> own = this.passages.of(subjectId, from, to);
		Set<String> plates = new LinkedHashSet<>();
		for (Passages.Passage passage : own) {
			if (passage.plate() != null) {
				plates.add(passage.plate());
			}
			Instant start = passage.at().minus(this.rules.gateWindow());
			Instant end = passage.at().plus(this.rules.gateWindow());
			for (Passages.Passage other : this.passages.at(passage.checkpointId(), start, end)) {
				long minutes = Math.abs(java.time.Duration.between(passage.at(), other.at()).toMinutes());
				add(found, other.residentId(),
						new Reason(ReasonKind.GATE_WINDOW, passage.checkpoint() + " " + way(other.direction()) + "，相差 "
								+ minutes + " 分钟（病例 " + this.time.format(passage.at()) + "）", other.at()));
			}
			for (Passages.Visitor visitor : this.passages.visitorsAt(passage.checkpointId(), start, end)) {
				outsiders.add(new Outsider("visit-" + visitor.visitId(), PersonNames.mask(visitor.name()),
						visitor.phoneMasked(),
						new Reason(ReasonKind.GATE_WINDOW,
								passage.checkpoint() + " 登记" + ("DELIVERY".equals(visitor.kind()) ? "配送" : "访客"),
								visitor.at())));
			}
		}
		for (SamplingRecords.SamplingNeighbour neighbour : this.sampling.samplingNeighbours(subjectId, from, to,
				this.rules.samplingWindow())) {
			add(found, neighbour.residentId(),
					new Reason(ReasonKind.SAMPLING_WINDOW, "同一采样点 " + neighbour.point(), neighbour.sampledAt()));
		}
		for (ResidentDirectory.Neighbour neighbour : this.directory.neighbours(subjectId)) {
			add(found, neighbour.residentId(),
					new Reason(ReasonKind.SAME_UNIT, neighbour.sameUnit() ? "同单元（楼组）" : "同楼栋", null));
		}
		if (householdId != null) {
			for (DoorVisits.DoorVisit visit : this.doors.answeredAt(householdId, from, to)) {
				outsiders.add(new Outsider("door-" + visit.attemptId(), PersonNames.mask(visit.visitor()), null,
						new Reason(ReasonKind.DOOR_VISIT, "入户排查 " + visit.campaign(), visit.at())));
			}
		}
		if (!plates.isEmpty()) {
			List<Passages.RoadCheck> checks = this.passages.roadChecks(plates, from, to);
			for (Passages.Passage rider : this.passages.withPlates(plates, from, to)) {
				String evidence = checks.stream()
					.filter(c -> c.plate().equals(rider.plate()))
					.map(c -> "，道路卡点 " + c.checkpoint() + " " + this.time.format(c.at()))
					.findFirst()
					.orElse("");
				add(found, rider.residentId(),
						new Reason(ReasonKind.ROAD_CHECK, "同车 " + rider.plate() + evidence, rider.at()));
			}
		}
		found.remove(subjectId);
		return new Found(found, outsiders);
	}

	private static String way(Direction direction) {
		return direction == Direction.OUT ? "出" : direction == Direction.IN ? "进" : "";
	}

	/**
	 * One reason of a kind per person and detail: the same tube seen twice is one reason.
	 */
	private static void add(Map<Long, List<Reason>> found, long residentId, Reason reason) {
		List<Reason> reasons = found.computeIfAbsent(residentId, id -> new ArrayList<>());
		if (reasons.stream().noneMatch(r -> r.kind() == reason.kind() && r.detail().equals(reason.detail()))) {
			reasons.add(reason);
		}
	}

}
