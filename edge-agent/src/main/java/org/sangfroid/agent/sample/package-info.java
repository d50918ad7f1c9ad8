/** The sampling loop: reads every probe once per tick and stores the tick in the outbox. */
package org.sangfroid.agent.sample;
