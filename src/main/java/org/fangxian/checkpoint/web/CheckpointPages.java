package org.fangxian.checkpoint.web;

import java.io.IOException;

import org.fangxian.checkpoint.Checkpoint;
import org.fangxian.checkpoint.Checkpoints;
import org.fangxian.checkpoint.Passes;
import org.fangxian.checkpoint.internal.GateCounters;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.QrCode;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** The guard's scan page, checkpoint set-up, and residents' pass cards. */
@Controller
class CheckpointPages {

	private final Checkpoints checkpoints;

	private final Passes passes;

	private final GateCounters counters;

	private final MessageSource messages;

	private final org.fangxian.registry.ResidentService residents;

	private final org.fangxian.registry.DivisionTree tree;

	private final org.fangxian.registry.ResidentDirectory directory;

	private final java.time.Clock clock;

	CheckpointPages(Checkpoints checkpoints, Passes passes, GateCounters counters, MessageSource messages,
			org.fangxian.registry.ResidentService residents, org.fangxian.registry.DivisionTree tree,
			org.fangxian.registry.ResidentDirectory directory, java.time.Clock clock) {
		this.directory = directory;
		this.clock = clock;
		this.residents = residents;
		this.tree = tree;
		this.checkpoints = checkpoints;
		this.passes = passes;
		this.counters = counters;
		this.messages = messages;
	}

	@GetMapping("/checkpoints")
	String list(CurrentUser user, Model model) {
		model.addAttribute("checkpoints", this.checkpoints.list(user));
		if (user.can(org.fangxian.security.Permission.MANAGE_CHECKPOINTS)) {
			// Where a checkpoint may stand: gates at communities and compounds, road
			// posts at districts and streets.
			java.util.List<org.fangxian.registry.Node> places = new java.util.ArrayList<>();
			for (org.fangxian.registry.Node top : this.tree.tops(user)) {
				for (var kind : java.util.List.of(org.fangxian.registry.NodeKind.DISTRICT,
						org.fangxian.registry.NodeKind.STREET, org.fangxian.registry.NodeKind.COMMUNITY,
						org.fangxian.registry.NodeKind.COMPOUND)) {
					places.addAll(this.tree.within(user, top.id(), kind));
				}
			}
			places.sort(java.util.Comparator.comparing(org.fangxian.registry.Node::path));
			model.addAttribute("places", places.size() > 3000 ? places.subList(0, 3000) : places);
			model.addAttribute("alerts", this.counters.openAlerts(user));
		}
		return "checkpoint/list";
	}

	@PostMapping("/checkpoints")
	String create(CurrentUser user, @ModelAttribute Checkpoints.NewCheckpoint form, Model model) {
		try {
			Checkpoint created = this.checkpoints.create(user, form);
			// A road post is worked from the road page; the gate page's in/out counters
			// mean
			// nothing there.
			return "redirect:/checkpoints/" + created.id() + (created.road() ? "/road" : "/scan");
		}
		catch (InvalidInput ex) {
			model.addAttribute("error", this.messages.getMessage(ex.messageKey(), ex.args(), ex.messageKey(),
					LocaleContextHolder.getLocale()));
			return list(user, model);
		}
	}

	@PostMapping("/checkpoint-alerts/{id}/acknowledge")
	String acknowledge(CurrentUser user, @PathVariable long id) {
		this.counters.acknowledge(user, id);
		return "redirect:/checkpoints";
	}

	@GetMapping("/checkpoints/{id}/scan")
	String scan(CurrentUser user, @PathVariable long id, Model model) {
		user.require(org.fangxian.security.Permission.SCAN_AT_CHECKPOINT);
		model.addAttribute("checkpoint", this.checkpoints.get(user, id));
		model.addAttribute("counts", this.counters.today(user, id));
		return "checkpoint/scan";
	}

