/**
 * The append-only audit trail: who viewed, exported or changed personal data, when and
 * from where. It listens to events and is never called for business logic.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit")
package org.fangxian.audit;
