package org.fangxian.stock.web;

import java.util.List;

import org.fangxian.security.CurrentUser;
import org.fangxian.stock.Shortage;
import org.fangxian.stock.internal.Stores;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * JSON API of protective stock: stores, movements in and out, thresholds, stock-takes.
 */
@RestController
@RequestMapping("/api/v1/stores")
class StockApi {

	private final Stores stores;

	private final MessageSource messages;

	StockApi(Stores stores, MessageSource messages) {
		this.stores = stores;
		this.messages = messages;
	}

	record Balance(long balance) {
	}

	record StoreView(long id, String name, String kind, String path, List<Stores.Balance> balances,
			List<Stores.Movement> ledger) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Stores.Created create(CurrentUser user, @RequestBody(required = false) Stores.NewStore body) {
		return this.stores.create(user, body);
	}

	@GetMapping
	List<Stores.StoreSummary> list(CurrentUser user, @RequestParam(required = false) String code) {
		return this.stores.within(user, this.stores.placeOf(user, code));
	}

	@GetMapping("/{id}")
	StoreView store(CurrentUser user, @PathVariable long id) {
		Stores.Store store = this.stores.get(user, id);
		return new StoreView(store.id(), store.name(), store.kind(), store.path(), this.stores.balances(user, id),
				this.stores.ledger(user, id, 200));
	}

	@PostMapping("/{id}/movements")
	@ResponseStatus(HttpStatus.CREATED)
	Balance move(CurrentUser user, @PathVariable long id, @RequestBody(required = false) Stores.NewMovement body) {
		return new Balance(this.stores.move(user, id, body).balance());
	}

	@PostMapping("/{id}/thresholds")
	ResponseEntity<Void> threshold(CurrentUser user, @PathVariable long id,
			@RequestBody(required = false) Stores.NewThreshold body) {
		this.stores.threshold(user, id, body);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/stocktakes")
	@ResponseStatus(HttpStatus.CREATED)
	Stores.Take take(CurrentUser user, @PathVariable long id, @RequestBody(required = false) Stores.NewTake body) {
		return this.stores.take(user, id, body);
	}

	/** Not enough in the store: 409, and the transaction wrote nothing. */
	@ExceptionHandler(Shortage.class)
	ResponseEntity<ProblemDetail> shortage(Shortage ex) {
		String text = this.messages.getMessage("stock.shortage",
				new Object[] { ex.item(), ex.balance(), ex.requested() }, "stock.shortage",
				LocaleContextHolder.getLocale());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, text);
		problem.setProperty("code", "stock.shortage");
		problem.setProperty("errors",
				List.of(java.util.Map.of("field", "quantity", "code", "stock.shortage", "message", text)));
		problem.setProperty("balance", ex.balance());
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

}
