/** The agent's logging set-up: console output for systemd's journal, configured in code. */
package org.sangfroid.agent.logging;
