/**
 * Wireless temperature nodes over CoAP (Eclipse Californium): IPSO temperature objects observed
 * with SenML JSON payloads, over UDP or DTLS with pre-shared keys.
 */
package org.sangfroid.agent.sensor.coap;
