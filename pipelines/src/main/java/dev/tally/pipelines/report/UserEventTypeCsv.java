package dev.tally.pipelines.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The user x event type table as CSV: {@code user_id}, one column per event type (name order), {@code total};
 * every user, most events first (ties by user id).
 */
public final class UserEventTypeCsv {
  private UserEventTypeCsv() {}

  public static void write(ReportData data, Appendable out) throws IOException {
    List<String> types = data.eventTypes();
    List<String> header = new ArrayList<>();
    header.add("user_id");
    header.addAll(types);
    header.add("total");
    try (CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).build().print(out)) {
      for (UserRow user : data.users()) {
        List<Object> row = new ArrayList<>();
        row.add(user.userId());
        types.forEach(type -> row.add(user.events(type)));
        row.add(user.total());
        csv.printRecord(row);
      }
    }
  }
}
