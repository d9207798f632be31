package org.fangxian.platform.internal;

import java.util.Locale;

import org.fangxian.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleMessagesTest extends IntegrationTest {

	@Autowired
	MessageSource messages;

	@Test
	void findsEveryModulesOwnBundleBesideTheSharedOne() {
		assertTrue(ModuleMessages.moduleBundles().contains("messages/platform"));
		assertEquals("模块消息已加载", this.messages.getMessage("platform.messages.loaded", null, Locale.SIMPLIFIED_CHINESE));
		assertEquals("Module messages loaded",
				this.messages.getMessage("platform.messages.loaded", null, Locale.ENGLISH));
	}

}
