/** The units' digital inputs on GPIO (door contact, mains-power sense, agitator motion), polled and debounced into changes. */
package org.sangfroid.agent.input;
