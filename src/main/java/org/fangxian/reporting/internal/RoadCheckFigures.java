package org.fangxian.reporting.internal;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.fangxian.checkpoint.GateFigures;
import org.fangxian.registry.Node;
import org.fangxian.reporting.FigureSource;
import org.fangxian.security.CurrentUser;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Road checks by decision (卡口核验: 放行, 补做核酸, 引导分流, 劝返: the road page's words), as
 * checkpoint publishes them. A source here rather than in checkpoint: reporting already
 * depends on checkpoint, so checkpoint cannot implement reporting's SPI without a cycle.
 */
@Component
@Order(10)
class RoadCheckFigures implements FigureSource {

	private final GateFigures gates;

	RoadCheckFigures(GateFigures gates) {
		this.gates = gates;
	}

	@Override
	public String section() {
		return "roadChecks";
	}

	@Override
	public Map<String, Long> figures(CurrentUser user, Node node, LocalDate day) {
		Map<String, Long> figures = new LinkedHashMap<>();
		this.gates.roadChecks(user, node, day)
			.forEach((decision, n) -> figures.put(decision.toLowerCase(Locale.ROOT), n));
		return figures;
	}

	@Override
	public String link(String key) {
		return "/checkpoints";
	}

}
