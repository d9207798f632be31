package org.fangxian.tracing.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.registry.ResidentDirectory;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.IdNumber;
import org.fangxian.shared.IdNumberCheck;
import org.fangxian.shared.InvalidInput;
import org.fangxian.tracing.CaseKind;
import org.fangxian.tracing.ContactCategory;
import org.fangxian.tracing.FoundBy;
import org.fangxian.tracing.internal.CaseBook;
import org.fangxian.tracing.internal.CaseRecord;
import org.fangxian.tracing.internal.TracingRules;
import org.fangxian.tracing.internal.TracingWork;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The tracer's pages: cases, a case with its candidates and contacts, contacts of a
 * contact, the chain graph.
 */
@Controller
class TracingPages {

	/**
	 * The application's one Clock: its zone (China Standard Time by default) reads the
	 * times typed into forms.
	 */
	private final java.time.Clock clock;

	private final CaseBook cases;

	private final TracingWork work;

	private final TracingRules rules;

	private final ResidentDirectory directory;

	private final DivisionTree tree;

	private final MessageSource messages;

	private final JsonMapper json;

	TracingPages(CaseBook cases, TracingWork work, TracingRules rules, ResidentDirectory directory, DivisionTree tree,
			MessageSource messages, java.time.Clock clock) {
		this.clock = clock;
		this.cases = cases;
		this.work = work;
		this.rules = rules;
		this.directory = directory;
		this.tree = tree;
		this.messages = messages;
		this.json = JsonMapper.shared();
	}

	private String text(String key, Object... args) {
		return this.messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
	}

	private String attempt(Model model, Supplier<String> action, Supplier<String> form) {
		try {
			return action.get();
		}
		catch (InvalidInput ex) {
			model.addAttribute("error", text(ex.messageKey(), ex.args()));
			model.addAttribute("errorField", ex.field());
			return form.get();
		}
	}

	@GetMapping("/tracing")
	String list(CurrentUser user, Model model) {
		model.addAttribute("cases", this.cases.list(user, false));
		return "tracing/cases";
	}

	@GetMapping("/tracing/cases/new")
	String newCase(CurrentUser user, @RequestParam(required = false) Long resident, Model model) {
		user.require(Permission.MANAGE_TRACING);
		if (resident != null) {
			ResidentDirectory.ResidentSnapshot person = this.directory.byId(resident)
				.orElseThrow(() -> new org.fangxian.shared.NotFound("tracing.case.unknownResident"));
			user.requireCovers(person.path());
			model.addAttribute("person", person);
		}
		model.addAttribute("kinds", CaseKind.values());
		model.addAttribute("foundBys", FoundBy.values());
		model.addAttribute("now", LocalDateTime.now(this.clock).withSecond(0).withNano(0));
		return "tracing/case-new";
	}

	private Instant local(LocalDateTime time) {
		return time == null ? null : time.atZone(this.clock.getZone()).toInstant();
	}

	@PostMapping("/tracing/cases")
	String open(CurrentUser user, @RequestParam(required = false) Long residentId,
			@RequestParam(required = false) String idNumber, @RequestParam(required = false) String kind,
			@RequestParam(required = false) String foundBy, @RequestParam(required = false) LocalDateTime reportedAt,
			@RequestParam(required = false) LocalDateTime onsetAt, @RequestParam(required = false) String note,
			Model model) {
		return attempt(model, () -> {
			Long resident = residentId;
			if (resident == null) {
				IdNumberCheck check = IdNumber.check(idNumber, LocalDate.now(this.clock));
				if (!check.valid()) {
					throw new InvalidInput("idNumber", check.reason());
				}
				resident = this.directory.byIdNumber(check.normalized())
					.filter(p -> user.covers(p.path()))
					.map(ResidentDirectory.ResidentSnapshot::id)
					.orElseThrow(() -> new InvalidInput("idNumber", "tracing.case.unknownResident"));
			}
			long id = this.cases.open(user,
					new CaseBook.NewCase(resident, kind, foundBy, local(reportedAt), local(onsetAt), note));
			return "redirect:/tracing/cases/" + id;
		}, () -> newCase(user, residentId, model));
	}

	@GetMapping("/tracing/cases/{id}")
	String view(CurrentUser user, @PathVariable long id, Model model) {
		CaseBook.CaseView view = this.cases.view(user, id);
		model.addAttribute("c", view);
		TracingWork.Candidates candidates = this.work.candidates(user, id);
		model.addAttribute("candidates", candidates.candidates());
		model.addAttribute("outside", candidates.outside());
		TracingWork.Contacts decided = this.work.contacts(user, id);
		List<TracingWork.Contact> contacts = decided.contacts();
		model.addAttribute("contacts", contacts.stream().filter(c -> c.category() != null).toList());
		model.addAttribute("contactsOutside", decided.outside());
		model.addAttribute("toQuarantine",
				contacts.stream()
					.filter(c -> c.residentId() != null && c.quarantinedAt() == null && c.category() != null
							&& c.category() != ContactCategory.NONE)
					.count());
		model.addAttribute("categories", ContactCategory.values());
		model.addAttribute("rules", this.rules);
		model.addAttribute("sealTargets", sealTargets(user, view.record()));
		model.addAttribute("today", LocalDate.now(this.clock));
		return "tracing/case";
	}

