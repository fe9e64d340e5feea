package dev.tally.pipelines.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TimeZone;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.Minute;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Charts drawn by JFreeChart onto JFreeSVG's Graphics2D, returned as inline {@code <svg>} elements: no script and
 * nothing fetched when a page is viewed. Times are UTC. Series are always added in the order given, so an event
 * type has the same colour in every chart of a page.
 */
public final class Charts {
  public static final int WIDTH = 960;
  public static final int HEIGHT = 400;
  // Horizontal bar charts grow with their bars, so two bars are not drawn a hundred pixels thick.
  private static final int BAR_CHART_FRAME = 130;
  private static final int BAR_HEIGHT = 34;
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  // Ten colours that stay apart on white (JFreeChart's default sequence has a pale yellow and a pale pink).
  private static final Paint[] PALETTE = {
    new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2), new Color(0x59a14f),
    new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7), new Color(0x9c755f), new Color(0xbab0ac),
  };

  static {
    // Charts need fonts, never a display: a DISPLAY pointing nowhere must not break a report.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final StandardChartTheme THEME = theme();

  private Charts() {}

  /**
   * A line per series over time, e.g. events per event type per window.
   *
   * @param id the svg element's id, unique in its page (it also prefixes the chart's clip-path ids)
   * @param points time -> series -> value; a series missing at a time counts as 0 there
   */
  public static String lines(
      String id, String title, String valueLabel, SortedMap<Instant, Map<String, Long>> points, List<String> series) {
    TimeSeriesCollection dataset = new TimeSeriesCollection(UTC);
    for (String name : series) {
      TimeSeries line = new TimeSeries(name);
      points.forEach((time, values) -> line.add(new FixedMillisecond(Date.from(time)), values.getOrDefault(name, 0L)));
      dataset.addSeries(line);
    }
    JFreeChart chart =
        ChartFactory.createTimeSeriesChart(title, "window start (UTC)", valueLabel, dataset, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
    renderer.setDefaultShapesVisible(points.size() <= 100);
    renderer.setDefaultStroke(new BasicStroke(2f));
    renderer.setAutoPopulateSeriesStroke(false);
    utcTimeAxis(plot);
    return svg(id, chart);
  }

  /** Bars per minute over time, e.g. dead letters per minute. */
  public static String barsPerMinute(String id, String title, String valueLabel, SortedMap<Instant, Long> perMinute) {
    TimeSeries bars = new TimeSeries(valueLabel);
    perMinute.forEach((minute, value) -> bars.add(new Minute(Date.from(minute), UTC, Locale.ROOT), value));
    TimeSeriesCollection dataset = new TimeSeriesCollection(bars, UTC);
    JFreeChart chart =
        ChartFactory.createXYBarChart(
            title, "minute (UTC)", true, valueLabel, dataset, PlotOrientation.VERTICAL, false, false, false);
    XYPlot plot = chart.getXYPlot();
    utcTimeAxis(plot);
    ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return svg(id, chart);
  }

  /**
   * Horizontal bars, one per category (in the order given), each split into the series' values.
   *
   * @param values category -> series -> value
   */
  public static String stackedBars(
      String id, String title, String categoryLabel, String valueLabel, Map<String, Map<String, Long>> values,
      List<String> series) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    values.forEach(
        (category, bySeries) -> series.forEach(name -> dataset.addValue(bySeries.getOrDefault(name, 0L), name, category)));
    JFreeChart chart =
        ChartFactory.createStackedBarChart(
            title, categoryLabel, valueLabel, dataset, PlotOrientation.HORIZONTAL, series.size() > 1, false, false);
    integerValues(chart.getCategoryPlot());
    return svg(id, chart, barChartHeight(values.size()));
  }

  /** Horizontal bars, one per category, in the order given. */
  public static String bars(String id, String title, String categoryLabel, String valueLabel, Map<String, Long> values) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    values.forEach((category, value) -> dataset.addValue(value, valueLabel, category));
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, categoryLabel, valueLabel, dataset, PlotOrientation.HORIZONTAL, false, false, false);
    integerValues(chart.getCategoryPlot());
    return svg(id, chart, barChartHeight(values.size()));
  }

  private static void integerValues(CategoryPlot plot) {
    plot.setNoDataMessage("no data");
    ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
  }

  private static void utcTimeAxis(XYPlot plot) {
    plot.setNoDataMessage("no data");
    DateAxis axis = (DateAxis) plot.getDomainAxis();
    axis.setTimeZone(UTC);
    SimpleDateFormat format = new SimpleDateFormat("MM-dd HH:mm", Locale.ROOT);
    format.setTimeZone(UTC);
    axis.setDateFormatOverride(format);
  }

  private static int barChartHeight(int bars) {
    return BAR_CHART_FRAME + BAR_HEIGHT * Math.max(bars, 2) + (bars > 0 ? 30 : 0);
  }

  private static String svg(String id, JFreeChart chart) {
    return svg(id, chart, HEIGHT);
  }

  private static String svg(String id, JFreeChart chart, int height) {
    THEME.apply(chart);
    chart.setBackgroundPaint(Color.WHITE);
    SVGGraphics2D graphics = new SVGGraphics2D(WIDTH, height);
    // Clip paths are page-wide ids: without a prefix of its own, a second chart would clip to the first one's.
    graphics.setDefsKeyPrefix(id + "-");
    chart.draw(graphics, new Rectangle2D.Double(0, 0, WIDTH, height));
    return graphics.getSVGElement(id, true, new ViewBox(0, 0, WIDTH, height), null, null);
  }

  private static StandardChartTheme theme() {
    StandardChartTheme theme = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
    // Logical fonts: JFreeSVG writes them as the browser's generic sans-serif family.
    theme.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    theme.setLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    theme.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    theme.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    theme.setChartBackgroundPaint(Color.WHITE);
    theme.setPlotBackgroundPaint(Color.WHITE);
    theme.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    theme.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    theme.setBarPainter(new StandardBarPainter());
    theme.setXYBarPainter(new StandardXYBarPainter());
    theme.setShadowVisible(false);
    theme.setDrawingSupplier(
        new DefaultDrawingSupplier(
            PALETTE,
            DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE,
            DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE,
            DefaultDrawingSupplier.DEFAULT_STROKE_SEQUENCE,
            DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE,
            DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
    return theme;
  }
}
