package org.fangxian.stock.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.fangxian.registry.Node;
import org.fangxian.security.CurrentUser;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PersonNames;
import org.fangxian.stock.Shortage;
import org.fangxian.stock.internal.Stores;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The stock pages (物资库存): the stores of a place with their low marks and alerts, and one
 * store's balances, ledger and forms (receive, issue, threshold, stock-take); for the
 * phone and the desktop.
 */
@Controller
class StockPages {

	private final Stores stores;

	private final MessageSource messages;

	StockPages(Stores stores, MessageSource messages) {
		this.stores = stores;
		this.messages = messages;
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
			return form.get();
		}
		catch (Shortage ex) {
			model.addAttribute("error", text("stock.shortage", ex.item(), ex.balance(), ex.requested()));
			return form.get();
		}
	}

	@GetMapping("/stock")
	String stores(CurrentUser user, @RequestParam(required = false) String code, Model model) {
		Node node = this.stores.placeOf(user, code);
		model.addAttribute("node", node);
		model.addAttribute("stores", this.stores.within(user, node));
		model.addAttribute("alerts", this.stores.alerts(user, node));
		return "stock/stores";
	}

	@PostMapping("/stock/stores")
	String create(CurrentUser user, @RequestParam(required = false) String code,
			@RequestParam(required = false) String name, @RequestParam(required = false) boolean team, Model model) {
		return attempt(model, () -> {
			Node node = this.stores.placeOf(user, code);
			long id = this.stores.create(user, new Stores.NewStore(node.id(), name, team)).id();
			return "redirect:/stock/stores/" + id;
		}, () -> stores(user, code, model));
	}

	@GetMapping("/stock/stores/{id}")
	String store(CurrentUser user, @PathVariable long id, Model model) {
		Stores.Store store = this.stores.get(user, id);
		model.addAttribute("store", store);
		model.addAttribute("balances", this.stores.balances(user, id));
		List<Row> ledger = new ArrayList<>();
		for (Stores.Movement m : this.stores.ledger(user, id, 100)) {
			ledger.add(new Row(m, m.recipient() == null ? null : PersonNames.mask(m.recipient())));
		}
		model.addAttribute("ledger", ledger);
		model.addAttribute("items", this.stores.items());
		return "stock/store";
	}

	/** A ledger line as shown: the recipient's name masked. */
	record Row(Stores.Movement movement, String recipient) {
	}

	@PostMapping("/stock/stores/{id}/movements")
	String move(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String item,
			@RequestParam(required = false) String direction, @RequestParam(required = false) String quantity,
			@RequestParam(required = false) String reason, @RequestParam(required = false) String recipient,
			@RequestParam(required = false) String unit, Model model) {
		return attempt(model, () -> {
			int amount = number(quantity, "quantity", "stock.movement.quantity");
			int signed = "out".equals(direction) ? -amount : amount;
			if (amount <= 0) {
				throw new InvalidInput("quantity", "stock.movement.quantity");
			}
			this.stores.move(user, id, new Stores.NewMovement(item, signed, reason, recipient, unit));
			return "redirect:/stock/stores/" + id;
		}, () -> store(user, id, model));
	}

	@PostMapping("/stock/stores/{id}/thresholds")
	String threshold(CurrentUser user, @PathVariable long id, @RequestParam(required = false) String item,
			@RequestParam(required = false) String threshold, Model model) {
		return attempt(model, () -> {
			Integer value = threshold == null || threshold.isBlank() ? null
					: number(threshold, "threshold", "stock.threshold.range");
			this.stores.threshold(user, id, new Stores.NewThreshold(item, value));
			return "redirect:/stock/stores/" + id;
		}, () -> store(user, id, model));
	}

	@PostMapping("/stock/stores/{id}/stocktakes")
	String take(CurrentUser user, @PathVariable long id,
			@RequestParam(name = "item", required = false) List<String> items,
			@RequestParam(name = "counted", required = false) List<String> counted,
			@RequestParam(required = false) String note, Model model) {
		return attempt(model, () -> {
			List<Stores.Count> counts = new ArrayList<>();
			for (int i = 0; items != null && i < items.size(); i++) {
				String value = counted == null || i >= counted.size() ? "" : counted.get(i);
				if (value.isBlank()) {
					continue;
				}
				counts.add(new Stores.Count(items.get(i), number(value, "counted", "stock.take.counted")));
			}
			model.addAttribute("take", this.stores.take(user, id, new Stores.NewTake(counts, note)));
			return store(user, id, model);
		}, () -> store(user, id, model));
	}

	private static int number(String text, String field, String key) {
		try {
			return Integer.parseInt(text == null ? "" : text.strip());
		}
		catch (NumberFormatException ex) {
			throw new InvalidInput(field, key);
		}
	}

}
