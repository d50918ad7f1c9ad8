/** The edge agent's composition root and command line: sensors, outbox and publisher wired together. */
package org.sangfroid.agent;
