package org.fangxian.platform.web;

import java.util.List;

import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.registry.DivisionTree;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Role;
import org.fangxian.testing.TestingFigures;
import org.fangxian.workforce.OnDuty;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Where each role lands after signing in (and at {@code /}): where its work is. A guard
 * at the gate's scan page, a sampler at the open round's sampling page, HQ and street
 * administrators on the dashboard, an enrolled volunteer on their shifts; a fresh
 * installation's administrator is led through the first set-up; everyone else on the
 * registry of their jurisdiction.
 */
@Controller
class Landing {

	private final DivisionTree tree;

	private final Checkpoints checkpoints;

	private final TestingFigures testing;

	private final OnDuty duty;

	Landing(DivisionTree tree, Checkpoints checkpoints, TestingFigures testing, OnDuty duty) {
		this.duty = duty;
		this.tree = tree;
		this.checkpoints = checkpoints;
		this.testing = testing;
	}

	@GetMapping("/")
	String land(CurrentUser user) {
		return switch (user.role()) {
			case CHECKPOINT_GUARD -> guard(user);
			case SAMPLER -> sampler(user);
			case HQ_ADMIN, STREET_ADMIN -> administrator(user);
			case COMMUNITY_WORKER -> user.nodeId() == null ? "forward:/nodes" : "redirect:/today";
			// An enrolled volunteer's work is their shifts; a volunteer account without
			// an enrolment (a helper at a gate or a sampling point) stays on its node.
			case VOLUNTEER -> this.duty.enrolled(user.accountId()) ? "redirect:/workforce/mine" : "forward:/nodes";
			default -> "forward:/nodes";
		};
	}

	/** First-run guidance: the district, then one account, then one checkpoint. */
	@GetMapping("/welcome")
	String welcome(CurrentUser user, org.springframework.ui.Model model) {
		boolean hasTree = !this.tree.tops(user).isEmpty();
		model.addAttribute("hasTree", hasTree);
		model.addAttribute("isHq", user.role() == Role.HQ_ADMIN);
		return "platform/welcome";
	}

	private String guard(CurrentUser user) {
		List<Checkpoint> gates = this.checkpoints.list(user).stream().filter(c -> !c.road()).toList();
		return gates.size() == 1 ? "redirect:/checkpoints/" + gates.get(0).id() + "/scan" : "redirect:/checkpoints";
	}

	private String sampler(CurrentUser user) {
		List<TestingFigures.OpenRound> open = this.testing.openRounds(user);
		// The round opened for the sampler's own node first; else the only open one.
		TestingFigures.OpenRound round = open.stream()
			.filter(r -> user.nodeId() != null && r.nodeId() == user.nodeId())
			.findFirst()
			.orElse(open.size() == 1 ? open.get(0) : null);
		return round != null ? "redirect:/testing/rounds/" + round.id() + "/sampling" : "redirect:/testing";
	}

	private String administrator(CurrentUser user) {
		boolean hasDivision = this.tree.tops(user).stream().anyMatch(n -> n.code() != null);
		if (hasDivision) {
			return "redirect:/dashboard";
		}
		// An installation without official divisions yet: nothing to show on a
		// dashboard, so lead the administrator through the set-up instead.
		return user.nodeId() == null ? "redirect:/welcome" : "forward:/nodes";
	}

}
