package org.fangxian.registry.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Establishments;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeKind;
import org.fangxian.registry.NodeNotes;
import org.fangxian.registry.NodeSummary;
import org.fangxian.registry.Relation;
import org.fangxian.registry.ResidentService;
import org.fangxian.registry.ResidentStatus;
import org.fangxian.registry.ResidentTag;
import org.fangxian.registry.ResidentView;
import org.fangxian.registry.internal.DivisionCatalog;
import org.fangxian.registry.internal.Households;
import org.fangxian.registry.internal.ImportReport;
import org.fangxian.registry.internal.RosterField;
import org.fangxian.registry.internal.RosterImport;
import org.fangxian.registry.internal.RosterSheet;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.shared.IdType;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.RoomOrder;
import org.fangxian.shared.web.PageMessages;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

/** Server-rendered pages of the registry: tree, residents, roster import. */
@Controller
class RegistryPages {

	private final DivisionTree tree;

	private final DivisionCatalog catalog;

	private final ResidentService residents;

	private final RosterImport rosterImport;

	private final RosterUploads uploads;

	private final Households households;

	private final PageMessages pages;

	private final Establishments establishments;

	private final List<NodeNotes> notes;

	RegistryPages(DivisionTree tree, DivisionCatalog catalog, ResidentService residents, RosterImport rosterImport,
			RosterUploads uploads, Households households, PageMessages pages, Establishments establishments,
			List<NodeNotes> notes) {
		this.notes = notes;
		this.establishments = establishments;
		this.tree = tree;
		this.catalog = catalog;
		this.residents = residents;
		this.rosterImport = rosterImport;
		this.uploads = uploads;
		this.households = households;
		// The resident form has many fields: a refused one is named before its sentence.
		this.pages = pages.labelled();
	}

	/**
	 * The top of the user's jurisdiction; where each role lands is platform.Landing's.
	 */
	@GetMapping("/nodes")
	String home(CurrentUser user, Model model) {
		List<Node> tops = this.tree.tops(user);
		if (tops.size() == 1) {
			return "redirect:/nodes/" + tops.get(0).id();
		}
		model.addAttribute("tops", tops.stream().map(n -> this.tree.summary(user, n.id())).toList());
		return "registry/home";
	}

	@GetMapping("/nodes/{id}")
	String node(CurrentUser user, @PathVariable long id, Model model) {
		NodeSummary summary = this.tree.summary(user, id);
		model.addAttribute("summary", summary);
		model.addAttribute("trail", this.tree.trail(user, summary.node()));
		// What other modules say about this place (a seal in force), through NodeNotes.
		model.addAttribute("notes", this.notes.stream().flatMap(n -> n.about(user, summary.node()).stream()).toList());
		model.addAttribute("children", this.tree.children(user, id));
		model.addAttribute("childKind", summary.node().kind().childKind().orElse(null));
		model.addAttribute("households",
				summary.node().kind().ordinal() >= NodeKind.COMPOUND.ordinal() ? this.households.atNode(id)
					.stream()
					.sorted(java.util.Comparator.comparing(Households.Household::room, RoomOrder.ROOMS))
					.toList() : List.of());
		boolean holdsEstablishments = summary.node().kind() == NodeKind.COMMUNITY
				|| summary.node().kind() == NodeKind.COMPOUND;
		model.addAttribute("holdsEstablishments", holdsEstablishments);
		model.addAttribute("establishments", holdsEstablishments ? this.establishments.at(user, id) : List.of());
		return "registry/node";
	}

	@PostMapping("/nodes/{id}/establishments")
	String addEstablishment(CurrentUser user, @PathVariable long id,
			@ModelAttribute Establishments.NewEstablishment form, Model model) {
		return this.pages.submit(model, () -> {
			this.establishments.add(user, id, form);
			return "redirect:/nodes/" + id;
		}, () -> node(user, id, model));
	}

	@PostMapping("/nodes/{id}/children")
	String addChild(CurrentUser user, @PathVariable long id, @RequestParam String name,
			@RequestParam(required = false) String code, Model model) {
		return this.pages.submit(model, () -> "redirect:/nodes/" + this.tree.addChild(user, id, name, code).id(),
				() -> node(user, id, model));
	}

	@PostMapping("/nodes/{id}/rename")
	String rename(CurrentUser user, @PathVariable long id, @RequestParam String name, Model model) {
		return this.pages.submit(model, () -> {
			this.tree.rename(user, id, name);
			return "redirect:/nodes/" + id;
		}, () -> node(user, id, model));
	}

	@GetMapping("/divisions")
	String divisions(CurrentUser user) {
		user.require(Permission.IMPORT_DIVISIONS);
		return "registry/divisions";
	}

	@PostMapping("/divisions")
	String loadDivisions(CurrentUser user, @RequestParam String code, Model model) {
		return this.pages.submit(model, () -> {
			model.addAttribute("loaded", this.catalog.load(user, code));
			return "registry/divisions";
		}, () -> "registry/divisions");
	}

