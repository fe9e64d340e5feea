package dev.tally.generator;

import dev.tally.model.ReasonCode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which kind of record goes at each position, and each position's event time. Everything a record needs is a
 * function of the config and its position, so a record can be generated again from its position (duplicates
 * regenerate the record they copy) and nothing but this layout has to stay in memory: about 5 bytes per record.
 */
final class Plan {
  static final long HOUR_MS = 3_600_000L;

  private static final byte VALID = 0;
  private static final byte LATE = 1;
  private static final byte DUPLICATE = 2;
  private static final byte INVALID_BASE = 3; // + index into injectedReasons

  // Salts keep the seeded streams apart.
  private static final long SALT_LAYOUT = 0x4c41594f55544c59L;
  private static final long SALT_TIME = 0x54494d454a495454L;
  private static final long SALT_RECORD = 0x5245434f52445353L;
  private static final long SALT_EVENT_ID = 0x4556454e54494453L;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /** Duplicates copy one of the last few valid records most of the time (a retry), else any earlier one. */
  private static final double RECENT_SOURCE_SHARE = 0.7;
  private static final int RECENT_SOURCE_WINDOW = 200;

  final GeneratorConfig config;
  /** The defects the config's schema can carry, one per invalid record. */
  final List<ReasonCode> injectedReasons;
  final int size;
  final long startMs;
  final long spanMs;
  private final byte[] codes;
  /** Positions of VALID and LATE records, ascending: the records duplicates may copy. */
  private final int[] sources;
  private final long timeBase;
  private final long recordBase;
  private final long eventIdBase;

  Plan(GeneratorConfig config) {
    this.config = config;
    this.injectedReasons = new Defects(config.schema()).reasons();
    this.size = config.events();
    this.startMs = config.start().toEpochMilli();
    this.spanMs = config.span().toMillis();
    long seed = config.seed();
    this.timeBase = mix64(seed ^ SALT_TIME);
    this.recordBase = mix64(seed ^ SALT_RECORD);
    this.eventIdBase = mix64(seed ^ SALT_EVENT_ID);
    this.codes = new byte[size];
    layOut(new SplittableRandom(mix64(seed ^ SALT_LAYOUT)));
    int sourceCount = 0;
    for (byte code : codes) {
      if (code == VALID || code == LATE) {
        sourceCount++;
      }
    }
    this.sources = new int[sourceCount];
    for (int i = 0, next = 0; i < size; i++) {
      if (codes[i] == VALID || codes[i] == LATE) {
        sources[next++] = i;
      }
    }
  }

  private void layOut(SplittableRandom random) {
    int n = size;
    if (n == 0) {
      return;
    }
    int invalid = (int) Math.min(Math.round(n * config.invalidRate()), n);
    int duplicates = (int) Math.min(Math.round(n * config.writtenDuplicateRate()), n - invalid);
    // A late record is late relative to the record before it, so position 0 cannot be late.
    int late = (int) Math.min(Math.round(n * config.lateRate()), Math.min(n - invalid - duplicates, n - 1));
    int valid = n - invalid - duplicates - late;
    if (valid == 0 && duplicates > 0) {
      // A duplicate needs an earlier valid record to copy.
      duplicates--;
      valid++;
    }

    // Late records go where the record before them is at least an hour after start, so that their event time
    // (1 to 3 hours earlier) stays in [start, start + span). With too short a span that is impossible: then
    // they may go anywhere after position 0 and their times may precede start.
    long firstEligible = 1 + ceilDiv(HOUR_MS * n, spanMs);
    if (firstEligible > n || n - firstEligible < late) {
      firstEligible = 1;
    }
    int lateLeft = late;
    for (int i = (int) firstEligible, remaining = n - (int) firstEligible; i < n; i++, remaining--) {
      if (random.nextInt(remaining) < lateLeft) {
        codes[i] = LATE;
        lateLeft--;
      }
    }

    // Position 0 is valid whenever anything is, so every duplicate has an earlier record to copy.
    int validLeft = valid;
    int invalidLeft = invalid;
    int duplicatesLeft = duplicates;
    if (validLeft > 0) {
      codes[0] = VALID;
      validLeft--;
    } else {
      codes[0] = INVALID_BASE;
      invalidLeft--;
    }
    int remaining = validLeft + invalidLeft + duplicatesLeft;
    for (int i = 1; i < n; i++) {
      if (codes[i] == LATE) {
        continue;
      }
      int pick = random.nextInt(remaining);
      if (pick < invalidLeft) {
        codes[i] = INVALID_BASE;
        invalidLeft--;
      } else if (pick < invalidLeft + duplicatesLeft) {
        codes[i] = DUPLICATE;
        duplicatesLeft--;
      } else {
        codes[i] = VALID;
        validLeft--;
      }
      remaining--;
    }

    // Reasons: as even a mix as the count allows, in random order.
    int[] reasons = new int[invalid];
    for (int k = 0; k < invalid; k++) {
      reasons[k] = k % injectedReasons.size();
    }
    for (int k = invalid - 1; k > 0; k--) {
      int other = random.nextInt(k + 1);
      int swap = reasons[k];
      reasons[k] = reasons[other];
      reasons[other] = swap;
    }
    for (int i = 0, k = 0; i < n; i++) {
      if (codes[i] == INVALID_BASE) {
        codes[i] = (byte) (INVALID_BASE + reasons[k++]);
      }
    }
  }

