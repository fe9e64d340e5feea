package dev.tally.generator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tally.model.EventField;
import dev.tally.model.EventType;
import dev.tally.model.ReasonCode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Makes the record at each position of a {@link Plan}: the event's values, the one defect of an invalid
 * record, and the line in CSV or JSON Lines. Not thread-safe (it reuses a CSV printer).
 */
final class RecordFactory {
  private static final int FIELD_COUNT = EventField.values().length;
  private static final int EVENT_ID = EventField.EVENT_ID.ordinal();
  private static final int USER_ID = EventField.USER_ID.ordinal();
  private static final int EVENT_TYPE = EventField.EVENT_TYPE.ordinal();
  private static final int EVENT_TIME = EventField.EVENT_TIME.ordinal();
  private static final int PRODUCT_ID = EventField.PRODUCT_ID.ordinal();
  private static final int CATEGORY = EventField.CATEGORY.ordinal();
  private static final int PRICE = EventField.PRICE.ordinal();
  private static final int CURRENCY = EventField.CURRENCY.ordinal();
  private static final int DEVICE = EventField.DEVICE.ordinal();
  private static final int LOCATION = EventField.LOCATION.ordinal();
  private static final int SESSION_ID = EventField.SESSION_ID.ordinal();

  private static final EventType[] TYPES = {
    EventType.VIEW,
    EventType.SEARCH,
    EventType.ADD_TO_CART,
    EventType.REMOVE_FROM_CART,
    EventType.PURCHASE,
    EventType.LOGIN,
    EventType.LOGOUT,
  };
  private static final double[] TYPE_CDF = cumulative(55, 12, 12, 4, 6, 6, 5);
  /** Event types that carry a product; a negative price goes on one of them. */
  private static final EventType[] PRODUCT_TYPES = {EventType.VIEW, EventType.ADD_TO_CART, EventType.PURCHASE};

