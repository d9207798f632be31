package org.fangxian.security;

import java.util.EnumSet;
import java.util.Set;

/** What a person does in the outbreak response; decides which {@link Permission}s an account has. */
public enum Role {

	/** District command HQ administrator (指挥部管理员). */
	HQ_ADMIN(EnumSet.allOf(Permission.class)),
	/** Street office administrator (街道管理员). */
	STREET_ADMIN(EnumSet.of(Permission.VIEW_REGISTRY, Permission.EDIT_REGISTRY, Permission.VIEW_RESIDENTS,
			Permission.EDIT_RESIDENTS, Permission.IMPORT_RESIDENTS, Permission.EXPORT_RESIDENTS,
			Permission.MANAGE_ACCOUNTS, Permission.SCAN_AT_CHECKPOINT, Permission.MANAGE_CHECKPOINTS,
			Permission.MANAGE_TESTING, Permission.MANAGE_CONTAINMENT, Permission.VIEW_DASHBOARD,
			Permission.WRITE_DAILY_REPORTS)),
	/** Community worker (社区工作者): knows every household, so may see full ID numbers. */
	COMMUNITY_WORKER(EnumSet.of(Permission.VIEW_REGISTRY, Permission.EDIT_REGISTRY, Permission.VIEW_RESIDENTS,
			Permission.EDIT_RESIDENTS, Permission.IMPORT_RESIDENTS, Permission.EXPORT_RESIDENTS,
			Permission.REVEAL_PERSONAL_DATA, Permission.SCAN_AT_CHECKPOINT, Permission.MANAGE_CHECKPOINTS,
			Permission.MANAGE_TESTING, Permission.COLLECT_SAMPLES, Permission.MANAGE_CONTAINMENT,
			Permission.VISIT_HOUSEHOLDS, Permission.VIEW_DASHBOARD)),
	/** Checkpoint guard (卡点值守人员). */
	CHECKPOINT_GUARD(EnumSet.of(Permission.VIEW_REGISTRY, Permission.SCAN_AT_CHECKPOINT)),
	/** Sampler at a testing site (采样人员). */
	SAMPLER(EnumSet.of(Permission.VIEW_REGISTRY, Permission.COLLECT_SAMPLES)),
	/** Volunteer (志愿者). */
	VOLUNTEER(EnumSet.of(Permission.VIEW_REGISTRY, Permission.SCAN_AT_CHECKPOINT, Permission.COLLECT_SAMPLES,
			Permission.VISIT_HOUSEHOLDS));

	private final Set<Permission> permissions;

	Role(Set<Permission> permissions) {
		this.permissions = permissions;
	}

	public boolean can(Permission permission) {
		return this.permissions.contains(permission);
	}

	/** Roles an account of this role may create: never one above itself. */
	public boolean mayGrant(Role other) {
		return switch (this) {
			case HQ_ADMIN -> true;
			case STREET_ADMIN -> other != HQ_ADMIN;
			default -> false;
		};
	}

	public String messageKey() {
		return "role." + name();
	}

}
