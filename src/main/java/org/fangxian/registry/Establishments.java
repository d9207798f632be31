package org.fangxian.registry;

import java.util.List;

import org.fangxian.audit.AuditEvent;
import org.fangxian.security.CurrentUser;
import org.fangxian.security.Permission;
import org.fangxian.security.PersonalDataProtection;
import org.fangxian.shared.FullWidth;
import org.fangxian.shared.InvalidInput;
import org.fangxian.shared.PhoneNumber;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Shops and enterprises attached to a community or compound (they are sealed and
 * inspected too).
 */
@Service
public class Establishments {

	private final JdbcClient jdbc;

	private final DivisionTree tree;

	private final PersonalDataProtection protection;

	private final ApplicationEventPublisher events;

	Establishments(JdbcClient jdbc, DivisionTree tree, PersonalDataProtection protection,
			ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.tree = tree;
		this.protection = protection;
		this.events = events;
	}

	/** What a form sends. */
	public record NewEstablishment(String kind, String name, String address, String contactName, String contactPhone,
			Integer staffCount) {
	}

	@Transactional(readOnly = true)
	public List<Establishment> at(CurrentUser user, long nodeId) {
		Node node = this.tree.node(user, nodeId);
		return this.jdbc.sql("""
				select id, node_id, kind, name, address, contact_name, phone_masked as contact_phone, staff_count
				from establishment where path like :p order by kind, name""")
			.param("p", node.path() + "%")
			.query(Establishment.class)
			.list();
	}

	@Transactional
	public long add(CurrentUser user, long nodeId, NewEstablishment form) {
		user.require(Permission.EDIT_REGISTRY);
		Node node = this.tree.node(user, nodeId);
		if (node.kind() != NodeKind.COMMUNITY && node.kind() != NodeKind.COMPOUND) {
			throw new InvalidInput("nodeId", "establishment.node.level");
		}
		Establishment.Kind kind;
		try {
			kind = Establishment.Kind.valueOf(form.kind() == null ? "" : form.kind());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInput("kind", "establishment.kind.unknown");
		}
		String name = FullWidth.clean(form.name());
		if (name.isEmpty() || name.length() > 200) {
			throw new InvalidInput("name", name.isEmpty() ? "node.name.blank" : "node.name.tooLong");
		}
		if (form.staffCount() != null && form.staffCount() < 0) {
			throw new InvalidInput("staffCount", "establishment.staff.negative");
		}
		PhoneNumber phone = null;
		String phoneText = FullWidth.clean(form.contactPhone());
		if (!phoneText.isEmpty()) {
			phone = PhoneNumber.parse(phoneText)
				.orElseThrow(() -> new InvalidInput("phone", "resident.phone.invalid", phoneText));
		}
		try {
			long id = this.jdbc
				.sql("""
						insert into establishment (node_id, kind, name, address, contact_name, phone_cipher, phone_masked, staff_count)
						values (:node, :kind, :name, :address, :contact, :cipher, :masked, :staff) returning id""")
				.param("node", node.id())
				.param("kind", kind.name())
				.param("name", name)
				.param("address", emptyToNull(FullWidth.clean(form.address())))
				.param("contact", emptyToNull(FullWidth.clean(form.contactName())))
				.param("cipher", phone == null ? null : this.protection.encrypt(phone.value()))
				.param("masked", phone == null ? null : phone.masked())
				.param("staff", form.staffCount())
				.query(Long.class)
				.single();
			this.events
				.publishEvent(AuditEvent.of(user, "ESTABLISHMENT_CREATED", "establishment", id, kind + " " + name));
			return id;
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInput("name", "node.name.taken");
		}
	}

	private static String emptyToNull(String text) {
		return text.isEmpty() ? null : text;
	}

}
