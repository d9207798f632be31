/**
 * Framework-free value types shared by every module: identity document numbers, phone
 * numbers and the text clean-up that Chinese input (IME full-width characters, pasted
 * invisible characters) needs first.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Shared",
		type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package org.fangxian.shared;
