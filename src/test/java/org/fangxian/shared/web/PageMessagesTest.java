package org.fangxian.shared.web;

import java.util.Locale;

import org.fangxian.shared.InvalidInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.support.StaticMessageSource;
import org.springframework.ui.ExtendedModelMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageMessagesTest {

	final StaticMessageSource source = new StaticMessageSource();

	final PageMessages pages = new PageMessages(this.source);

	PageMessagesTest() {
		this.source.addMessage("node.name.long", Locale.SIMPLIFIED_CHINESE, "名称不能超过{0}个字");
		this.source.addMessage("node.name.long", Locale.ENGLISH, "A name has at most {0} characters");
		this.source.addMessage("field.name", Locale.SIMPLIFIED_CHINESE, "名称");
	}

	@AfterEach
	void resetLocale() {
		LocaleContextHolder.resetLocaleContext();
	}

	@Test
	void textIsInTheRequestsLanguageAndFallsBackToTheKey() {
		LocaleContextHolder.setLocale(Locale.SIMPLIFIED_CHINESE);
		assertEquals("名称不能超过40个字", this.pages.text("node.name.long", 40));
		LocaleContextHolder.setLocale(Locale.ENGLISH);
		assertEquals("A name has at most 40 characters",
				this.pages.text(new InvalidInput("name", "node.name.long", 40)));
		assertEquals("no.such.key", this.pages.text("no.such.key"));
	}

	@Test
	void refusedFormIsShownAgainWithTheSentenceAndTheField() {
		LocaleContextHolder.setLocale(Locale.SIMPLIFIED_CHINESE);
		ExtendedModelMap model = new ExtendedModelMap();
		String view = this.pages.submit(model, () -> {
			throw new InvalidInput("name", "node.name.long", 40);
		}, () -> "registry/node");
		assertEquals("registry/node", view);
		assertEquals("名称不能超过40个字", model.getAttribute("error"));
		assertEquals("name", model.getAttribute("field"));
	}

	@Test
	void acceptedFormAnswersTheActionsViewAndLeavesNoError() {
		ExtendedModelMap model = new ExtendedModelMap();
		assertEquals("redirect:/accounts", this.pages.submit(model, () -> "redirect:/accounts", () -> "again"));
		assertFalse(model.containsAttribute("error"));
	}

	@Test
	void otherFailuresAreNotSwallowed() {
		ExtendedModelMap model = new ExtendedModelMap();
		assertThrows(IllegalStateException.class, () -> this.pages.submit(model, () -> {
			throw new IllegalStateException("boom");
		}, () -> "again"));
		assertFalse(model.containsAttribute("error"));
	}

	@Test
	void labelledMessagesLeadTheSentenceWithTheFieldsLabel() {
		LocaleContextHolder.setLocale(Locale.SIMPLIFIED_CHINESE);
		ExtendedModelMap model = new ExtendedModelMap();
		this.pages.labelled().submit(model, () -> {
			throw new InvalidInput("name", "node.name.long", 40);
		}, () -> "registry/node");
		assertEquals("名称: 名称不能超过40个字", model.getAttribute("error"));
		assertEquals("name", model.getAttribute("field"));
		// A field without a label is named as it is; the plain messages stay unlabelled.
		assertEquals("room: 名称不能超过40个字", this.pages.labelled().text(new InvalidInput("room", "node.name.long", 40)));
		assertEquals("名称不能超过40个字", this.pages.text(new InvalidInput("name", "node.name.long", 40)));
	}

}
