package dev.tally.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tally.model.InputFormat;
import dev.tally.schema.RecordFormat;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * ParseEvents splits a line without quotes or line breaks itself instead of through Commons CSV: for any such
 * line, in any delimiter and quote, its columns must be exactly Commons CSV's; any other line must be left to
 * Commons CSV.
 */
class UnquotedCsvSplitPropertiesTest {

  @Property(tries = 3000)
  void anUnquotedLineSplitsExactlyAsCommonsCsv(
      @ForAll("lines") String line, @ForAll("delimiters") char delimiter, @ForAll("quotes") char quote)
      throws IOException {
    CSVFormat csv = ParseEvents.csvFormat(new RecordFormat(InputFormat.CSV, delimiter, quote, true));
    List<String> split = ParseEvents.splitUnquoted(line, csv);
    boolean plain = !line.isBlank() && line.indexOf(quote) < 0 && line.indexOf('\n') < 0 && line.indexOf('\r') < 0;
    if (!plain) {
      assertNull(split, line);
      return;
    }
    assertNotNull(split, line);
    try (CSVParser parser = CSVParser.parse(line, csv)) {
      List<CSVRecord> rows = parser.getRecords();
      assertEquals(1, rows.size(), line);
      assertEquals(rows.get(0).toList(), split, line);
    }
  }

  @Test
  void keepsEmptyAndTrailingColumnsAndSpaces() {
    CSVFormat csv = ParseEvents.csvFormat(new RecordFormat(InputFormat.CSV, ',', '"', true));
    assertEquals(List.of("", " a ", "", "b", ""), ParseEvents.splitUnquoted(", a ,,b,", csv));
    assertEquals(List.of("x"), ParseEvents.splitUnquoted("x", csv));
    assertNull(ParseEvents.splitUnquoted("a,\"b\"", csv));
    assertNull(ParseEvents.splitUnquoted("a\r\nb", csv));
  }

  @Provide
  Arbitrary<String> lines() {
    return Arbitraries.strings().withChars(",;|\t\"' \r\nab1.-:é").ofMinLength(0).ofMaxLength(30);
  }

  @Provide
  Arbitrary<Character> delimiters() {
    return Arbitraries.of(',', ';', '|', '\t');
  }

  @Provide
  Arbitrary<Character> quotes() {
    return Arbitraries.of('"', '\'');
  }
}
