/** The gateway's HTTP API (Javalin): health, units with their last reading, readings, alarms, metrics. */
package org.sangfroid.gateway.web;
