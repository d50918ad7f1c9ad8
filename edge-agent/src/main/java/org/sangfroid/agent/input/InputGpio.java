package org.sangfroid.agent.input;

import java.util.List;
import org.sangfroid.agent.config.AgentConfig;

/**
 * Opens the units' input pins. The agent calls it at most once, while starting, and only when a
 * unit has an input, so configurations without inputs never load Pi4J.
 */
@FunctionalInterface
public interface InputGpio {

  /**
   * @param pins every input pin of the configuration, each pin once
   * @return the reader of their levels; closing it releases the pins
   */
  PinReader open(List<AgentConfig.InputPin> pins);
}
