/**
 * What every module's pages share: the message helper and the path of a refused form
 * ({@link org.fangxian.shared.web.PageMessages}).
 */
package org.fangxian.shared.web;
