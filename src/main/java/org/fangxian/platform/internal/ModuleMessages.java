package org.fangxian.platform.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Messages: the shared {@code messages.properties} plus one bundle per module under
 * {@code messages/<module>.properties} (and its {@code _en} sibling), found on the
 * classpath, so a new module brings its texts without editing a shared file.
 */
@Configuration(proxyBeanMethods = false)
class ModuleMessages {

	@Bean
	MessageSource messageSource() {
		ResourceBundleMessageSource source = new ResourceBundleMessageSource();
		List<String> basenames = new ArrayList<>();
		basenames.add("messages");
		basenames.addAll(moduleBundles());
		source.setBasenames(basenames.toArray(String[]::new));
		source.setDefaultEncoding(StandardCharsets.UTF_8.name());
		source.setFallbackToSystemLocale(false);
		source.setUseCodeAsDefaultMessage(false);
		return source;
	}

	/**
	 * {@code messages/seal.properties} → {@code messages/seal}; locale variants share
	 * their base.
	 */
	static TreeSet<String> moduleBundles() {
		try {
			TreeSet<String> names = new TreeSet<>();
			for (Resource resource : new PathMatchingResourcePatternResolver()
				.getResources("classpath*:messages/*.properties")) {
				String file = resource.getFilename();
				if (file == null) {
					continue;
				}
				String base = file.substring(0, file.length() - ".properties".length());
				int locale = base.indexOf('_');
				names.add("messages/" + (locale < 0 ? base : base.substring(0, locale)));
			}
			return names;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
