/** The agent's YAML configuration, read into one immutable record tree and validated all at once. */
package org.sangfroid.agent.config;
