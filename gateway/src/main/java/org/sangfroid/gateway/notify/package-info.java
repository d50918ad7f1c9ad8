/** Alarm notifications: e-mail over SMTP and signed webhooks, retried with backoff, then dead letters. */
package org.sangfroid.gateway.notify;
