package org.fangxian.registry;

import java.util.List;

import org.fangxian.security.CurrentUser;

/**
 * SPI: what another module has to say about a place on the place's page (a seal in force,
 * say). The modules that know it depend on the registry, so the registry asks them
 * through this interface rather than calling them. Texts come in the request's language.
 */
public interface NodeNotes {

	/**
	 * One line on a node's page.
	 *
	 * @param tone {@code bad}, {@code warn} or {@code ok}: the alert's colour
	 * @param href where to read more, or null
	 */
	record Note(String tone, String text, String href, String linkText) {
	}

	/** What to show on {@code node}'s page to {@code user}; empty when nothing. */
	List<Note> about(CurrentUser user, Node node);

}
