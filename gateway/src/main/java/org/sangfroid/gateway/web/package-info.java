/**
 * The gateway's web app and JSON API (Javalin): logins and sessions, the dashboard with live
 * updates, the alarm inbox, in English and French.
 */
package org.sangfroid.gateway.web;
