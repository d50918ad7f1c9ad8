/** Test parts that behave like the real ones: an embedded broker, a test gateway, a fake 1-Wire tree, a clock. */
package org.sangfroid.agent.testkit;