	/** A building in the residents list's filter, named with its compound. */
	record BuildingChoice(long id, String label) {
	}

	@GetMapping("/residents")
	String residents(CurrentUser user, @RequestParam(required = false) Long node,
			@RequestParam(required = false) String q, @RequestParam(required = false) String status,
			@RequestParam(required = false) String tag, @RequestParam(required = false) Long after, Model model) {
		Node scope = node == null ? null : this.tree.node(user, node);
		ResidentService.Filters filters = new ResidentService.Filters(status, tag);
		model.addAttribute("scope", scope);
		model.addAttribute("q", q);
		model.addAttribute("status", filters.status());
		model.addAttribute("tag", filters.tag());
		model.addAttribute("tags", ResidentTag.values());
		model.addAttribute("page", this.residents.search(user, node, q, filters, after, 30, true));
		// The building filter lists the buildings of the community or compound being
		// looked at (for a building or unit: of its community).
		Node base = scope;
		String scopeLabel = scope == null ? null : scope.name();
		if (scope != null && scope.kind().ordinal() > NodeKind.COMPOUND.ordinal()) {
			List<Node> trail = this.tree.trail(user, scope);
			base = trail.stream().filter(n -> n.kind() == NodeKind.COMMUNITY).findFirst().orElse(scope);
			scopeLabel = String.join(" ",
					trail.stream()
						.filter(n -> n.kind().ordinal() >= NodeKind.COMMUNITY.ordinal())
						.map(Node::name)
						.toList());
		}
		List<BuildingChoice> buildings = List.of();
		if (base != null && base.kind().ordinal() >= NodeKind.COMMUNITY.ordinal()
				&& base.kind().ordinal() <= NodeKind.COMPOUND.ordinal()) {
			Map<Long, String> compounds = new HashMap<>();
			this.tree.within(user, base.id(), NodeKind.COMPOUND).forEach(c -> compounds.put(c.id(), c.name()));
			buildings = this.tree.within(user, base.id(), NodeKind.BUILDING)
				.stream()
				.map(b -> new BuildingChoice(b.id(),
						compounds.containsKey(b.parentId()) ? compounds.get(b.parentId()) + " " + b.name() : b.name()))
				.sorted(java.util.Comparator.comparing(BuildingChoice::label, RoomOrder.ROOMS))
				.toList();
		}
		model.addAttribute("base", base);
		model.addAttribute("scopeLabel", scopeLabel);
		model.addAttribute("buildings", buildings);
		return "registry/residents";
	}

	@GetMapping("/residents/{id}")
	String resident(CurrentUser user, @PathVariable long id, Model model) {
		model.addAttribute("r", this.residents.view(user, id));
		return "registry/resident";
	}

	@PostMapping("/residents/{id}/reveal")
	String reveal(CurrentUser user, @PathVariable long id, Model model) {
		model.addAttribute("r", this.residents.reveal(user, id));
		return "registry/resident";
	}

	@ModelAttribute
	void choices(Model model) {
		model.addAttribute("idTypes", IdType.values());
		model.addAttribute("relations", Relation.values());
		model.addAttribute("statuses", ResidentStatus.values());
	}

	@GetMapping("/residents/new")
	String newResident(CurrentUser user, @RequestParam long node, Model model) {
		user.require(Permission.EDIT_RESIDENTS);
		Node place = this.tree.node(user, node);
		model.addAttribute("form", new ResidentService.ResidentForm("", "RESIDENT_ID", "", "", place.id(), "", "HEAD",
				"", "RESIDENT", ""));
		model.addAttribute("place", place.name());
		return "registry/resident-form";
	}

	@PostMapping("/residents/new")
	String createResident(CurrentUser user, @ModelAttribute("form") ResidentService.ResidentForm form, Model model) {
		return this.pages.submit(model, () -> "redirect:/residents/" + this.residents.create(user, form),
				() -> residentFormAgain(user, form, model));
	}

	@GetMapping("/residents/{id}/edit")
	String editResident(CurrentUser user, @PathVariable long id, Model model) {
		user.require(Permission.EDIT_RESIDENTS);
		// Editing starts from the full record: the form must not write the masked number
		// back.
		ResidentView r = this.residents.revealForEdit(user, id);
		String room = r.householdId() == null ? ""
				: this.households.findById(r.householdId()).map(Households.Household::room).orElse("");
		model.addAttribute("id", id);
		model.addAttribute("form", new ResidentService.ResidentForm(r.name(), r.idType(), r.idNumber(), r.phone(),
				r.nodeId(), room, r.relation().name(), String.join("、", r.tags()), r.status().name(), r.note()));
		model.addAttribute("place", this.tree.node(user, r.nodeId()).name());
		return "registry/resident-form";
	}