  private static final String[] CATEGORIES = {
    "electronics", "books", "clothing", "home", "toys", "sports", "beauty", "grocery",
  };
  private static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "ES", "IT", "NL", "IE", "AT", "BE"};
  private static final String[] CURRENCIES = {"USD", "GBP", "EUR", "EUR", "EUR", "EUR", "EUR", "EUR", "EUR", "EUR"};
  private static final double[] COUNTRY_CDF = cumulative(35, 15, 15, 10, 7, 7, 5, 2, 2, 2);
  private static final String[] DEVICES = {"web", "ios", "android"};
  private static final double[] DEVICE_CDF = cumulative(45, 30, 25);

  private static final int PRODUCTS = 2000;
  private static final double USER_SKEW = 0.8;
  private static final double PRODUCT_SKEW = 0.9;
  private static final long MIN_PRICE_CENTS = 100;
  private static final long MAX_PRICE_CENTS = 50_000;
  private static final long SESSION_MS = 30 * 60 * 1000L;
  private static final long SALT_CATALOG = 0x434154414c4f4755L;
  private static final long SALT_SESSION = 0x53455353494f4e53L;

  private static final String[] UNKNOWN_TYPES = {"teleport", "View", "PURCHASE", "page_view", "checkout"};
  private static final String[] BAD_NUMBERS = {"12.3.4", "abc", "1,99", "$9.99", "9.99999"};

  static final DateTimeFormatter EVENT_TIME_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SPACE_TIME_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ZONELESS_TIME_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();
  private static final JsonFactory JSON = new JsonFactory();

  private final Plan plan;
  private final boolean csv;
  private final long sessionBase;

  // Users and products: popularity ranks drawn Zipf-like, mapped to shuffled ids so the heavy users differ
  // with the seed.
  private final double[] userCdf;
  private final int[] userByRank;
  private final byte[] userCountry;
  private final byte[] userDevice;
  private final double[] productCdf;
  private final int[] productByRank;
  private final byte[] productCategory;
  private final long[] productCents;

  private final StringBuilder csvLine = new StringBuilder(256);
  private final CSVPrinter csvPrinter;

  RecordFactory(Plan plan) {
    this.plan = plan;
    GeneratorConfig config = plan.config;
    this.csv = config.format() == OutputFormat.CSV;
    this.sessionBase = Plan.mix64(config.seed() ^ SALT_SESSION);
    SplittableRandom random = new SplittableRandom(Plan.mix64(config.seed() ^ SALT_CATALOG));

    int users = config.users();
    this.userCdf = zipfCdf(users, USER_SKEW);
    this.userByRank = shuffledIds(users, random);
    this.userCountry = new byte[users + 1];
    this.userDevice = new byte[users + 1];
    for (int user = 1; user <= users; user++) {
      userCountry[user] = (byte) pick(COUNTRY_CDF, random);
      userDevice[user] = (byte) pick(DEVICE_CDF, random);
    }

    this.productCdf = zipfCdf(PRODUCTS, PRODUCT_SKEW);
    this.productByRank = shuffledIds(PRODUCTS, random);
    this.productCategory = new byte[PRODUCTS + 1];
    this.productCents = new long[PRODUCTS + 1];
    double logMin = Math.log(MIN_PRICE_CENTS);
    double logMax = Math.log(MAX_PRICE_CENTS);
    for (int product = 1; product <= PRODUCTS; product++) {
      productCategory[product] = (byte) random.nextInt(CATEGORIES.length);
      // Log-uniform: many cheap products, a few expensive ones.
      long cents = Math.round(Math.exp(logMin + random.nextDouble() * (logMax - logMin)));
      productCents[product] = Math.max(MIN_PRICE_CENTS, Math.min(MAX_PRICE_CENTS, cents));
    }

    try {
      this.csvPrinter = new CSVPrinter(csvLine, CSV);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record at a position, going to line {@code lineNumber} of {@code file}. */
  GeneratedRecord record(int position, String file, long lineNumber) {
    SplittableRandom random = plan.random(position);
    RecordKind kind = plan.kind(position);
    switch (kind) {
      case VALID:
        return valid(kind, draft(position, random, plan.baseTimeMs(position), null), file, lineNumber);
      case LATE:
        return valid(kind, draft(position, random, plan.lateTimeMs(position, random), null), file, lineNumber);
      case DUPLICATE:
        GeneratedRecord original = record(plan.duplicateSource(position, random), file, lineNumber);
        return new GeneratedRecord(
            original.line(),
            RecordKind.DUPLICATE,
            null,
            file,
            lineNumber,
            original.eventId(),
            original.userId(),
            original.eventType(),
            original.eventTime(),
            original.price());
      case INVALID:
        ReasonCode reason = plan.reason(position);
        return new GeneratedRecord(
            invalidLine(position, random, reason), kind, reason, file, lineNumber, null, null, null, null, null);
      default:
        throw new AssertionError(kind);
    }
  }

  private GeneratedRecord valid(RecordKind kind, Draft draft, String file, long lineNumber) {
    return new GeneratedRecord(
        render(draft),
        kind,
        null,
        file,
        lineNumber,
        draft.values[EVENT_ID],
        draft.values[USER_ID],
        draft.type,
        Instant.ofEpochMilli(draft.timeMs),
        draft.price);
  }

  /** A valid event's values; {@code forcedType} overrides the drawn event type when not null. */
  private Draft draft(int position, SplittableRandom random, long timeMs, EventType forcedType) {
    Draft draft = new Draft();
    String[] values = draft.values;
    int user = userByRank[pick(userCdf, random)];
    EventType drawnType = TYPES[pick(TYPE_CDF, random)];
    EventType type = forcedType != null ? forcedType : drawnType;
    draft.type = type;
    draft.timeMs = timeMs;
    values[EVENT_ID] = plan.eventId(position);
    values[USER_ID] = String.format(Locale.ROOT, "user-%05d", user);
    values[EVENT_TYPE] = type.wireName();
    values[EVENT_TIME] = EVENT_TIME_FORMAT.format(Instant.ofEpochMilli(timeMs));

    int product = productByRank[pick(productCdf, random)];
    draft.productCents = productCents[product];
    double priceDraw = random.nextDouble();
    boolean hasPrice;
    switch (type) {
      case VIEW:
        values[PRODUCT_ID] = String.format(Locale.ROOT, "prod-%05d", product);
        values[CATEGORY] = CATEGORIES[productCategory[product]];
        hasPrice = priceDraw < 0.9;
        break;
      case ADD_TO_CART:
      case REMOVE_FROM_CART:
        values[PRODUCT_ID] = String.format(Locale.ROOT, "prod-%05d", product);
        values[CATEGORY] = CATEGORIES[productCategory[product]];
        hasPrice = priceDraw < 0.95;
        break;
      case PURCHASE:
        values[PRODUCT_ID] = String.format(Locale.ROOT, "prod-%05d", product);
        values[CATEGORY] = CATEGORIES[productCategory[product]];
        hasPrice = true;
        break;
      case SEARCH:
        // Some searches are within a category.
        values[CATEGORY] = priceDraw < 0.3 ? CATEGORIES[productCategory[product]] : null;
        hasPrice = false;
        break;
      default:
        hasPrice = false;
        break;
    }
    int country = userCountry[user];
    draft.currency = CURRENCIES[country];
    if (hasPrice) {
      draft.price = BigDecimal.valueOf(productCents[product], 2);
      values[PRICE] = draft.price.toPlainString();
      values[CURRENCY] = draft.currency;
    }
    int device = random.nextDouble() < 0.85 ? userDevice[user] : random.nextInt(DEVICES.length);
    values[DEVICE] = random.nextDouble() < 0.99 ? DEVICES[device] : null;
    values[LOCATION] = random.nextDouble() < 0.98 ? COUNTRIES[country] : null;
    long bucket = Math.floorDiv(timeMs, SESSION_MS);
    values[SESSION_ID] =
        "sess-" + Plan.hex(Plan.mix64(sessionBase + user * 0x9e3779b97f4a7c15L + bucket * 0xc2b2ae3d27d4eb4fL), 12);
    return draft;
  }

  /** A record with exactly one defect: the one {@code reason} names. */
  private String invalidLine(int position, SplittableRandom random, ReasonCode reason) {
    long timeMs = plan.baseTimeMs(position);
    Draft draft;
    switch (reason) {
      case MALFORMED_RECORD:
        return malformed(draft(position, random, timeMs, null), random);
      case MISSING_REQUIRED_FIELD:
        draft = draft(position, random, timeMs, null);
        // Empty, whitespace, or (JSON Lines only) left out.
        int variant = random.nextInt(csv ? 2 : 3);
        draft.values[USER_ID] = variant == 0 ? "" : variant == 1 ? " " : null;
        return render(draft);
      case UNKNOWN_EVENT_TYPE:
        draft = draft(position, random, timeMs, null);
        draft.values[EVENT_TYPE] = UNKNOWN_TYPES[random.nextInt(UNKNOWN_TYPES.length)];
        return render(draft);
      case INVALID_TIMESTAMP:
        draft = draft(position, random, timeMs, null);
        Instant time = Instant.ofEpochMilli(timeMs);
        String[] badTimes = {
          "2026-11-23 25:99",
          "not-a-time",
          SPACE_TIME_FORMAT.format(time),
          ZONELESS_TIME_FORMAT.format(time),
          Long.toString(timeMs),
        };
        draft.values[EVENT_TIME] = badTimes[random.nextInt(badTimes.length)];
        return render(draft);
      case INVALID_NUMBER:
        draft = draft(position, random, timeMs, PRODUCT_TYPES[random.nextInt(PRODUCT_TYPES.length)]);
        draft.price = null; // written as a JSON string, not a number
        draft.values[PRICE] = BAD_NUMBERS[random.nextInt(BAD_NUMBERS.length)];
        draft.values[CURRENCY] = draft.currency;
        return render(draft);
      case NEGATIVE_PRICE:
        draft = draft(position, random, timeMs, PRODUCT_TYPES[random.nextInt(PRODUCT_TYPES.length)]);
        draft.price = BigDecimal.valueOf(-draft.productCents, 2);
        draft.values[PRICE] = draft.price.toPlainString();
        draft.values[CURRENCY] = draft.currency;
        return render(draft);
      case PURCHASE_WITHOUT_PRICE:
        draft = draft(position, random, timeMs, EventType.PURCHASE);
        draft.price = null;
        draft.values[PRICE] = null;
        draft.values[CURRENCY] = null;
        return render(draft);
      default:
        throw new AssertionError("not an injected reason: " + reason);
    }
  }

  /** CSV: a wrong column count. JSON Lines: a truncated object. */
  private String malformed(Draft draft, SplittableRandom random) {
    if (csv) {
      String[] columns;
      if (random.nextInt(4) == 0) {
        columns = Arrays.copyOf(renderedCsvValues(draft), FIELD_COUNT + 1);
        columns[FIELD_COUNT] = "extra";
      } else {
        columns = Arrays.copyOf(renderedCsvValues(draft), 2 + random.nextInt(FIELD_COUNT - 2));
      }
      return csvLine(columns);
    }
    String json = render(draft);
    int half = json.length() / 2;
    return json.substring(0, half + random.nextInt(json.length() - 1 - half));
  }

  private String render(Draft draft) {
    return csv ? csvLine(renderedCsvValues(draft)) : jsonLine(draft);
  }

  private static String[] renderedCsvValues(Draft draft) {
    String[] columns = new String[FIELD_COUNT];
    for (int i = 0; i < FIELD_COUNT; i++) {
      columns[i] = draft.values[i] == null ? "" : draft.values[i];
    }
    return columns;
  }

  private String csvLine(String[] columns) {
    csvLine.setLength(0);
    try {
      csvPrinter.printRecord((Object[]) columns);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return csvLine.substring(0, csvLine.length() - 1);
  }

  private static String jsonLine(Draft draft) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      json.writeStartObject();
      for (EventField field : EventField.values()) {
        String value = draft.values[field.ordinal()];
        if (value == null) {
          continue;
        }
        if (field.ordinal() == PRICE && draft.price != null) {
          json.writeNumberField(field.wireName(), draft.price);
        } else {
          json.writeStringField(field.wireName(), value);
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** An event's field texts (null: absent) with the typed values behind them. */
  private static final class Draft {
    final String[] values = new String[FIELD_COUNT];
    EventType type;
    long timeMs;
    BigDecimal price;
    long productCents;
    /** The user's currency, for whenever a price is written. */
    String currency;
  }

  private static double[] cumulative(double... weights) {
    double[] cdf = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      cdf[i] = sum;
    }
    for (int i = 0; i < cdf.length; i++) {
      cdf[i] /= sum;
    }
    cdf[cdf.length - 1] = 1.0;
    return cdf;
  }

  private static double[] zipfCdf(int count, double skew) {
    double[] weights = new double[count];
    for (int rank = 0; rank < count; rank++) {
      weights[rank] = Math.pow(rank + 1, -skew);
    }
    return cumulative(weights);
  }

  /** The first index whose cumulative share exceeds a uniform draw. */
  private static int pick(double[] cdf, SplittableRandom random) {
    double draw = random.nextDouble();
    int low = 0;
    int high = cdf.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cdf[mid] > draw) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** Ids 1..count in random order: element r is the id of popularity rank r. */
  private static int[] shuffledIds(int count, SplittableRandom random) {
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = i + 1;
    }
    for (int i = count - 1; i > 0; i--) {
      int other = random.nextInt(i + 1);
      int swap = ids[i];
      ids[i] = ids[other];
      ids[other] = swap;
    }
    return ids;
  }
}
