package org.fangxian.reporting.internal;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fangxian.quarantine.ContainmentFigures;
import org.fangxian.registry.Node;
import org.fangxian.reporting.FigureSource;
import org.fangxian.returnee.Returnees;
import org.fangxian.screening.ScreeningFigures;
import org.fangxian.security.CurrentUser;
import org.fangxian.testing.TestingFigures;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The work still open in the subtree (待办): returnees' reports to decide, door-to-door
 * progress, lab follow-ups to acknowledge, quarantine releases due; each figure as its
 * owning module publishes it, each linking to the list where the work is done.
 */
@Component
@Order(20)
class WorkFigures implements FigureSource {

	private final ContainmentFigures containment;

	private final TestingFigures testing;

	private final Returnees returnees;

	private final ScreeningFigures screening;

	WorkFigures(ContainmentFigures containment, TestingFigures testing, Returnees returnees,
			ScreeningFigures screening) {
		this.containment = containment;
		this.testing = testing;
		this.returnees = returnees;
		this.screening = screening;
	}

	@Override
	public String section() {
		return "work";
	}

	@Override
	public Map<String, Long> figures(CurrentUser user, Node node, LocalDate day) {
		Map<String, Long> figures = new LinkedHashMap<>();
		figures.put("returneesPending", this.returnees.returneesPending(user, node, day));
		ScreeningFigures.DoorToDoor doors = this.screening.doorToDoor(user, node, day);
		figures.put("doorsVisited", doors.visited());
		figures.put("doors", doors.doors());
		figures.put("followUpsOpen", this.testing.openFollowUps(user, node, day));
		figures.put("releasesDue", this.containment.releasesDue(user, node, day));
		return figures;
	}

	@Override
	public String link(String key) {
		return switch (key) {
			case "returneesPending" -> "/returnees";
			case "doorsVisited", "doors" -> "/screening";
			case "followUpsOpen" -> "/testing/followups";
			default -> "/containment";
		};
	}

}
