/**
 * Wireless temperature nodes as the edge agent meets them: CoAP servers, plain or DTLS with a
 * pre-shared key, serving an observable IPSO temperature object in SenML JSON.
 */
package org.sangfroid.simulator.coap;
