package org.mlx4j.examples.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code plot.png}: the training curves of a run, drawn with XChart, headless.
 *
 * <p>Two charts side by side, each {@value #CHART_WIDTH} x {@value #CHART_HEIGHT} pixels: on the
 * left the training loss of every step (a light line) and each epoch's mean training loss (markers,
 * at the step the epoch ended) against the step; on the right each epoch metric (e.g. {@code test_accuracy}, {@code val_loss})
 * against the epoch. Non-finite values (a diverged loss) are left out and counted in the legend.
 *
 * <pre>{@code
 * Plots.writeTrainingPlot(out.resolve(Plots.FILE), StepsCsv.readStepLoss(out.resolve(StepsCsv.FILE)),
 *         MetricsCsv.read(out.resolve(MetricsCsv.FILE)), "mlp on Fashion-MNIST");
 * }</pre>
 */
public final class Plots {
    /** The file's name in a run directory. */
    public static final String FILE = "plot.png";
    /** Width of each of the two charts, in pixels; the image is twice as wide. */
    public static final int CHART_WIDTH = 640;
    /** Height of the charts and the image, in pixels. */
    public static final int CHART_HEIGHT = 480;

    static {
        // Plots are drawn on servers and in CI without a display; AWT must not look for one.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /**
     * Draws the two charts into {@code png}, replacing it atomically.
     *
     * @param stepLoss (step, loss) pairs, one per optimizer step
     * @param epochs   the epochs so far (one is enough)
     * @param title    prefixed to each chart's title, e.g. the task and dataset
     * @throws IOException if the file cannot be written
     */
    public static void writeTrainingPlot(Path png, List<double[]> stepLoss, List<EpochRow> epochs, String title) throws IOException {
        List<XYChart> charts = List.of(lossChart(stepLoss, epochs, title), metricsChart(epochs, title));
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(charts, 1, 2, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static XYChart lossChart(List<double[]> stepLoss, List<EpochRow> epochs, String title) {
        XYChart c = chart(title + ": training loss", "step", "loss");
        Points steps = new Points();
        for (double[] p : stepLoss) steps.add(p[0], p[1]);
        steps.addTo(c, "loss per step", XYSeries.XYSeriesRenderStyle.Line)
                .ifPresent(s -> {
                    s.setLineColor(new Color(70, 130, 180, 110)); // translucent: thousands of noisy steps stay readable
                    s.setLineStyle(new BasicStroke(1f));
                    s.setMarker(SeriesMarkers.NONE);
                });
        Points means = new Points();
        for (EpochRow r : epochs) means.add(r.step(), r.trainLoss());
        means.addTo(c, "epoch mean", XYSeries.XYSeriesRenderStyle.Scatter)
                .ifPresent(s -> {
                    s.setMarker(SeriesMarkers.CIRCLE);
                    s.setMarkerColor(new Color(200, 60, 30));
                });
        return c;
    }

    private static XYChart metricsChart(List<EpochRow> epochs, String title) {
        XYChart c = chart(title + ": metrics per epoch", "epoch", "value");
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // below the chart: accuracy runs along the top, losses along the bottom
        Set<String> names = new LinkedHashSet<>();
        for (EpochRow r : epochs) names.addAll(r.metrics().keySet());
        for (String n : names) {
            Points p = new Points();
            for (EpochRow r : epochs) {
                Double v = r.metrics().get(n);
                if (v != null) p.add(r.epoch(), v);
            }
            p.addTo(c, n, XYSeries.XYSeriesRenderStyle.Line).ifPresent(s -> s.setMarker(SeriesMarkers.CIRCLE));
        }
        return c;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setAntiAlias(true);
        // step numbers run into the thousands: plain digits and wider spacing keep the labels apart
        c.getStyler().setXAxisDecimalPattern("#");
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        return c;
    }

    /** Finite points of one series; XChart rejects infinities and empty series. */
    private static final class Points {
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        int dropped;

        void add(double x, double y) {
            if (Double.isFinite(x) && Double.isFinite(y)) {
                xs.add(x);
                ys.add(y);
            } else {
                dropped++;
            }
        }

        java.util.Optional<XYSeries> addTo(XYChart c, String name, XYSeries.XYSeriesRenderStyle style) {
            if (xs.isEmpty()) return java.util.Optional.empty();
            String label = dropped == 0 ? name : name + " (" + dropped + " non-finite left out)";
            XYSeries s = c.addSeries(label, xs, ys);
            s.setXYSeriesRenderStyle(style);
            return java.util.Optional.of(s);
        }
    }
}
