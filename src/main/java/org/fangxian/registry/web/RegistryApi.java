package org.fangxian.registry.web;

import java.util.List;

import org.fangxian.registry.DivisionTree;
import org.fangxian.registry.Establishment;
import org.fangxian.registry.Establishments;
import org.fangxian.registry.Node;
import org.fangxian.registry.NodeSummary;
import org.fangxian.registry.internal.DivisionCatalog;
import org.fangxian.security.CurrentUser;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of the jurisdiction tree. */
@RestController
@RequestMapping("/api/v1")
class RegistryApi {

	private final DivisionTree tree;

	private final DivisionCatalog catalog;

	private final Establishments establishments;

	RegistryApi(DivisionTree tree, DivisionCatalog catalog, Establishments establishments) {
		this.tree = tree;
		this.catalog = catalog;
		this.establishments = establishments;
	}

	@GetMapping("/nodes/{id}/establishments")
	List<Establishment> establishments(CurrentUser user, @PathVariable long id) {
		return this.establishments.at(user, id);
	}

	@PostMapping("/nodes/{id}/establishments")
	@ResponseStatus(HttpStatus.CREATED)
	Created addEstablishment(CurrentUser user, @PathVariable long id,
			@RequestBody Establishments.NewEstablishment body) {
		return new Created(this.establishments.add(user, id, body));
	}

	record Created(long id) {
	}

	record NodeDetails(NodeSummary summary, List<NodeSummary> children) {
	}

	record NewNode(String name, String code) {
	}

	record Rename(String name) {
	}

	record DivisionLoad(String code) {
	}

	@GetMapping("/nodes")
	List<Node> tops(CurrentUser user) {
		return this.tree.tops(user);
	}

	@GetMapping("/nodes/{id}")
	NodeDetails node(CurrentUser user, @PathVariable long id) {
		return new NodeDetails(this.tree.summary(user, id), this.tree.children(user, id));
	}

	@GetMapping("/nodes/by-code/{code}")
	Node byCode(CurrentUser user, @PathVariable String code) {
		return this.tree.nodeByCode(user, code);
	}

	@PostMapping("/nodes/{id}/children")
	@ResponseStatus(HttpStatus.CREATED)
	Node addChild(CurrentUser user, @PathVariable long id, @RequestBody NewNode body) {
		return this.tree.addChild(user, id, body.name(), body.code());
	}

	@PatchMapping("/nodes/{id}")
	Node rename(CurrentUser user, @PathVariable long id, @RequestBody Rename body) {
		return this.tree.rename(user, id, body.name());
	}

	@PostMapping("/divisions/imports")
	DivisionCatalog.LoadReport loadDivisions(CurrentUser user, @RequestBody DivisionLoad body) {
		return this.catalog.load(user, body.code());
	}

}
