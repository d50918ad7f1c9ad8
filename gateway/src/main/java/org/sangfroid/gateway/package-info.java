/**
 * The Sangfroid gateway: MQTT ingest, storage, excursion engine, alarms and HTTP API, wired by
 * {@link org.sangfroid.gateway.GatewayApp} and run by {@link org.sangfroid.gateway.GatewayMain}.
 */
package org.sangfroid.gateway;
