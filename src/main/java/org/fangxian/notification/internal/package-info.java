/**
 * The notification module's own parts: the SMPP 3.4 client for the operator's SMS centre
 * with its delivery receipts, and the public address that links in texts start with.
 */
package org.fangxian.notification.internal;