	/** A printable sheet of pass cards for a building or unit: eight per A4 page. */
	@GetMapping("/nodes/{nodeId}/pass-cards")
	String passCards(CurrentUser user, @PathVariable long nodeId, Model model) {
		user.require(org.fangxian.security.Permission.MANAGE_CHECKPOINTS);
		java.util.List<Long> ids = new java.util.ArrayList<>();
		Long after = null;
		do {
			var page = this.residents.search(user, nodeId, null, after, 100);
			for (var r : page.residents()) {
				if (r.status().present() && ids.size() < MAX_CARDS) {
					ids.add(r.id());
				}
			}
			after = page.nextAfter();
		}
		while (after != null && ids.size() < MAX_CARDS);
		java.util.List<PassCard> cards = new java.util.ArrayList<>();
		for (var who : this.directory.identities(ids)) {
			cards.add(new PassCard(who.id(), who.name(), who.address(),
					expiresOn(this.passes.currentUnlessRevoked(user, who.id())), who.place(), who.room()));
		}
		// Building and unit, then the door by floor and number (101, 102, 1001), the way
		// the
		// cards are handed out.
		cards.sort(java.util.Comparator.comparing(PassCard::place, org.fangxian.shared.RoomOrder.ROOMS)
			.thenComparing(PassCard::room, org.fangxian.shared.RoomOrder.ROOMS)
			.thenComparing(PassCard::residentId));
		model.addAttribute("cards", cards);
		model.addAttribute("truncated", cards.size() >= MAX_CARDS);
		return "checkpoint/pass-cards";
	}

	/**
	 * A household's passes on one phone screen or one sheet: a family keeps its members'
	 * cards together, yet each member is still decided on at the gate (one of them may be
	 * in quarantine).
	 */
	@GetMapping("/households/{householdId}/passes")
	String householdPasses(CurrentUser user, @PathVariable long householdId, Model model) {
		user.require(org.fangxian.security.Permission.MANAGE_CHECKPOINTS);
		var members = this.directory.household(householdId);
		if (members.isEmpty()) {
			throw new org.fangxian.shared.NotFound("resident.notFound");
		}
		members.forEach(member -> user.requireCovers(member.path()));
		java.util.List<PassCard> cards = new java.util.ArrayList<>();
		for (var member : members) {
			cards.add(new PassCard(member.id(), member.name(), null,
					expiresOn(this.passes.currentUnlessRevoked(user, member.id())), null, null));
		}
		model.addAttribute("cards", cards);
		model.addAttribute("truncated", false);
		model.addAttribute("household", true);
		model.addAttribute("householdId", householdId);
		return "checkpoint/pass-cards";
	}

	static final int MAX_CARDS = 400;

	/**
	 * A card of a sheet; {@code expiresOn} is null for a member whose pass was revoked
	 * (no QR printed).
	 */
	record PassCard(long residentId, String name, String address, java.time.LocalDate expiresOn, String place,
			String room) {
	}

	/**
	 * Sheets never undo a revocation: a revoked member's card says so instead of carrying
	 * a new QR.
	 */
	private java.time.LocalDate expiresOn(java.util.Optional<Passes.Pass> pass) {
		return pass.map(p -> java.time.LocalDate.ofInstant(p.expiresAt(), this.clock.getZone())).orElse(null);
	}

	@GetMapping("/residents/{residentId}/pass")
	String passCard(CurrentUser user, @PathVariable long residentId, Model model) {
		Passes.Pass pass = this.passes.current(user, residentId);
		model.addAttribute("pass", pass);
		model.addAttribute("expiresOn", java.time.LocalDate.ofInstant(pass.expiresAt(), this.clock.getZone()));
		model.addAttribute("residentId", residentId);
		model.addAttribute("name", this.directory.byId(residentId).map(r -> r.name()).orElse(""));
		return "checkpoint/pass";
	}

	/** The pass as a PNG QR code: for a phone screen or a printed card. */
	@GetMapping(path = "/residents/{residentId}/pass.png", produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> passImage(CurrentUser user, @PathVariable long residentId) throws IOException {
		// The image is fetched by card sheets too: it shows a live pass but never
		// replaces a revoked one.
		var pass = this.passes.currentUnlessRevoked(user, residentId);
		if (pass.isEmpty()) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.IMAGE_PNG)
			.body(qrPng(pass.get().qr()));
	}

	/**
	 * A pass's QR as a PNG, for every page that shows one (the worker's and the family
	 * link's).
	 */
	static byte[] qrPng(String qr) throws IOException {
		return QrCode.png(qr);
	}

}
