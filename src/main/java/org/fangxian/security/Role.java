package org.fangxian.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a person does in the outbreak response; decides which {@link Permission}s an
 * account has.
 */
public enum Role {

	/** District command HQ administrator (指挥部管理员). */
	HQ_ADMIN(EnumSet.allOf(Permission.class)),
	/** Street office administrator (街道管理员). */
	STREET_ADMIN(EnumSet.of(Permission.VIEW_REGISTRY, Permission.EDIT_REGISTRY, Permission.VIEW_RESIDENTS,
			Permission.EDIT_RESIDENTS, Permission.IMPORT_RESIDENTS, Permission.EXPORT_RESIDENTS,
			Permission.MANAGE_ACCOUNTS, Permission.SCAN_AT_CHECKPOINT, Permission.MANAGE_CHECKPOINTS,
			Permission.MANAGE_TESTING, Permission.MANAGE_CONTAINMENT, Permission.MANAGE_WORKFORCE,
			Permission.MANAGE_STOCK, Permission.VIEW_DASHBOARD, Permission.WRITE_DAILY_REPORTS, Permission.HANDLE_TASKS,
			Permission.SUPERVISE_TASKS)),
	/** Community worker (社区工作者): knows every household, so may see full ID numbers. */
	COMMUNITY_WORKER(EnumSet.of(Permission.VIEW_REGISTRY, Permission.EDIT_REGISTRY, Permission.VIEW_RESIDENTS,
			Permission.EDIT_RESIDENTS, Permission.IMPORT_RESIDENTS, Permission.EXPORT_RESIDENTS,
			Permission.REVEAL_PERSONAL_DATA, Permission.SCAN_AT_CHECKPOINT, Permission.MANAGE_CHECKPOINTS,
			Permission.MANAGE_TESTING, Permission.COLLECT_SAMPLES, Permission.MANAGE_CONTAINMENT,
			Permission.VISIT_HOUSEHOLDS, Permission.MANAGE_TRACING, Permission.MANAGE_WORKFORCE,
			Permission.MANAGE_STOCK, Permission.VIEW_DASHBOARD, Permission.HANDLE_TASKS, Permission.SUPERVISE_TASKS)),
	/** Checkpoint guard (卡点值守人员). */
	CHECKPOINT_GUARD(EnumSet.of(Permission.VIEW_REGISTRY, Permission.SCAN_AT_CHECKPOINT)),
	/** Sampler at a testing site (采样人员). */
	SAMPLER(EnumSet.of(Permission.VIEW_REGISTRY, Permission.COLLECT_SAMPLES)),
	/** Volunteer (志愿者). */
	VOLUNTEER(EnumSet.of(Permission.VIEW_REGISTRY, Permission.SCAN_AT_CHECKPOINT, Permission.COLLECT_SAMPLES,
			Permission.VISIT_HOUSEHOLDS, Permission.HANDLE_TASKS)),
	/**
	 * Flow tracer (流调人员), bound to a district or street: sees every case of its subtree
	 * and the people involved, and may reveal their numbers to call them.
	 */
	TRACER(EnumSet.of(Permission.VIEW_REGISTRY, Permission.VIEW_RESIDENTS, Permission.REVEAL_PERSONAL_DATA,
			Permission.MANAGE_TRACING));

	private final Set<Permission> permissions;

	Role(Set<Permission> permissions) {
		this.permissions = permissions;
	}

	public boolean can(Permission permission) {
		return this.permissions.contains(permission);
	}

	/** What this role may do; a copy, so nobody widens a role at run time. */
	public Set<Permission> permissions() {
		return EnumSet.copyOf(this.permissions);
	}

	/**
	 * Whether an account of this role may open or change an account of the other: only
	 * when every permission of the other is one of its own, so no account can hand out
	 * (or gain through a proxy) a right it does not hold itself. A street administrator,
	 * who may not reveal ID numbers, thus cannot make a community worker, who may.
	 */
	public boolean includes(Role other) {
		return this.permissions.containsAll(other.permissions);
	}

	/**
	 * How many permissions the role carries: the least powerful grantable role is the
	 * form's default.
	 */
	public int weight() {
		return this.permissions.size();
	}

	public String messageKey() {
		return "role." + name();
	}

}
