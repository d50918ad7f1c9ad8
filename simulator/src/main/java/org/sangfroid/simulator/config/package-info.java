/** The simulator's YAML configuration: one immutable record tree, validated all at once. */
package org.sangfroid.simulator.config;
