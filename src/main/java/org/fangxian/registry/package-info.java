/**
 * The jurisdiction tree (district → street → community → compound → building → unit),
 * households, residents, shops and enterprises, and the rosters communities import and
 * export.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Registry")
package org.fangxian.registry;
