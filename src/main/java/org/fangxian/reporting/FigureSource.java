package org.fangxian.reporting;

import java.time.LocalDate;
import java.util.Map;

import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;

/**
 * A module's own figures on the dashboard and in the daily report (tracing: new cases and
 * contacts; workforce: volunteers on duty; tasks: overdue work orders...). Implement it
 * as a bean in the owning module, with the SQL there, reading a read model kept up to
 * date as records are written: it is asked once for the node and once for each child (up
 * to ~25 calls for a district), so each call should be a few milliseconds. Labels come
 * from the message key {@code figure.<section>.<key>} in the module's bundle.
 */
public interface FigureSource {

	/** The section's key in the dashboard JSON and the report, e.g. {@code "tracing"}. */
	String section();

	/**
	 * The figures of the subtree at {@code node} for {@code day} in China Standard Time,
	 * in display order. The caller covers the node; a source may still refuse with the
	 * usual exceptions.
	 */
	Map<String, Long> figures(CurrentUser user, Node node, LocalDate day);

	/**
	 * The page listing what a figure counts (every figure on the dashboard links to its
	 * list); by default the module's page {@code /<section>}.
	 */
	default String link(String key) {
		return "/" + section();
	}

}