	/**
	 * What to propose sealing: the case's unit (楼组) and its building, those of the user's
	 * jurisdiction (none when the person has since moved out of it).
	 */
	record SealTarget(long nodeId, String name, String kind) {
	}

	private List<SealTarget> sealTargets(CurrentUser user, CaseRecord record) {
		List<SealTarget> targets = new ArrayList<>();
		this.directory.byId(record.residentId()).filter(person -> user.covers(person.path())).ifPresent(person -> {
			Node node = this.tree.node(user, person.nodeId());
			if (node.kind() == NodeKind.UNIT) {
				targets.add(new SealTarget(node.id(), node.name(), "UNIT"));
				if (node.parentId() != null
						&& org.fangxian.shared.SubtreePath.parent(node.path()).filter(user::covers).isPresent()) {
					Node building = this.tree.node(user, node.parentId());
					targets.add(new SealTarget(building.id(), building.name(), "BUILDING"));
				}
			}
			else if (node.kind() == NodeKind.BUILDING) {
				targets.add(new SealTarget(node.id(), node.name(), "BUILDING"));
			}
		});
		return targets;
	}

	@PostMapping("/tracing/cases/{id}/contacts")
	String decide(CurrentUser user, @PathVariable long id, @RequestParam(required = false) Long residentId,
			@RequestParam(required = false) Long contactId, @RequestParam(required = false) String category,
			@RequestParam(required = false) String reason, @RequestParam(required = false) Long viaContactId,
			Model model) {
		return attempt(model, () -> {
			this.work.decide(user, id,
					new TracingWork.Decision(residentId, contactId, category, reason, viaContactId, null));
			return viaContactId != null ? "redirect:/tracing/cases/" + id + "/contacts/" + viaContactId + "/candidates"
					: "redirect:/tracing/cases/" + id + "#contacts";
		}, () -> view(user, id, model));
	}

	@PostMapping("/tracing/cases/{id}/manual")
	String addManual(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String name,
			@RequestParam(required = false) String phone, @RequestParam(required = false) String idNumber,
			@RequestParam(required = false) String category, @RequestParam(required = false) String reason,
			Model model) {
		return attempt(model, () -> {
			this.work.addManual(user, id, new TracingWork.ManualPerson(name, phone, idNumber, category, reason, null));
			return "redirect:/tracing/cases/" + id + "#candidates";
		}, () -> view(user, id, model));
	}

	@PostMapping("/tracing/cases/{id}/quarantine")
	String quarantine(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String kind,
			Model model) {
		return attempt(model, () -> {
			int started = this.work.quarantine(user, id, kind);
			return "redirect:/tracing/cases/" + id + "?started=" + started + "#contacts";
		}, () -> view(user, id, model));
	}

	@PostMapping("/tracing/cases/{id}/transfer")
	String transfer(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String to,
			@RequestParam(required = false) LocalDateTime at, Model model) {
		return attempt(model, () -> {
			this.cases.transfer(user, id, to, local(at));
			return "redirect:/tracing/cases/" + id;
		}, () -> view(user, id, model));
	}

	@PostMapping("/tracing/cases/{id}/discharge")
	String discharge(CurrentUser user, @PathVariable long id, @RequestParam(required = false) LocalDateTime at,
			Model model) {
		return attempt(model, () -> {
			this.cases.discharge(user, id, local(at));
			return "redirect:/tracing/cases/" + id;
		}, () -> view(user, id, model));
	}

	@PostMapping("/tracing/cases/{id}/contacts/{contactId}/reveal")
	String reveal(CurrentUser user, @PathVariable long id, @PathVariable long contactId, Model model) {
		model.addAttribute("revealed", this.work.reveal(user, id, contactId));
		model.addAttribute("caseId", id);
		return "tracing/revealed";
	}

	@GetMapping("/tracing/cases/{id}/contacts/{contactId}/candidates")
	String candidatesOfContact(CurrentUser user, @PathVariable long id, @PathVariable long contactId, Model model) {
		CaseBook.CaseView view = this.cases.view(user, id);
		model.addAttribute("c", view);
		TracingWork.Contact contact = this.work.contacts(user, id)
			.contacts()
			.stream()
			.filter(x -> x.id() == contactId)
			.findFirst()
			.orElseThrow(() -> new org.fangxian.shared.NotFound("tracing.contact.notFound"));
		model.addAttribute("contact", contact);
		TracingWork.Candidates candidates = this.work.candidatesOfContact(user, id, contactId);
		model.addAttribute("candidates", candidates.candidates());
		model.addAttribute("outside", candidates.outside());
		return "tracing/contact-candidates";
	}

	@GetMapping("/tracing/cases/{id}/contacts.xlsx")
	ResponseEntity<byte[]> export(CurrentUser user, @PathVariable long id,
			@RequestParam(defaultValue = "false") boolean unmasked) {
		byte[] file = this.work.export(user, id, unmasked, key -> text(key));
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename("流调名单-病例" + id + ".xlsx", java.nio.charset.StandardCharsets.UTF_8)
						.build()
						.toString())
			.body(file);
	}

	@GetMapping("/tracing/chain")
	String chain(CurrentUser user, Model model) {
		TracingWork.Graph graph = this.work.chain(user);
		model.addAttribute("graph", graph);
		model.addAttribute("graphJson", this.json.writeValueAsString(graph));
		return "tracing/chain";
	}

}
