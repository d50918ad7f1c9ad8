/**
 * The gateway's configuration file: one immutable record tree, validated all at once, every
 * problem reported as {@code file:line: what}.
 */
package org.sangfroid.gateway.config;
