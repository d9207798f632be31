package org.fangxian.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fangxian.security.MatrixRows;
import org.junit.jupiter.api.DynamicTest;

import static org.fangxian.security.Permission.HANDLE_TASKS;
import static org.fangxian.security.Permission.SUPERVISE_TASKS;

/**
 * The task engine's rows of the authorization matrix (issue 16): supply requests (生活保障)
 * and 12345 work orders for every role, inside and outside its jurisdiction.
 */
class TaskMatrixRows extends MatrixRows {

	/**
	 * Every supply-request route for every role, inside and outside its jurisdiction:
	 * without HANDLE_TASKS 403 (without SUPERVISE_TASKS too for moving a request the
	 * caller does not hold, naming its assignee and every work-order route); a request
	 * (or resident) of another place does not exist for the caller (404); each call on a
	 * fresh request of its own.
	 */
	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		byte[] png = java.util.Base64.getDecoder()
			.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
		for (Caller caller : this.callers.values()) {
			boolean handler = SPEC.get(caller.role()).contains(HANDLE_TASKS);
			// dispatching and supervising (work orders, inspections, a request another
			// holds) needs SUPERVISE_TASKS as well: stricter for a volunteer only
			boolean supervisor = handler && SPEC.get(caller.role()).contains(SUPERVISE_TASKS);
			tests.add(special("GET /api/v1/support-requests", caller, false,
					handler ? Outcome.ALLOWED : Outcome.FORBIDDEN, 200, () -> Call.get("/api/v1/support-requests")));
			for (Where where : List.of(Where.INSIDE, Where.OUTSIDE)) {
				Place place = caller.at(where);
				Outcome outcome = !handler ? Outcome.FORBIDDEN
						: where == Where.INSIDE ? Outcome.ALLOWED : Outcome.NOT_FOUND;
				Outcome supervising = !supervisor ? Outcome.FORBIDDEN
						: where == Where.INSIDE ? Outcome.ALLOWED : Outcome.NOT_FOUND;
				// a request nobody holds yet, moved on or handed over: a volunteer's
				// own jurisdiction answers 403, another place's request still does not
				// exist
				Outcome others = !handler ? Outcome.FORBIDDEN : where == Where.INSIDE
						? (supervisor ? Outcome.ALLOWED : Outcome.FORBIDDEN) : Outcome.NOT_FOUND;
				String at = " " + where.name().toLowerCase() + " (" + place.label() + ")";
				tests.add(special("POST /api/v1/support-requests" + at, caller, false, outcome, 201,
						() -> Call.json("POST", "/api/v1/support-requests", Map.of("residentId",
								String.valueOf(place.residentId()), "kind", "MEDICINE", "detail", "矩阵药品"))));
				tests.add(special("GET /api/v1/support-requests/{id}" + at, caller, false, outcome, 200,
						() -> Call.get("/api/v1/support-requests/" + supplyRequest(place))));
				tests.add(special("GET /api/v1/support-requests/{id}/history" + at, caller, false, outcome, 200,
						() -> Call.get("/api/v1/support-requests/" + supplyRequest(place) + "/history")));
				tests.add(special("POST /api/v1/support-requests/{id}/transitions" + at, caller, false, others, 200,
						() -> Call.json("POST", "/api/v1/support-requests/" + supplyRequest(place) + "/transitions",
								Map.of("to", "FAILED", "note", "矩阵"))));
				tests.add(special("POST /api/v1/support-requests/{id}/assignee" + at, caller, false, others, 200,
						() -> Call.json("POST", "/api/v1/support-requests/" + supplyRequest(place) + "/assignee",
								Map.of("assigneeId", String.valueOf(place.accountId())))));
				tests.add(special("POST /api/v1/support-requests/{id}/photos" + at, caller, false, others, 201,
						() -> Call.multipart("/api/v1/support-requests/" + supplyRequest(place) + "/photos", Map.of(),
								new FilePart("photo.png", png))));
				tests.add(special("POST /tasks/support/{id}/move" + at, caller, true, outcome, 302,
						() -> Call.form("/tasks/support/" + supplyRequest(place) + "/move", Map.of("to", "ASSIGNED"))));
				// 12345 work orders: intake names a node (outside: 403, as every node
				// outside the jurisdiction); an order of another place does not exist
				// for the caller
				Outcome intake = !supervisor ? Outcome.FORBIDDEN
						: where == Where.INSIDE ? Outcome.ALLOWED : Outcome.FORBIDDEN;
				tests.add(special("POST /api/v1/work-orders" + at, caller, false, intake, 201,
						() -> Call.json("POST", "/api/v1/work-orders",
								Map.of("channel", "12345", "content", "矩阵工单", "callerPhone", "13800138000", "nodeId",
										String.valueOf(place.community().id()), "category", "其他"))));
				tests.add(special("POST /api/v1/work-orders/{id}/dispatch" + at, caller, false, supervising, 200,
						() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "NEW") + "/dispatch",
								Map.of("nodeId", String.valueOf(place.community().id())))));
				tests.add(special("POST /api/v1/work-orders/{id}/supervise" + at, caller, false, supervising, 200,
						() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "DISPATCHED") + "/supervise",
								Map.of("note", "矩阵督办"))));
				tests.add(special("POST /api/v1/work-orders/{id}/reply" + at, caller, false, supervising, 200,
						() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "DISPATCHED") + "/reply",
								Map.of("reply", "矩阵答复"))));
				tests.add(special("POST /api/v1/work-orders/{id}/close" + at, caller, false, supervising, 200,
						() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "REPLIED") + "/close",
								Map.of("satisfaction", "SATISFIED"))));
			}
			inspectionRows(tests, caller, supervisor);
			Outcome listing = handler ? Outcome.ALLOWED : Outcome.FORBIDDEN;
			Outcome supervised = supervisor ? Outcome.ALLOWED : Outcome.FORBIDDEN;
			tests.add(special("GET /api/v1/work-orders?overdue=true", caller, false, supervised, 200,
					() -> Call.get("/api/v1/work-orders?overdue=true")));
			tests.add(special("GET /api/v1/work-orders/statistics", caller, false, supervised, 200,
					() -> Call.get("/api/v1/work-orders/statistics")));
			tests
				.add(special("GET /tasks/deliveries", caller, true, listing, 200, () -> Call.get("/tasks/deliveries")));
			tests.add(special("GET /tasks/work-orders?overdue=true", caller, true, supervised, 200,
					() -> Call.get("/tasks/work-orders?overdue=true")));
		}
		return tests;
	}

	/**
	 * Inspections (巡查), rectifications (整改), checklists and complaint verification:
	 * HANDLE_TASKS and SUPERVISE_TASKS inside the jurisdiction; a checklist is edited by
	 * HQ and streets only; an inspection or rectification of another place does not exist
	 * for the caller.
	 */
	private void inspectionRows(List<DynamicTest> tests, Caller caller, boolean supervisor) {
		boolean handler = supervisor;
		byte[] png = java.util.Base64.getDecoder()
			.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
		Outcome listing = handler ? Outcome.ALLOWED : Outcome.FORBIDDEN;
		tests.add(special("GET /api/v1/checklists", caller, false, listing, 200, () -> Call.get("/api/v1/checklists")));
		boolean keeper = handler && caller.role().includes(org.fangxian.security.Role.STREET_ADMIN);
		tests.add(special("PUT /api/v1/checklists/{id}", caller, false, keeper ? Outcome.ALLOWED : Outcome.FORBIDDEN,
				200, () -> {
					long id = this.jdbc
						.sql("select id from checklist_template where kind = 'COURIER_STATION' and path is null")
						.query(Long.class)
						.single();
					List<String> items = this.jdbc
						.sql("select text from checklist_item where template_id = :t and active order by position")
						.param("t", id)
						.query(String.class)
						.list();
					return Call.json("PUT", "/api/v1/checklists/" + id, Map.of("name", "快递站点", "items", items));
				}));
		tests.add(special("GET /api/v1/inspections?planned=true", caller, false, listing, 200,
				() -> Call.get("/api/v1/inspections?planned=true")));
		tests.add(special("GET /api/v1/rectifications?open=true", caller, false, listing, 200,
				() -> Call.get("/api/v1/rectifications?open=true")));
		tests.add(special("GET /tasks/inspections", caller, true, listing, 200, () -> Call.get("/tasks/inspections")));
		tests.add(special("GET /tasks/rectifications", caller, true, listing, 200,
				() -> Call.get("/tasks/rectifications")));
		// the hotline's export: orders land in the caller's own jurisdiction (a place
		// outside it is a refused row, not a refused file)
		java.util.function.Supplier<FilePart> export = () -> new FilePart("12345.csv",
				("工单编号,来电号码,内容,分类,所属社区/街道\nM-" + java.util.UUID.randomUUID() + ",13800138000,矩阵,其他,不存在社区\n")
					.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		tests.add(special("POST /api/v1/work-orders/import", caller, false, listing, 200,
				() -> Call.multipart("/api/v1/work-orders/import", Map.of(), export.get())));
		tests.add(special("GET /tasks/work-orders/import", caller, true, listing, 200,
				() -> Call.get("/tasks/work-orders/import")));
		tests.add(special("POST /tasks/work-orders/import", caller, true, listing, 200,
				() -> Call.multipart("/tasks/work-orders/import", Map.of(), export.get())));
		for (Where where : List.of(Where.INSIDE, Where.OUTSIDE)) {
			Place place = caller.at(where);
			Outcome outcome = !handler ? Outcome.FORBIDDEN
					: where == Where.INSIDE ? Outcome.ALLOWED : Outcome.NOT_FOUND;
			Outcome naming = !handler ? Outcome.FORBIDDEN : where == Where.INSIDE ? Outcome.ALLOWED : Outcome.FORBIDDEN;
			String at = " " + where.name().toLowerCase() + " (" + place.label() + ")";
			tests.add(special("POST /api/v1/inspections" + at, caller, false, naming, 201,
					() -> Call.json("POST", "/api/v1/inspections",
							Map.of("kind", "COMMUNITY_GATE", "nodeId", String.valueOf(place.community().id())))));
			tests.add(special("POST /tasks/inspections" + at, caller, true, naming, 302,
					() -> Call.form("/tasks/inspections",
							Map.of("kind", "COMMUNITY_GATE", "place", String.valueOf(place.community().id())))));
			tests.add(special("GET /api/v1/inspections/{id}" + at, caller, false, outcome, 200,
					() -> Call.get("/api/v1/inspections/" + inspection(place))));
			tests.add(special("GET /tasks/inspections/{id}" + at, caller, true, outcome, 200,
					() -> Call.get("/tasks/inspections/" + inspection(place))));
			tests.add(special("POST /api/v1/inspections/{id}/findings" + at, caller, false, outcome, 200, () -> {
				long id = inspection(place);
				List<Map<String, Object>> findings = gateItems().stream()
					.map(item -> Map.<String, Object>of("itemId", item, "passed", true))
					.toList();
				return Call.json("POST", "/api/v1/inspections/" + id + "/findings", Map.of("findings", findings));
			}));
			tests.add(special("POST /tasks/inspections/{id}" + at, caller, true, outcome, 302, () -> {
				long id = inspection(place);
				Map<String, String> form = new java.util.HashMap<>();
				gateItems().forEach(item -> form.put("passed_" + item, "true"));
				return Call.form("/tasks/inspections/" + id, form);
			}));
			tests.add(special("GET /api/v1/rectifications/{id}/history" + at, caller, false, outcome, 200,
					() -> Call.get("/api/v1/rectifications/" + rectification(place) + "/history")));
			tests.add(special("POST /api/v1/rectifications/{id}/reinspection" + at, caller, false, outcome, 201,
					() -> Call.json("POST", "/api/v1/rectifications/" + rectification(place) + "/reinspection",
							Map.of())));
			tests.add(special("POST /tasks/rectifications/{id}/reinspection" + at, caller, true, outcome, 302,
					() -> Call.form("/tasks/rectifications/" + rectification(place) + "/reinspection", Map.of())));
			tests.add(special("POST /api/v1/work-orders/{id}/verification" + at, caller, false, outcome, 201,
					() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "DISPATCHED") + "/verification",
							Map.of("verdict", "CONFIRMED", "note", "矩阵核实", "evidence",
									List.of(java.util.Base64.getEncoder().encodeToString(png))))));
		}
	}

	private List<Long> gateItems() {
		return this.jdbc.sql("""
				select i.id from checklist_item i join checklist_template t on t.id = i.template_id
				where t.kind = 'COMMUNITY_GATE' and t.path is null and i.active order by i.position""")
			.query(Long.class)
			.list();
	}

	/** A planned gate inspection at the place's community. */
	private long inspection(Place place) {
		return this.jdbc
			.sql("""
					insert into inspection (template_id, node_id, path, place, planned_for, created_at)
					select t.id, n.id, n.path, n.name, current_date, now()
					from checklist_template t, division_node n where t.kind = 'COMMUNITY_GATE' and t.path is null and n.id = :node
					returning id""")
			.param("node", place.community().id())
			.query(Long.class)
			.single();
	}

	/** An open rectification at the place's community, from a done inspection. */
	private long rectification(Place place) {
		long inspection = inspection(place);
		this.jdbc.sql("update inspection set state = 'DONE', done_at = now() where id = :id")
			.param("id", inspection)
			.update();
		long task = this.jdbc.sql("""
				insert into task (type, node_id, path, subject_kind, subject_id, state, due_at, created_at, updated_at)
				select 'RECTIFICATION', id, path, 'NODE', id, 'OPEN', now() + interval '3 days', now(), now()
				from division_node where id = :node
				returning id""").param("node", place.community().id()).query(Long.class).single();
		this.jdbc.sql("""
				insert into rectification (task_id, inspection_id, item_id, place, item_text, finding)
				values (:task, :inspection, :item, '矩阵', '矩阵', '矩阵')""")
			.param("task", task)
			.param("inspection", inspection)
			.param("item", gateItems().get(0))
			.update();
		return task;
	}

	/** A work order at the place's community, in the given state. */
	private long workOrder(Place place, String state) {
		long task = this.jdbc.sql("""
				insert into task (type, node_id, path, subject_kind, subject_id, state, due_at, created_at, updated_at)
				select 'WORK_ORDER', id, path, 'NODE', id, :state, now() + interval '1 day', now(), now()
				from division_node where id = :node
				returning id""").param("node", place.community().id()).param("state", state).query(Long.class).single();
		this.jdbc.sql("""
				insert into work_order (task_id, channel, content, category, phone_cipher, phone_masked)
				values (:task, '12345', '矩阵', '其他', :cipher, '138****0000')""")
			.param("task", task)
			.param("cipher", this.protection.encrypt("13800138000"))
			.update();
		return task;
	}

	/** A new supply request of the place's resident, open (NEW). */
	private long supplyRequest(Place place) {
		long task = this.jdbc.sql("""
				insert into task (type, node_id, path, subject_kind, subject_id, state, due_at, created_at, updated_at)
				select 'SUPPORT', :node, :path, 'RESIDENT', :resident, 'NEW', now() + interval '1 day', now(), now()
				returning id""")
			.param("node", place.compoundId())
			.param("path",
					this.jdbc.sql("select path from division_node where id = :id")
						.param("id", place.compoundId())
						.query(String.class)
						.single())
			.param("resident", place.residentId())
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				insert into support_request (task_id, resident_id, kind, detail, filed_by)
				values (:task, :resident, 'GROCERIES', '矩阵', 'WORKER')""")
			.param("task", task)
			.param("resident", place.residentId())
			.update();
		return task;
	}

}
