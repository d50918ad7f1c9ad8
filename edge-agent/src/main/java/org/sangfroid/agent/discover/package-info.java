/** Finding what is wired to the device, for the technician's {@code discover}. */
package org.sangfroid.agent.discover;
