package dev.vigil.perf.pipeline;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The ramp as a PNG (Java2D, headless): per step the items per second offered to the bridge and
 * folded by the enrichment stream, on a log scale, under the raw Kafka ceiling of the same run.
 */
final class Chart {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 60;
  private static final int BOTTOM = 80;

  private Chart() {}

  static void write(Path file, List<Ramp.Step> steps, double ceilingItems, String subtitle)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    double max = ceilingItems * 2;
    double min = 1_000;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    int plotWidth = WIDTH - LEFT - RIGHT;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Vigil whole chain vs raw Kafka: telemetry items/s (log scale)", LEFT, 25);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(subtitle, LEFT, 45);
    for (double v = min; v <= max; v *= 10) {
      int y = y(v, min, max, plotHeight);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(LEFT, y, WIDTH - RIGHT, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format("%,.0f", v), 5, y + 4);
    }
    int n = steps.size();
    int slot = plotWidth / Math.max(1, n);
    for (int i = 0; i < n; i++) {
      Ramp.Step step = steps.get(i);
      double offered = step.offeredItems();
      int x = LEFT + i * slot + slot / 6;
      int w = slot / 3;
      bar(g, x, w, offered, min, max, plotHeight, new Color(170, 190, 230));
      bar(
          g,
          x + w,
          w,
          step.foldedItems(),
          min,
          max,
          plotHeight,
          step.stable() ? new Color(60, 150, 80) : new Color(210, 80, 60));
      g.setColor(Color.BLACK);
      g.drawString(String.format("%,d", step.target()), x, HEIGHT - BOTTOM + 18);
      g.drawString(step.stable() ? "stable" : "lag grows", x, HEIGHT - BOTTOM + 34);
    }
    g.drawString("target data points/s of the step", LEFT, HEIGHT - 20);
    int cy = y(ceilingItems, min, max, plotHeight);
    g.setColor(new Color(120, 0, 120));
    g.setStroke(
        new BasicStroke(
            2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
    g.drawLine(LEFT, cy, WIDTH - RIGHT, cy);
    g.drawString(
        String.format(
            "raw Kafka produce+consume, same bytes, same broker: %,.0f items/s", ceilingItems),
        LEFT + 10,
        cy - 6);
    g.setColor(new Color(170, 190, 230));
    g.fillRect(WIDTH - 330, TOP - 5, 12, 12);
    g.setColor(Color.BLACK);
    g.drawString("offered to the bridge", WIDTH - 312, TOP + 5);
    g.setColor(new Color(60, 150, 80));
    g.fillRect(WIDTH - 180, TOP - 5, 12, 12);
    g.setColor(Color.BLACK);
    g.drawString("folded by enrichment", WIDTH - 162, TOP + 5);
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void bar(
      Graphics2D g, int x, int w, double value, double min, double max, int plotHeight, Color c) {
    int y = y(Math.max(value, min), min, max, plotHeight);
    g.setColor(c);
    g.fillRect(x, y, w, TOP + plotHeight - y);
  }

  private static int y(double v, double min, double max, int plotHeight) {
    double f = (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
    return TOP + plotHeight - (int) Math.round(f * plotHeight);
  }
}
