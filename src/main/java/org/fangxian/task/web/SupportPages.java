package org.fangxian.task.web;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;

import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.NotFound;
import org.fangxian.task.TransitionNotAllowed;
import org.fangxian.task.internal.SupportRequests;
import org.fangxian.task.internal.TaskRecord;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Pages of supply requests: the volunteer's delivery list (phone first: take, bought,
 * delivered with a photo or a signature note, failed with a reason), a worker filing on a
 * resident's behalf, and the resident's own page behind their signed link.
 */
@Controller
class SupportPages {

	private final SupportRequests requests;

	SupportPages(SupportRequests requests) {
		this.requests = requests;
	}

	static final List<String> KINDS = List.of("MEDICINE", "GROCERIES", "INFANT", "GAS", "MEDICAL", "OTHER");

	@GetMapping("/tasks/deliveries")
	String deliveries(CurrentUser user, @RequestParam(required = false) Long resident, Model model) {
		user.require(Permission.HANDLE_TASKS);
		// From a resident's page: the form names the person instead of asking for a
		// number.
		if (resident != null) {
			model.addAttribute("onBehalf", this.requests.onBehalfOf(user, resident).orElse(null));
		}
		List<SupportRequests.Request> open = this.requests.list(user, false, true);
		model.addAttribute("mine", open.stream().filter(r -> user.accountId() == orZero(r.assigneeId())).toList());
		model.addAttribute("waiting", open.stream().filter(r -> r.state().equals("NEW")).toList());
		model.addAttribute("others",
				open.stream()
					.filter(r -> !r.state().equals("NEW") && user.accountId() != orZero(r.assigneeId()))
					.toList());
		model.addAttribute("kinds", KINDS);
		model.addAttribute("fileOnBehalf", user.can(Permission.VIEW_RESIDENTS));
		return "task/deliveries";
	}

	private static long orZero(Long id) {
		return id == null ? 0 : id;
	}

	@PostMapping("/tasks/support")
	String file(CurrentUser user, @RequestParam(required = false) Long residentId,
			@RequestParam(required = false) String kind, @RequestParam(required = false) String detail,
			RedirectAttributes redirect) {
		try {
			TaskRecord task = this.requests.file(user, new SupportRequests.NewRequest(residentId, kind, detail));
			redirect.addFlashAttribute("filed", task.id());
			redirect.addFlashAttribute("residentLink", this.requests.residentLink(task.subjectId()));
		}
		catch (InvalidInput ex) {
			redirect.addFlashAttribute("error", ex.messageKey());
		}
		catch (NotFound ex) {
			redirect.addFlashAttribute("error", ex.messageKey());
		}
		return "redirect:/tasks/deliveries";
	}

	@PostMapping("/tasks/support/{id}/move")
	String move(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String to,
			@RequestParam(required = false) String note, @RequestParam(required = false) BigDecimal moneyReceived,
			@RequestParam(required = false) MultipartFile photo, RedirectAttributes redirect) throws IOException {
		try {
			if (photo != null && !photo.isEmpty()) {
				this.requests.addPhoto(user, id, photo.getBytes());
			}
			this.requests.transition(user, id, new SupportRequests.Transition(to, note, null, moneyReceived));
			redirect.addFlashAttribute("moved", to);
		}
		catch (InvalidInput ex) {
			redirect.addFlashAttribute("error", ex.messageKey());
		}
		catch (TransitionNotAllowed ex) {
			redirect.addFlashAttribute("error", "task.transition.taken");
		}
		return "redirect:/tasks/deliveries";
	}

	// ---------------------------------------------------------------- the resident's
	// phone, without an account

	@GetMapping("/s/{token}")
	String resident(@PathVariable String token, Model model) {
		Long resident = this.requests.residentOf(token).orElse(null);
		model.addAttribute("valid", resident != null);
		model.addAttribute("token", token);
		model.addAttribute("kinds", KINDS);
		if (resident != null) {
			model.addAttribute("requests", this.requests.ofResident(resident));
		}
		return "task/resident";
	}

	@PostMapping("/s/{token}")
	String ask(@PathVariable String token, @RequestParam(required = false) String kind,
			@RequestParam(required = false) String detail, RedirectAttributes redirect) {
		Long resident = this.requests.residentOf(token).orElse(null);
		if (resident != null) {
			try {
				this.requests.fileByResident(resident, kind, detail);
				redirect.addFlashAttribute("asked", true);
			}
			catch (InvalidInput ex) {
				redirect.addFlashAttribute("error", ex.messageKey());
			}
		}
		return "redirect:/s/" + token;
	}

	@PostMapping("/s/{token}/{id}/cancel")
	String cancel(@PathVariable String token, @PathVariable long id, RedirectAttributes redirect) {
		Long resident = this.requests.residentOf(token).orElse(null);
		if (resident != null) {
			try {
				this.requests.cancelByResident(resident, id);
			}
			catch (TransitionNotAllowed | NotFound ex) {
				redirect.addFlashAttribute("error", "task.transition.taken");
			}
		}
		return "redirect:/s/" + token;
	}

}