  RecordKind kind(int position) {
    byte code = codes[position];
    if (code == VALID) {
      return RecordKind.VALID;
    } else if (code == LATE) {
      return RecordKind.LATE;
    } else if (code == DUPLICATE) {
      return RecordKind.DUPLICATE;
    }
    return RecordKind.INVALID;
  }

  /** The injected defect at an INVALID position. */
  ReasonCode reason(int position) {
    return injectedReasons.get(codes[position] - INVALID_BASE);
  }

  /**
   * The event time of in-order records at a position: stratified over [start, start + span), one stratum per
   * position with a random offset inside it, so times never decrease with the position.
   */
  long baseTimeMs(int position) {
    double unit = (mix64(timeBase + position * GOLDEN_GAMMA) >>> 11) * 0x1.0p-53;
    long offset = (long) Math.floor(spanMs * ((position + unit) / size));
    return startMs + Math.min(offset, spanMs - 1);
  }

  /**
   * A late record's event time: 1 to 3 hours before the base time of the position before it (so at least an
   * hour before every in-order record around it), and not before start when the position allows that.
   */
  long lateTimeMs(int position, SplittableRandom random) {
    long reference = baseTimeMs(position - 1);
    long available = reference - startMs;
    long maxDelay = available >= HOUR_MS ? Math.min(3 * HOUR_MS, available) : 3 * HOUR_MS;
    return reference - HOUR_MS - random.nextLong(maxDelay - HOUR_MS + 1);
  }

  /** The position of the VALID or LATE record a DUPLICATE position copies; always an earlier one. */
  int duplicateSource(int position, SplittableRandom random) {
    int earlier = -Arrays.binarySearch(sources, position) - 1;
    int index =
        random.nextDouble() < RECENT_SOURCE_SHARE
            ? earlier - 1 - random.nextInt(Math.min(earlier, RECENT_SOURCE_WINDOW))
            : random.nextInt(earlier);
    return sources[index];
  }

  /** The random stream for the record at a position; the same on every call. */
  SplittableRandom random(int position) {
    return new SplittableRandom(mix64(recordBase + position * GOLDEN_GAMMA));
  }

  /** A distinct id per position: mix64 is a bijection and so is position * GOLDEN_GAMMA. */
  String eventId(int position) {
    return "evt-" + hex(mix64(eventIdBase + position * GOLDEN_GAMMA), 16);
  }

  /** A distinct non-negative number per position, for event-id fields of type long. */
  long eventNumber(int position) {
    return mix63(eventIdBase + position * GOLDEN_GAMMA);
  }

  static String hex(long value, int digits) {
    String text = Long.toHexString(value);
    return text.length() >= digits ? text.substring(text.length() - digits) : "0".repeat(digits - text.length()) + text;
  }

  /** SplitMix64's finalizer: a bijection on longs with good avalanche. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * {@link #mix64}'s steps on the low 63 bits: each (xor-shift right, multiplication by an odd number modulo
   * 2^63) is a bijection there, so distinct positions get distinct non-negative numbers.
   */
  static long mix63(long z) {
    z &= Long.MAX_VALUE;
    z = ((z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L) & Long.MAX_VALUE;
    z = ((z ^ (z >>> 27)) * 0x94d049bb133111ebL) & Long.MAX_VALUE;
    return z ^ (z >>> 31);
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
