/**
 * Reading YAML configuration with the line of every value, so each error says
 * {@code file:line: what is wrong}, and all errors of a file are reported at once.
 */
package org.sangfroid.core.config;
