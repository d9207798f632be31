package org.fangxian.shared.web;

import java.util.function.Supplier;

import org.fangxian.shared.InvalidInput;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

/**
 * The pages' one message helper and one path for a refused form. Every page module uses
 * it, and the modules that sit under the others (security, platform) use it too, so it
 * lives here in the open shared module rather than in platform (which depends on
 * security: a helper there would make a cycle).
 *
 * <p>
 * A refused form is shown again, not answered with the error page: the sentence goes into
 * the model as {@code error}, the field as {@code field}, and the page's own handler
 * renders it with what the user typed (its form record, or {@code ${param.x}} in the
 * template; never a password).
 */
@Component
public class PageMessages {

	private final MessageSource messages;

	/** Whether a refused input's sentence is led by its field's label. */
	private final boolean labelled;

	@Autowired
	public PageMessages(MessageSource messages) {
		this(messages, false);
	}

	private PageMessages(MessageSource messages, boolean labelled) {
		this.messages = messages;
		this.labelled = labelled;
	}

	/**
	 * These messages, with each refused input's sentence led by its field's label
	 * ({@code 证件号码: …}, from {@code field.<name>}): for pages of many fields whose
	 * sentences do not say which one is wrong.
	 */
	public PageMessages labelled() {
		return new PageMessages(this.messages, true);
	}

	/**
	 * The text of {@code key} in the request's language; the key itself when no bundle
	 * has it.
	 */
	public String text(String key, Object... args) {
		return this.messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
	}

	/**
	 * The sentence of a refused input, in the request's language (led by the field's
	 * label when these messages are {@link #labelled()}).
	 */
	public String text(InvalidInput refused) {
		String sentence = text(refused.messageKey(), refused.args());
		if (!this.labelled) {
			return sentence;
		}
		String label = this.messages.getMessage("field." + refused.field(), null, refused.field(),
				LocaleContextHolder.getLocale());
		return label + ": " + sentence;
	}

	/**
	 * Runs a form's action and answers its view (usually a redirect); when the input is
	 * refused, puts the sentence and the field into the model and answers {@code again}:
	 * the same page once more.
	 */
	public String submit(Model model, Supplier<String> action, Supplier<String> again) {
		try {
			return action.get();
		}
		catch (InvalidInput refused) {
			rejected(model, refused);
			return again.get();
		}
	}

	/**
	 * Puts a refused input into the model: {@code error} (the sentence) and
	 * {@code field}.
	 */
	public void rejected(Model model, InvalidInput refused) {
		model.addAttribute("error", text(refused));
		model.addAttribute("field", refused.field());
	}

}
