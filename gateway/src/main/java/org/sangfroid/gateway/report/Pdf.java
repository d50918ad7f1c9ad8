package org.sangfroid.gateway.report;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A small page layout over PDFBox for the reports: A4 pages, a cursor going down, wrapped text,
 * simple tables, and room for a chart. Text is set in DejaVu Sans, embedded (subset) in the file:
 * it has every character the reports need (°, é, è, à, ç, −, ≤, the narrow no-break space of French
 * numbers). One instance per document; not thread-safe.
 */
final class Pdf implements AutoCloseable {
  static final float MARGIN = 50;
  static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;
  private static final float BOTTOM = 60;

  private final PDDocument doc = new PDDocument();
  private final PDType0Font regular;
  private final PDType0Font bold;
  private final Map<Integer, Boolean> drawable = new HashMap<>();
  private final String footer;
  private final List<PDPage> pages = new ArrayList<>();
  private PDPageContentStream out;
  private float y;

  /** @param footer the line at the bottom of every page, before its number */
  Pdf(String title, String footer) {
    this.footer = footer;
    this.regular = font("DejaVuSans.ttf");
    this.bold = font("DejaVuSans-Bold.ttf");
    PDDocumentInformation info = doc.getDocumentInformation();
    info.setTitle(title);
    info.setCreator("Sangfroid");
    newPage();
  }

  private PDType0Font font(String name) {
    try (InputStream in = Pdf.class.getResourceAsStream("fonts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("font " + name + " is missing from the gateway's jar");
      }
      return PDType0Font.load(doc, in, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  float y() {
    return y;
  }

  /** Starts a new page unless {@code height} still fits on this one. */
  void need(float height) {
    if (y - height < BOTTOM) {
      newPage();
    }
  }

  void newPage() {
    try {
      if (out != null) {
        out.close();
      }
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      pages.add(page);
      out = new PDPageContentStream(doc, page);
      y = PDRectangle.A4.getHeight() - MARGIN;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  PDPageContentStream canvas() {
    return out;
  }

  void title(String text) {
    line(text, 16, true, 24);
  }

  void heading(String text) {
    need(40);
    y -= 8;
    line(text, 12, true, 18);
  }

  /** A paragraph, wrapped to the page's width. */
  void paragraph(String text, float size) {
    for (String l : wrap(text, size, false, WIDTH)) {
      line(l, size, false, size * 1.4f);
    }
  }

  /** Label and value on one line (the value wrapped under itself). */
  void fact(String label, String value) {
    float size = 9.5f;
    float labelWidth = 150;
    List<String> lines = wrap(value, size, false, WIDTH - labelWidth);
    List<String> labels = wrap(label, size, true, labelWidth - 8);
    int height = Math.max(lines.size(), labels.size());
    need(height * size * 1.4f);
    float top = y;
    for (int i = 0; i < height; i++) {
      y -= size * 1.4f;
      if (i < labels.size()) {
        text(MARGIN, y, labels.get(i), size, true, Color.DARK_GRAY);
      }
      if (i < lines.size()) {
        text(MARGIN + labelWidth, y, lines.get(i), size, false, Color.BLACK);
      }
    }
    y = top - height * size * 1.4f;
  }

  /** A table: a header row and rows, columns as wide as {@code widths} (points); cells wrap. */
  void table(List<String> header, List<List<String>> rows, float[] widths, float size) {
    row(header, widths, size, true);
    for (List<String> r : rows) {
      row(r, widths, size, false);
    }
  }

  private void row(List<String> cells, float[] widths, float size, boolean head) {
    List<List<String>> wrapped = new ArrayList<>();
    int height = 1;
    for (int i = 0; i < cells.size(); i++) {
      List<String> w = wrap(cells.get(i), size, head, widths[i] - 4);
      wrapped.add(w);
      height = Math.max(height, w.size());
    }
    float lineHeight = size * 1.35f;
    need(height * lineHeight + 4);
    float top = y;
    float x = MARGIN;
    for (int i = 0; i < wrapped.size(); i++) {
      float ly = top;
      for (String l : wrapped.get(i)) {
        ly -= lineHeight;
        text(x + 2, ly + 2, l, size, head, Color.BLACK);
      }
      x += widths[i];
    }
    y = top - height * lineHeight - 2;
    try {
      out.setStrokingColor(head ? Color.GRAY : Color.LIGHT_GRAY);
      out.setLineWidth(head ? 0.8f : 0.3f);
      out.moveTo(MARGIN, y);
      out.lineTo(x, y);
      out.stroke();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reserves {@code height} points below the cursor (on this page) and returns their bottom. */
  float reserve(float height) {
    need(height);
    y -= height;
    return y;
  }

  void space(float points) {
    y -= points;
  }

  private void line(String text, float size, boolean isBold, float height) {
    need(height);
    y -= height;
    text(MARGIN, y, text, size, isBold, Color.BLACK);
  }

  void text(float x, float at, String text, float size, boolean isBold, Color color) {
    try {
      out.beginText();
      out.setFont(isBold ? bold : regular, size);
      out.setNonStrokingColor(color);
      out.newLineAtOffset(x, at);
      out.showText(drawable(text));
      out.endText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  float width(String text, float size, boolean isBold) {
    try {
      return (isBold ? bold : regular).getStringWidth(drawable(text)) / 1000 * size;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code text} with what the font cannot draw (control characters, rare scripts) as "?". */
  private String drawable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints().forEach(c -> b.appendCodePoint(drawable.computeIfAbsent(c, this::hasGlyph) ? c : '?'));
    return b.toString();
  }

  private boolean hasGlyph(int codePoint) {
    if (Character.isISOControl(codePoint)) {
      return false;
    }
    try {
      regular.encode(new String(Character.toChars(codePoint)));
      bold.encode(new String(Character.toChars(codePoint)));
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code text} in lines no wider than {@code width}; breaks at spaces, or inside a word too long. */
  List<String> wrap(String text, float size, boolean isBold, float width) {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.replace("\r", "").split("\n", -1)) {
      StringBuilder current = new StringBuilder();
      for (String word : paragraph.split(" ")) {
        String tried = current.isEmpty() ? word : current + " " + word;
        if (width(tried, size, isBold) <= width) {
          current.setLength(0);
          current.append(tried);
          continue;
        }
        if (!current.isEmpty()) {
          lines.add(current.toString());
          current.setLength(0);
        }
        String rest = word;
        while (width(rest, size, isBold) > width && rest.length() > 1) {
          int n = rest.length() - 1;
          while (n > 1 && width(rest.substring(0, n), size, isBold) > width) {
            n--;
          }
          lines.add(rest.substring(0, n));
          rest = rest.substring(n);
        }
        current.append(rest);
      }
      lines.add(current.toString());
    }
    return lines;
  }

  /** Closes the last page, numbers the pages ("footer · 2 / 3") and answers the file. */
  byte[] finish() {
    try {
      out.close();
      for (int i = 0; i < pages.size(); i++) {
        try (PDPageContentStream s = new PDPageContentStream(doc, pages.get(i), PDPageContentStream.AppendMode.APPEND,
            true)) {
          out = s;
          text(MARGIN, 30, footer + " · " + (i + 1) + " / " + pages.size(), 7.5f, false, Color.GRAY);
        }
      }
      out = null;
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      doc.save(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      doc.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
