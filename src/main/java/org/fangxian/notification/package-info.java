/**
 * Messages to residents (SMS reminders, notices of sealing and release): a persistent
 * outbox written with the change that causes the message, and a dispatcher that hands it
 * to an {@link org.fangxian.notification.SmsGateway} with retries and without double
 * sending.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notification")
package org.fangxian.notification;
