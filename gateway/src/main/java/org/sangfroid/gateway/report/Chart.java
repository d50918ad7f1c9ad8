package org.sangfroid.gateway.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.sangfroid.gateway.store.ReadingRow;

/**
 * The readings drawn as vector graphics into a report: the temperature line (broken where there
 * was no valid reading for longer than {@code gap}), the acceptable range's limits as dashed
 * lines, the alarm's own limit in red, and the alarm's period shaded. Many readings are reduced to
 * the lowest and highest of each point of width, so peaks stay visible.
 */
final class Chart {
  private static final Color LINE = new Color(0x1f, 0x4e, 0x8c);
  private static final Color RANGE = new Color(0x2e, 0x7d, 0x32);
  private static final Color ALARM = new Color(0xc6, 0x28, 0x28);
  private static final Color SHADE = new Color(0xfd, 0xe0, 0xe0);

  private Chart() {}

  /**
   * Draws the chart below the cursor.
   *
   * @param low the acceptable range's low limit, NaN for none (and {@code high} likewise)
   * @param limit the alarm rule's limit, NaN for none
   * @param shadeFrom start of the shaded period (the alarm), {@code shadeTo} its end; equal for none
   */
  static void draw(Pdf pdf, Words w, List<ReadingRow> readings, long from, long to, double low, double high,
      double limit, long shadeFrom, long shadeTo, long gap, float height) {
    float bottom = pdf.reserve(height);
    float left = Pdf.MARGIN + 42;
    float right = Pdf.MARGIN + Pdf.WIDTH;
    float plotBottom = bottom + 28;
    float top = bottom + height - 16;
    PDPageContentStream c = pdf.canvas();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ReadingRow r : readings) {
      if (r.value().isPresent()) {
        min = Math.min(min, r.value().getAsDouble());
        max = Math.max(max, r.value().getAsDouble());
      }
    }
    for (double d : new double[] {low, high, limit}) {
      if (!Double.isNaN(d)) {
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
    }
    if (min > max) {
      min = 0;
      max = 10;
    }
    double pad = Math.max(0.5, (max - min) * 0.08);
    double yMin = Math.floor(min - pad);
    double yMax = Math.ceil(max + pad);
    Scale sx = new Scale(from, to, left, right);
    Scale sy = new Scale(yMin, yMax, plotBottom, top);
    try {
      if (shadeTo > shadeFrom) {
        float x0 = (float) sx.at(Math.max(from, shadeFrom));
        float x1 = (float) sx.at(Math.min(to, shadeTo));
        c.setNonStrokingColor(SHADE);
        c.addRect(x0, plotBottom, Math.max(0.5f, x1 - x0), top - plotBottom);
        c.fill();
      }
      c.setStrokingColor(Color.GRAY);
      c.setLineWidth(0.6f);
      c.addRect(left, plotBottom, right - left, top - plotBottom);
      c.stroke();
      double step = niceStep((yMax - yMin) / 5);
      for (double v = Math.ceil(yMin / step) * step; v <= yMax + 1e-9; v += step) {
        float y = (float) sy.at(v);
        c.setStrokingColor(new Color(0xe8, 0xe8, 0xe8));
        c.setLineWidth(0.3f);
        c.moveTo(left, y);
        c.lineTo(right, y);
        c.stroke();
        String label = w.decimal(v, step < 1 ? 1 : 0);
        pdf.text(left - 4 - pdf.width(label, 7, false), y - 2.5f, label, 7, false, Color.DARK_GRAY);
      }
      pdf.text(left - 4 - pdf.width("°C", 7, false), top + 5, "°C", 7, false, Color.DARK_GRAY);
      DateTimeFormatter tf = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(w.locale())
          .withZone(w.zone());
      for (int i = 0; i <= 4; i++) {
        long t = from + (to - from) * i / 4;
        String label = tf.format(Instant.ofEpochMilli(t));
        float x = (float) sx.at(t);
        float lw = pdf.width(label, 6.5f, false);
        float lx = i == 0 ? x : i == 4 ? x - lw : x - lw / 2;
        pdf.text(lx, plotBottom - 10, label, 6.5f, false, Color.DARK_GRAY);
      }
      dashed(c, sy, left, right, low, RANGE);
      dashed(c, sy, left, right, high, RANGE);
      dashed(c, sy, left, right, limit, ALARM);
      line(c, readings, sx, sy, gap, right - left);
      float ly = bottom + 4;
      float lx = left;
      lx = legend(pdf, lx, ly, LINE, false, w.t("report.chart.temperature"));
      if (!Double.isNaN(low) || !Double.isNaN(high)) {
        lx = legend(pdf, lx, ly, RANGE, true, w.t("report.chart.range"));
      }
      if (!Double.isNaN(limit)) {
        lx = legend(pdf, lx, ly, ALARM, true, w.t("report.chart.limit"));
      }
      if (shadeTo > shadeFrom) {
        c.setNonStrokingColor(SHADE);
        c.addRect(lx, ly, 14, 6);
        c.fill();
        pdf.text(lx + 18, ly, w.t("report.chart.alarm"), 7, false, Color.DARK_GRAY);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float legend(Pdf pdf, float x, float y, Color color, boolean dash, String text) throws IOException {
    PDPageContentStream c = pdf.canvas();
    c.setStrokingColor(color);
    c.setLineWidth(1.2f);
    c.setLineDashPattern(dash ? new float[] {3, 2} : new float[0], 0);
    c.moveTo(x, y + 3);
    c.lineTo(x + 14, y + 3);
    c.stroke();
    c.setLineDashPattern(new float[0], 0);
    pdf.text(x + 18, y, text, 7, false, Color.DARK_GRAY);
    return x + 28 + pdf.width(text, 7, false);
  }

  private static void dashed(PDPageContentStream c, Scale sy, float left, float right, double v, Color color)
      throws IOException {
    if (Double.isNaN(v)) {
      return;
    }
    float y = (float) sy.at(v);
    c.setStrokingColor(color);
    c.setLineWidth(0.9f);
    c.setLineDashPattern(new float[] {4, 3}, 0);
    c.moveTo(left, y);
    c.lineTo(right, y);
    c.stroke();
    c.setLineDashPattern(new float[0], 0);
  }

  /** The temperature line; a bucket per half point of width keeps its lowest and highest reading. */
  private static void line(PDPageContentStream c, List<ReadingRow> readings, Scale sx, Scale sy, long gap,
      float width) throws IOException {
    c.setStrokingColor(LINE);
    c.setLineWidth(0.9f);
    int buckets = (int) (width * 2);
    boolean reduce = readings.size() > buckets * 2;
    boolean drawing = false;
    long last = Long.MIN_VALUE;
    int bucket = -1;
    double bMin = 0;
    double bMax = 0;
    long bTime = 0;
    for (ReadingRow r : readings) {
      if (r.value().isEmpty() || (last != Long.MIN_VALUE && r.time() - last > gap)) {
        if (reduce && bucket >= 0) {
          drawing = point(c, sx, sy, bTime, bMin, bMax, drawing);
          bucket = -1;
        }
        drawing = false;
        if (r.value().isEmpty()) {
          continue;
        }
      }
      last = r.time();
      double v = r.value().getAsDouble();
      if (!reduce) {
        drawing = point(c, sx, sy, r.time(), v, v, drawing);
        continue;
      }
      int b = (int) ((sx.at(r.time()) - sx.lo) / width * buckets);
      if (b != bucket) {
        if (bucket >= 0) {
          drawing = point(c, sx, sy, bTime, bMin, bMax, drawing);
        }
        bucket = b;
        bMin = v;
        bMax = v;
        bTime = r.time();
      } else {
        bMin = Math.min(bMin, v);
        bMax = Math.max(bMax, v);
      }
    }
    if (reduce && bucket >= 0) {
      point(c, sx, sy, bTime, bMin, bMax, drawing);
    }
    c.stroke();
  }

  private static boolean point(PDPageContentStream c, Scale sx, Scale sy, long t, double lo, double hi,
      boolean drawing) throws IOException {
    float x = (float) sx.at(t);
    if (drawing) {
      c.lineTo(x, (float) sy.at(lo));
    } else {
      c.moveTo(x, (float) sy.at(lo));
    }
    if (hi != lo) {
      c.lineTo(x, (float) sy.at(hi));
    }
    return true;
  }

  private static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (raw <= m * p) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** A linear map from data to page coordinates. */
  private record Scale(double from, double to, double lo, double hi) {
    double at(double v) {
      return to == from ? lo : lo + (v - from) / (to - from) * (hi - lo);
    }
  }
}
