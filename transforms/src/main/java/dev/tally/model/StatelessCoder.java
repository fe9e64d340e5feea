package dev.tally.model;

import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Base of Tally's hand-written coders, which hold no configuration: any two instances of one coder class are
 * equal. Beam compares coders with equals (Flink, for one, refuses to flatten collections whose coders differ),
 * and CustomCoder's default is identity. Their encodings are deterministic.
 */
public abstract class StatelessCoder<T> extends CustomCoder<T> {
  @Override
  public boolean equals(Object other) {
    return other != null && other.getClass() == getClass();
  }

  @Override
  public int hashCode() {
    return getClass().hashCode();
  }

  @Override
  public void verifyDeterministic() {}
}
