/** The demo: a whole site (gateway, simulated blood bank, real edge agent) on one computer. */
package org.sangfroid.demo;
