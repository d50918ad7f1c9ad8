/**
 * Test parts that behave like the real ones: an embedded broker, a test gateway, a fake 1-Wire
 * tree, fake MAX31865 and SHT3x/SHT4x chips on fake buses, a clock and chip time.
 */
package org.sangfroid.agent.testkit;
