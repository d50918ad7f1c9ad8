package org.sangfroid.gateway.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.sangfroid.gateway.broker.Logins.Agent;
import org.sangfroid.gateway.broker.Logins.Gateway;
import org.sangfroid.gateway.broker.Logins.Login;
import org.sangfroid.gateway.broker.Logins.Refused;
import org.sangfroid.gateway.broker.PasswordFile.AgentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HiveMQ extension, registered in code, that applies {@link Logins} to every client: it
 * refuses a CONNECT at once (CONNACK "bad username or password" or "not authorized"), and checks
 * each PUBLISH and SUBSCRIBE.
 *
 * <p>A refused PUBLISH closes the client's connection (MQTT 3.1.1 has no negative PUBACK; an MQTT
 * 5 client gets "not authorized" first): the publisher sees it at once instead of a silent drop,
 * and nothing of it is delivered. A refused SUBSCRIBE gets the SUBACK failure code. Every refusal
 * is counted and logged with the user, the client id and the topic. Anything unexpected in here
 * refuses (fail closed).
 */
final class AccessExtension implements ExtensionMain, SimpleAuthenticator, PublishAuthorizer, SubscriptionAuthorizer {
  private static final Logger LOG = LoggerFactory.getLogger(AccessExtension.class);
  private static final String USER = "sangfroid.user";
  private static final String HASH = "sangfroid.hash";

  private final Logins logins;
  private final AtomicLong refusedLogins = new AtomicLong();
  private final AtomicLong refusedPublishes = new AtomicLong();
  private final AtomicLong refusedSubscriptions = new AtomicLong();
  private volatile boolean started;

  AccessExtension(Logins logins) {
    this.logins = logins;
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    Services.securityRegistry().setAuthenticatorProvider(in -> this);
    Services.securityRegistry().setAuthorizerProvider(in -> this);
    started = true;
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    started = false;
  }

  /** True once HiveMQ has started the extension: without it the broker would let anyone in. */
  boolean started() {
    return started;
  }

  long refusedLogins() {
    return refusedLogins.get();
  }

  long refusedPublishes() {
    return refusedPublishes.get();
  }

  long refusedSubscriptions() {
    return refusedSubscriptions.get();
  }

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    ConnectPacket connect = input.getConnectPacket();
    String clientId = connect.getClientId();
    Login login;
    try {
      login = logins.login(connect.getUserName(), connect.getPassword(), clientId,
          connect.getWillPublish().map(WillPublishPacket::getTopic));
    } catch (RuntimeException e) {
      LOG.error("MQTT login of client {} refused: unexpected error", printable(clientId), e);
      login = new Refused(false, "unexpected error");
    }
    ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
    if (login instanceof Gateway) {
      attributes.putAsString(USER, Logins.GATEWAY_USER);
      output.authenticateSuccessfully();
    } else if (login instanceof Agent a) {
      attributes.putAsString(USER, a.user().username());
      attributes.putAsString(HASH, a.hash().encoded());
      LOG.debug("MQTT login of {} as client {}", a.user().username(), printable(clientId));
      output.authenticateSuccessfully();
    } else {
      Refused r = (Refused) login;
      refusedLogins.incrementAndGet();
      LOG.warn("MQTT login refused: user [{}], client {} from {}: {}",
          printable(connect.getUserName().orElse("")), printable(clientId),
          input.getConnectionInformation().getInetAddress().map(Object::toString).orElse("?"), printable(r.why()));
      output.failAuthentication(
          r.badCredentials() ? ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD : ConnackReasonCode.NOT_AUTHORIZED,
          r.badCredentials() ? "bad username or password" : "not authorized");
    }
  }

  @Override
  public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
    String topic = input.getPublishPacket().getTopic();
    String clientId = input.getClientInformation().getClientId();
    ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
    try {
      Optional<String> user = attributes.getAsString(USER);
      if (user.isPresent() && Logins.GATEWAY_USER.equals(user.get())) {
        output.authorizeSuccessfully();
        return;
      }
      Optional<AgentUser> agent = user.flatMap(PasswordFile::agentUser);
      Optional<PasswordHash> hash = attributes.getAsString(HASH).map(PasswordHash::new);
      if (agent.isEmpty() || hash.isEmpty() || !logins.stillValid(agent.get(), hash.get())) {
        refusedPublishes.incrementAndGet();
        LOG.warn("MQTT publish refused and client disconnected: user [{}], client {}, topic {}: its login was"
            + " removed from the password file or given a new password", user.orElse("?"), printable(clientId),
            printable(topic));
        output.disconnectClient(DisconnectReasonCode.NOT_AUTHORIZED, "login revoked");
        return;
      }
      if (Logins.mayPublish(agent.get(), topic)) {
        output.authorizeSuccessfully();
        return;
      }
      refusedPublishes.incrementAndGet();
      LOG.warn("MQTT publish refused and client disconnected: user [{}], client {}, topic {}: an agent publishes"
          + " only under its own sangfroid/v1/{}/", agent.get().username(), printable(clientId), printable(topic),
          agent.get().username());
      output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not one of this agent's topics");
    } catch (RuntimeException e) {
      refusedPublishes.incrementAndGet();
      LOG.error("MQTT publish of client {} to {} refused: unexpected error", printable(clientId), printable(topic), e);
      output.failAuthorization();
    }
  }

  @Override
  public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
    String filter = input.getSubscription().getTopicFilter();
    String clientId = input.getClientInformation().getClientId();
    try {
      Optional<String> user =
          input.getConnectionInformation().getConnectionAttributeStore().getAsString(USER);
      if (user.isPresent() && Logins.GATEWAY_USER.equals(user.get())) {
        output.authorizeSuccessfully();
        return;
      }
      Optional<AgentUser> agent = user.flatMap(PasswordFile::agentUser);
      if (agent.isPresent() && Logins.maySubscribe(agent.get(), filter)) {
        output.authorizeSuccessfully();
        return;
      }
      refusedSubscriptions.incrementAndGet();
      LOG.warn("MQTT subscription refused: user [{}], client {}, filter {}: an agent reads only its own ack and"
          + " the gateway's state", user.orElse("?"), printable(clientId), printable(filter));
      output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not this agent's ack");
    } catch (RuntimeException e) {
      refusedSubscriptions.incrementAndGet();
      LOG.error("MQTT subscription of client {} to {} refused: unexpected error", printable(clientId),
          printable(filter), e);
      output.failAuthorization();
    }
  }

  /** Network text made safe for one log line (no forged lines, bounded length). */
  private static String printable(String s) {
    String clean = s.codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
  }
}
