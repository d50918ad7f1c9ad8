package org.sangfroid.gateway.report;

import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.OptionalDouble;
import org.sangfroid.gateway.user.Language;

/**
 * CSV as a spreadsheet opens it by double-click in the reader's language: UTF-8 with a byte-order
 * mark (without it Excel reads UTF-8 as the Windows code page and "°C" turns into "Â°C"); in
 * French a semicolon between fields and a decimal comma (Excel in a French locale uses ";" as list
 * separator and "," as decimal mark, so a comma-separated file would land in one column), in
 * English a comma and a decimal point. Times as {@code 2026-11-23 10:05:00} in the gateway's zone,
 * which both locales read as a date. Text cells that a spreadsheet would run as a formula
 * (starting with =, +, -, @) get a leading apostrophe. Lines end with CRLF (RFC 4180).
 */
final class Csv {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final StringBuilder b = new StringBuilder("\ufeff");
  private final char separator;
  private final DecimalFormat decimal;
  private final DateTimeFormatter local;

  Csv(Words w) {
    boolean fr = w.language() == Language.FR;
    this.separator = fr ? ';' : ',';
    DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(w.locale());
    symbols.setDecimalSeparator(fr ? ',' : '.');
    symbols.setMinusSign('-');
    this.decimal = new DecimalFormat("0.###", symbols);
    this.local = LOCAL.withZone(w.zone());
  }

  char separator() {
    return separator;
  }

  /** One line: Strings are text, Numbers numbers, {@link OptionalDouble} a number or empty, null empty. */
  Csv row(Object... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(separator);
      }
      b.append(cell(cells[i]));
    }
    b.append("\r\n");
    return this;
  }

  String time(long epochMillis) {
    return local.format(Instant.ofEpochMilli(epochMillis));
  }

  private String cell(Object o) {
    if (o == null) {
      return "";
    }
    if (o instanceof OptionalDouble d) {
      return d.isPresent() ? decimal.format(d.getAsDouble()) : "";
    }
    if (o instanceof Double d) {
      return Double.isFinite(d) ? decimal.format(d) : "";
    }
    if (o instanceof Number n) {
      return n.toString();
    }
    String s = o.toString();
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.indexOf(separator) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      s = '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  byte[] bytes() {
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
