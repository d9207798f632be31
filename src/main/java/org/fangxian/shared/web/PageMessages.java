package org.fangxian.shared.web;

import java.util.function.Supplier;

import org.fangxian.shared.InvalidInput;

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

	public PageMessages(MessageSource messages) {
		this.messages = messages;
	}

	/**
	 * The text of {@code key} in the request's language; the key itself when no bundle
	 * has it.
	 */
	public String text(String key, Object... args) {
		return this.messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
	}

	/** The sentence of a refused input, in the request's language. */
	public String text(InvalidInput refused) {
		return text(refused.messageKey(), refused.args());
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
