package org.fangxian.checkpoint.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import org.fangxian.checkpoint.internal.FamilyLinks;
import org.fangxian.security.CurrentUser;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The family's page behind its link (public: the signed token is the only key) and the
 * worker's button that texts the link to the household.
 */
@Controller
class FamilyLinkPages {

	private final FamilyLinks links;

	private final MessageSource messages;

	private final org.springframework.beans.factory.ObjectProvider<org.fangxian.shared.ResidentSupportLink> supportLinks;

	FamilyLinkPages(FamilyLinks links, MessageSource messages,
			org.springframework.beans.factory.ObjectProvider<org.fangxian.shared.ResidentSupportLink> supportLinks) {
		this.supportLinks = supportLinks;
		this.links = links;
		this.messages = messages;
	}

	/**
	 * Every member's QR card on one phone. A link that is malformed, forged, expired or
	 * names a household with nobody left answers the same polite 404, so the page never
	 * tells whether a household exists.
	 */
	@GetMapping("/f/{token}")
	String family(@PathVariable String token, Model model, HttpServletResponse response) {
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("X-Robots-Tag", "noindex");
		FamilyLinks.FamilyPage page = this.links.open(token).orElse(null);
		if (page == null) {
			response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		}
		model.addAttribute("family", page);
		model.addAttribute("token", token);
		// each member's own supply-request page (生活保障), when the task module is there
		java.util.Map<Long, String> support = new java.util.HashMap<>();
		if (page != null) {
			this.supportLinks.ifAvailable(links -> page.members()
				.forEach(m -> support.put(m.residentId(), links.forResident(m.residentId()))));
		}
		model.addAttribute("supportLinks", support);
		return "checkpoint/family";
	}

	/**
	 * A member's QR: only for a resident who still lives in the link's household;
	 * anything else is 404.
	 */
	@GetMapping(path = "/f/{token}/{residentId}.png", produces = MediaType.IMAGE_PNG_VALUE)
	ResponseEntity<byte[]> memberQr(@PathVariable String token, @PathVariable String residentId) throws IOException {
		if (!residentId.matches("\\d{1,18}")) {
			return ResponseEntity.notFound().build();
		}
		var pass = this.links.memberPass(token, Long.parseLong(residentId));
		if (pass.isEmpty()) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.IMAGE_PNG)
			.body(CheckpointPages.qrPng(pass.get().qr()));
	}

	@PostMapping("/households/{householdId}/family-link")
	String send(CurrentUser user, @PathVariable long householdId, RedirectAttributes redirect) {
		FamilyLinks.Link link = this.links.send(user, householdId);
		// Nothing queued: sent already today, or no adult phone on record; the worker can
		// still pass the link on.
		redirect.addFlashAttribute("notice",
				link.textsQueued() > 0 ? text("family.sms.queued", link.textsQueued()) : text("family.sms.none"));
		redirect.addFlashAttribute("familyLink", link.url());
		return "redirect:/households/" + householdId + "/passes";
	}

	/** The worker's button: every link of the household sent so far stops working. */
	@PostMapping("/households/{householdId}/family-link/revoke")
	String revoke(CurrentUser user, @PathVariable long householdId, RedirectAttributes redirect) {
		this.links.revoke(user, householdId);
		redirect.addFlashAttribute("notice", text("family.revoked"));
		return "redirect:/households/" + householdId + "/passes";
	}

	private String text(String key, Object... args) {
		return this.messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
	}

}
