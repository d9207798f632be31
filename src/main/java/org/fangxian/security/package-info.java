/**
 * Accounts, roles, login, API tokens, jurisdiction scoping and the protection of personal
 * data (encryption at rest, keyed hashes for lookup, masking).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Security")
package org.fangxian.security;
