package org.fangxian.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fangxian.security.MatrixRows;
import org.junit.jupiter.api.DynamicTest;

import static org.fangxian.security.Permission.HANDLE_TASKS;

/**
 * The task engine's rows of the authorization matrix (issue 16): supply requests (生活保障)
 * and 12345 work orders for every role, inside and outside its jurisdiction.
 */
class TaskMatrixRows extends MatrixRows {

	/**
	 * Every supply-request route for every role, inside and outside its jurisdiction:
	 * without HANDLE_TASKS 403; a request (or resident) of another place does not exist
	 * for the caller (404); each call on a fresh request of its own.
	 */
	@Override
	protected List<DynamicTest> specialCases() {
		List<DynamicTest> tests = new ArrayList<>();
		byte[] png = java.util.Base64.getDecoder()
			.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
		for (Caller caller : this.callers.values()) {
			boolean handler = SPEC.get(caller.role()).contains(HANDLE_TASKS);
			tests.add(special("GET /api/v1/support-requests", caller, false,
					handler ? Outcome.ALLOWED : Outcome.FORBIDDEN, 200, () -> Call.get("/api/v1/support-requests")));
			for (Where where : List.of(Where.INSIDE, Where.OUTSIDE)) {
				Place place = caller.at(where);
				Outcome outcome = !handler ? Outcome.FORBIDDEN
						: where == Where.INSIDE ? Outcome.ALLOWED : Outcome.NOT_FOUND;
				String at = " " + where.name().toLowerCase() + " (" + place.label() + ")";
				tests.add(special("POST /api/v1/support-requests" + at, caller, false, outcome, 201,
						() -> Call.json("POST", "/api/v1/support-requests", Map.of("residentId",
								String.valueOf(place.residentId()), "kind", "MEDICINE", "detail", "矩阵药品"))));
				tests.add(special("GET /api/v1/support-requests/{id}" + at, caller, false, outcome, 200,
						() -> Call.get("/api/v1/support-requests/" + supplyRequest(place))));
				tests.add(special("GET /api/v1/support-requests/{id}/history" + at, caller, false, outcome, 200,
						() -> Call.get("/api/v1/support-requests/" + supplyRequest(place) + "/history")));
				tests.add(special("POST /api/v1/support-requests/{id}/transitions" + at, caller, false, outcome, 200,
						() -> Call.json("POST", "/api/v1/support-requests/" + supplyRequest(place) + "/transitions",
								Map.of("to", "FAILED", "note", "矩阵"))));
				tests.add(special("POST /api/v1/support-requests/{id}/assignee" + at, caller, false, outcome, 200,
						() -> Call.json("POST", "/api/v1/support-requests/" + supplyRequest(place) + "/assignee",
								Map.of("assigneeId", String.valueOf(place.accountId())))));
				tests.add(special("POST /api/v1/support-requests/{id}/photos" + at, caller, false, outcome, 201,
						() -> Call.multipart("/api/v1/support-requests/" + supplyRequest(place) + "/photos", Map.of(),
								new FilePart("photo.png", png))));
				tests.add(special("POST /tasks/support/{id}/move" + at, caller, true, outcome, 302,
						() -> Call.form("/tasks/support/" + supplyRequest(place) + "/move", Map.of("to", "ASSIGNED"))));
				// 12345 work orders: intake names a node (outside: 403, as every node
				// outside the jurisdiction); an order of another place does not exist
				// for the caller
				Outcome intake = !handler ? Outcome.FORBIDDEN
						: where == Where.INSIDE ? Outcome.ALLOWED : Outcome.FORBIDDEN;
				tests.add(special("POST /api/v1/work-orders" + at, caller, false, intake, 201,
						() -> Call.json("POST", "/api/v1/work-orders",
								Map.of("channel", "12345", "content", "矩阵工单", "callerPhone", "13800138000", "nodeId",
										String.valueOf(place.community().id()), "category", "其他"))));
				tests.add(special("POST /api/v1/work-orders/{id}/dispatch" + at, caller, false, outcome, 200,
						() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "NEW") + "/dispatch",
								Map.of("nodeId", String.valueOf(place.community().id())))));
				tests.add(special("POST /api/v1/work-orders/{id}/supervise" + at, caller, false, outcome, 200,
						() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "DISPATCHED") + "/supervise",
								Map.of("note", "矩阵督办"))));
				tests.add(special("POST /api/v1/work-orders/{id}/reply" + at, caller, false, outcome, 200,
						() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "DISPATCHED") + "/reply",
								Map.of("reply", "矩阵答复"))));
				tests.add(special("POST /api/v1/work-orders/{id}/close" + at, caller, false, outcome, 200,
						() -> Call.json("POST", "/api/v1/work-orders/" + workOrder(place, "REPLIED") + "/close",
								Map.of("satisfaction", "SATISFIED"))));
			}
			Outcome listing = handler ? Outcome.ALLOWED : Outcome.FORBIDDEN;
			tests.add(special("GET /api/v1/work-orders?overdue=true", caller, false, listing, 200,
					() -> Call.get("/api/v1/work-orders?overdue=true")));
			tests.add(special("GET /api/v1/work-orders/statistics", caller, false, listing, 200,
					() -> Call.get("/api/v1/work-orders/statistics")));
			tests
				.add(special("GET /tasks/deliveries", caller, true, listing, 200, () -> Call.get("/tasks/deliveries")));
			tests.add(special("GET /tasks/work-orders?overdue=true", caller, true, listing, 200,
					() -> Call.get("/tasks/work-orders?overdue=true")));
		}
		return tests;
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
