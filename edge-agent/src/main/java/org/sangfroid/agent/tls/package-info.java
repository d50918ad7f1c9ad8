/**
 * TLS to the broker from PEM files: the CA that signed the broker's certificate and, optionally,
 * this agent's client certificate and key. JDK only; Paho gets an {@code SSLSocketFactory}.
 */
package org.sangfroid.agent.tls;
