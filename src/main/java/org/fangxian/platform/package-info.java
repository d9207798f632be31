/**
 * What every module runs on: the embedded database for one-command start-up, the clock,
 * languages, and the uniform error answers (RFC 9457 problems for the API, friendly pages
 * for people).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Platform")
package org.fangxian.platform;