	@PostMapping("/residents/{id}/edit")
	String updateResident(CurrentUser user, @PathVariable long id,
			@ModelAttribute("form") ResidentService.ResidentForm form, Model model) {
		return this.pages.submit(model, () -> {
			this.residents.update(user, id, form);
			return "redirect:/residents/" + id;
		}, () -> {
			model.addAttribute("id", id);
			return residentFormAgain(user, form, model);
		});
	}

	/** The resident form once more, with what was typed and its place. */
	private String residentFormAgain(CurrentUser user, ResidentService.ResidentForm form, Model model) {
		model.addAttribute("place", form.nodeId() == null ? "" : this.tree.node(user, form.nodeId()).name());
		return "registry/resident-form";
	}

	@GetMapping("/imports/new")
	String newImport(CurrentUser user, @RequestParam(required = false) Long community, Model model) {
		user.require(Permission.IMPORT_RESIDENTS);
		List<Node> communities = this.tree.tops(user)
			.stream()
			.flatMap(top -> top.kind() == NodeKind.COMMUNITY ? java.util.stream.Stream.of(top)
					: this.tree.within(user, top.id(), NodeKind.COMMUNITY).stream())
			.toList();
		model.addAttribute("communities", communities);
		model.addAttribute("selected", community);
		return "registry/import-new";
	}

	@PostMapping("/imports")
	String upload(CurrentUser user, @RequestParam long community, @RequestParam MultipartFile file, Model model)
			throws IOException {
		Node target = this.rosterImport.community(user, community);
		if (file.isEmpty()) {
			this.pages.rejected(model, new InvalidInput("file", "import.file.missing"));
			return newImport(user, community, model);
		}
		UUID id = this.uploads.store(user, target.id(), file.getOriginalFilename(), file.getBytes());
		return "redirect:/imports/" + id;
	}

	@GetMapping("/imports/{id}")
	String preview(CurrentUser user, @PathVariable UUID id, Model model) {
		return preview(user, id, Map.of(), model);
	}

	private String preview(CurrentUser user, UUID id, Map<String, RosterField> overrides, Model model) {
		RosterUploads.Upload upload = this.uploads.find(user, id);
		Node community = this.rosterImport.community(user, upload.communityId());
		RosterSheet[] sheet = new RosterSheet[1];
		model.addAttribute("uploadId", id);
		model.addAttribute("filename", upload.filename());
		model.addAttribute("community", community);
		model.addAttribute("fields", Arrays.stream(RosterField.values()).filter(f -> f != RosterField.SEQ).toList());
		return this.pages.submit(model, () -> {
			ImportReport report = this.rosterImport.run(user, community, new ByteArrayInputStream(upload.content()),
					upload.filename(), overrides, true, RosterImport.ALL_NEW_PLACES, s -> sheet[0] = s);
			model.addAttribute("report", report);
			model.addAttribute("headers", sheet[0].headers());
			model.addAttribute("headerRow", sheet[0].headerRowNumber());
			Map<Integer, String> mapping = new HashMap<>();
			sheet[0].mapping().forEach((column, field) -> mapping.put(column, field.name()));
			model.addAttribute("mapping", mapping);
			return "registry/import-preview";
		}, () -> newImport(user, community.id(), model));
	}

	/**
	 * A column's field as the preview's select sends it; anything else is bad input, not
	 * a 500.
	 */
	private static RosterField mappedField(String value) {
		if (value.isBlank()) {
			return RosterField.SEQ;
		}
		try {
			return RosterField.valueOf(value.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("map", "import.mapping.unknownField");
		}
	}

	@PostMapping("/imports/{id}")
	String commit(CurrentUser user, @PathVariable UUID id, @RequestParam Map<String, String> params,
			@RequestParam(defaultValue = "commit") String action,
			@RequestParam(name = "newPlace", required = false) List<String> newPlaces, Model model) {
		Map<String, RosterField> overrides = new HashMap<>();
		params.forEach((key, value) -> {
			if (key.startsWith("map[") && key.endsWith("]")) {
				overrides.put(key.substring(4, key.length() - 1), mappedField(value));
			}
		});
		if (!"commit".equals(action)) {
			return preview(user, id, overrides, model);
		}
		RosterUploads.Upload upload = this.uploads.find(user, id);
		Node community = this.rosterImport.community(user, upload.communityId());
		// Only the new compounds and buildings the user ticked on the preview are
		// created.
		Set<String> confirmed = (newPlaces == null) ? Set.of() : Set.copyOf(newPlaces);
		ImportReport report = this.rosterImport.run(user, community, new ByteArrayInputStream(upload.content()),
				upload.filename(), overrides, false, confirmed::contains, sheet -> {
				});
		this.uploads.delete(id);
		model.addAttribute("report", report);
		model.addAttribute("filename", upload.filename());
		model.addAttribute("community", community);
		return "registry/import-report";
	}

}
