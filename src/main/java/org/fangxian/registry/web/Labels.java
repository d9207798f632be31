package org.fangxian.registry.web;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Display text for stored codes in templates ({@code ${@labels.tag(t)}}), falling back to
 * the text itself.
 */
@Component("labels")
class Labels {

	private final MessageSource messages;

	Labels(MessageSource messages) {
		this.messages = messages;
	}

	public String tag(String tag) {
		return this.messages.getMessage("tag." + tag, null, tag, LocaleContextHolder.getLocale());
	}

}
