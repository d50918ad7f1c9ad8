/** The commissioning self-test: every probe read once and checked, and the broker connection tried. */
package org.sangfroid.agent.selftest;
