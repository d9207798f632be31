package org.fangxian.seal.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.fangxian.registry.Node;
import org.fangxian.registry.NodeNotes;
import org.fangxian.seal.Seals;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.web.PageMessages;

import org.springframework.stereotype.Component;

/**
 * A sealed node's page shows its seal: level, since when, until when, and a link to the
 * seal; a place inside a sealed area says so too (issue 13).
 */
@Component
class SealNotes implements NodeNotes {

	private final Seals seals;

	private final PageMessages pages;

	private final Clock clock;

	private final DateTimeFormatter when;

	SealNotes(Seals seals, PageMessages pages, Clock clock) {
		this.seals = seals;
		this.pages = pages;
		this.clock = clock;
		this.when = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(clock.getZone());
	}

	@Override
	public List<Note> about(CurrentUser user, Node node) {
		Instant now = this.clock.instant();
		return this.seals.over(user, node.path()).stream().map(seal -> {
			String level = this.pages.text("seal.level." + seal.level());
			boolean here = seal.nodeId() == node.id();
			String text = here
					? this.pages.text("seal.note.here", level, this.when.format(seal.startsAt()),
							this.when.format(seal.plannedEndAt()))
					: this.pages.text("seal.note.above", seal.area().isEmpty() ? "—" : seal.area(), level,
							this.when.format(seal.startsAt()), this.when.format(seal.plannedEndAt()));
			if (seal.overdue(now)) {
				text = text + " " + this.pages.text("seal.note.overdue");
			}
			boolean visible = user.covers(seal.path());
			return new Note(seal.level() == Seals.Level.SEALED ? "bad" : "warn", text,
					visible ? "/containment/seals/" + seal.id() : null,
					visible ? this.pages.text("seal.note.link") : null);
		}).toList();
	}

}
