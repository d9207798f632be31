package org.fangxian.reporting.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import org.fangxian.reporting.internal.DailyReport;
import org.fangxian.reporting.internal.DailyReports;
import org.fangxian.reporting.internal.Dashboards;
import org.fangxian.reporting.internal.ReportDocuments;
import org.fangxian.security.CurrentUser;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of daily reports (日报), with the PDF and XLSX of each. */
@RestController
@RequestMapping("/api/v1/daily-reports")
class DailyReportApi {

	static final MediaType XLSX = MediaType
		.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

	private final DailyReports reports;

	private final ReportDocuments documents;

	private final Dashboards dashboards;

	private final org.springframework.context.MessageSource messages;

	DailyReportApi(DailyReports reports, ReportDocuments documents, Dashboards dashboards,
			org.springframework.context.MessageSource messages) {
		this.messages = messages;
		this.reports = reports;
		this.documents = documents;
		this.dashboards = dashboards;
	}

	record NewReport(String code, String date) {
	}

	record Texts(String workDone, String problems, String plans) {
	}

	record Reopen(String reason) {
	}

	/**
	 * 201 with a new draft; 200 with the existing report when the node already has one
	 * that day.
	 */
	@PostMapping
	ResponseEntity<DailyReport> create(CurrentUser user, @RequestBody NewReport body) {
		DailyReports.Created created = this.reports.create(user, body.code(), body.date());
		return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK).body(created.report());
	}

	@GetMapping
	List<DailyReport> history(CurrentUser user, @RequestParam String code,
			@RequestParam(defaultValue = "30") int days) {
		return this.reports.history(user, this.dashboards.node(user, code), Math.max(1, Math.min(days, 366)));
	}

	@GetMapping("/{id}")
	DailyReport get(CurrentUser user, @PathVariable long id) {
		return this.reports.get(user, id);
	}

	@PutMapping("/{id}")
	DailyReport edit(CurrentUser user, @PathVariable long id, @RequestBody Texts body) {
		return this.reports.edit(user, id, body.workDone(), body.problems(), body.plans());
	}

	@PostMapping("/{id}/submit")
	DailyReport submit(CurrentUser user, @PathVariable long id) {
		return this.reports.submit(user, id);
	}

	@PostMapping("/{id}/reopen")
	DailyReport reopen(CurrentUser user, @PathVariable long id, @RequestBody Reopen body) {
		return this.reports.reopen(user, id, body.reason());
	}

	@GetMapping("/{id}.pdf")
	ResponseEntity<byte[]> pdf(CurrentUser user, @PathVariable long id) {
		DailyReport report = this.reports.get(user, id);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.documents.pdf(report, out);
		return file(out.toByteArray(), MediaType.APPLICATION_PDF, report, "pdf");
	}

	@GetMapping("/{id}.xlsx")
	ResponseEntity<byte[]> xlsx(CurrentUser user, @PathVariable long id) throws IOException {
		DailyReport report = this.reports.get(user, id);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		this.documents.xlsx(report, out);
		return file(out.toByteArray(), XLSX, report, "xlsx");
	}

	static ResponseEntity<byte[]> file(byte[] bytes, MediaType type, DailyReport report, String extension) {
		String name = "日报-" + report.name() + "-" + report.date() + "." + extension;
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename(name, java.nio.charset.StandardCharsets.UTF_8)
						.build()
						.toString())
			.header(HttpHeaders.CACHE_CONTROL, "no-store")
			.body(bytes);
	}

	@ExceptionHandler(DailyReport.Locked.class)
	ResponseEntity<ProblemDetail> locked(DailyReport.Locked ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				this.messages.getMessage("report.locked", null, "report.locked",
						org.springframework.context.i18n.LocaleContextHolder.getLocale()));
		problem.setProperty("code", "report.locked");
		return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
	}

}
