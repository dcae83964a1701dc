package org.mlx4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv, steps.csv and plot.png: round trips, atomic replacement, images that decode. */
class RunFilesTest {
    @TempDir Path dir;

    private static List<EpochRow> randomRows(int n, Random r) {
        List<EpochRow> rows = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("test_accuracy", r.nextDouble());
            // Awkward values: subnormal, negative zero, huge, NaN, infinity; and a missing cell.
            if (e != 1) m.put("val_loss", switch (e % 5) {
                case 0 -> Double.MIN_VALUE;
                case 2 -> -0.0;
                case 3 -> Double.NaN;
                case 4 -> Double.NEGATIVE_INFINITY;
                default -> r.nextGaussian() * 1e300;
            });
            rows.add(new EpochRow(e + 1, 469L * (e + 1), r.nextDouble() / 3, m, r.nextDouble() * 10, r.nextDouble() * 1e5));
        }
        return rows;
    }

    @Test
    void metricsRoundTripBitExact() throws IOException {
        List<EpochRow> rows = randomRows(7, new Random(1));
        Path f = dir.resolve(MetricsCsv.FILE);
        MetricsCsv.write(f, List.of("test_accuracy", "val_loss"), rows);
        assertTrue(Files.readAllLines(f).getFirst().equals("epoch,step,train_loss,test_accuracy,val_loss,epoch_seconds,items_per_second"));
        List<EpochRow> back = MetricsCsv.read(f);
        assertEquals(rows.size(), back.size());
        for (int i = 0; i < rows.size(); i++) {
            EpochRow a = rows.get(i), b = back.get(i);
            assertEquals(a.epoch(), b.epoch());
            assertEquals(a.step(), b.step());
            assertEquals(Double.doubleToLongBits(a.trainLoss()), Double.doubleToLongBits(b.trainLoss()));
            assertEquals(Double.doubleToLongBits(a.epochSeconds()), Double.doubleToLongBits(b.epochSeconds()));
            assertEquals(Double.doubleToLongBits(a.itemsPerSecond()), Double.doubleToLongBits(b.itemsPerSecond()));
            assertEquals(List.copyOf(a.metrics().keySet()), List.copyOf(b.metrics().keySet()));
            for (String k : a.metrics().keySet()) {
                assertEquals(Double.doubleToLongBits(a.metrics().get(k)), Double.doubleToLongBits(b.metrics().get(k)), k);
            }
        }
        assertEquals(List.of("test_accuracy", "val_loss"), MetricsCsv.readMetricNames(f));
    }

    @Test
    void metricsRewriteIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve(MetricsCsv.FILE);
        List<EpochRow> rows = randomRows(3, new Random(2));
        MetricsCsv.write(f, List.of("test_accuracy", "val_loss"), rows.subList(0, 1));
        MetricsCsv.write(f, List.of("test_accuracy", "val_loss"), rows);
        assertEquals(3, MetricsCsv.read(f).size());
        assertEquals(List.of(f), listDir());
        // A failing write leaves the old file whole and no temporary file behind.
        assertThrows(IllegalArgumentException.class, () -> MetricsCsv.write(f, List.of("test_accuracy"), rows));
        assertThrows(IllegalArgumentException.class, () -> MetricsCsv.write(f, List.of("a,b"), List.of()));
        assertEquals(3, MetricsCsv.read(f).size());
        assertEquals(List.of(f), listDir());
    }

    @Test
    void damagedMetricsFileNamesFileAndLine() throws IOException {
        Path f = dir.resolve(MetricsCsv.FILE);
        Files.writeString(f, "epoch,step,train_loss,acc,epoch_seconds,items_per_second\n1,10,0.5,0.9,1.0,2.0\n2,20,0.4,oops,1.0,2.0\n");
        IOException e = assertThrows(IOException.class, () -> MetricsCsv.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("line 3"), e.getMessage());
        Files.writeString(f, "step,epoch,loss\n");
        assertThrows(IOException.class, () -> MetricsCsv.read(f));
    }

    @Test
    void stepsAppendTruncateAndRead() throws IOException {
        Path f = dir.resolve(StepsCsv.FILE);
        Random r = new Random(3);
        double[] losses = new double[30];
        for (int i = 0; i < losses.length; i++) losses[i] = r.nextDouble() * 2;
        try (StepsCsv s = StepsCsv.append(f)) {
            for (int i = 0; i < 20; i++) s.add(i + 1, i / 10, losses[i]);
            s.flush();
            assertEquals(20, StepsCsv.readStepLoss(f).size());
        }
        try (StepsCsv s = StepsCsv.append(f)) { // reopen: no second header
            for (int i = 20; i < 30; i++) s.add(i + 1, i / 10, losses[i]);
        }
        List<double[]> all = StepsCsv.readStepLoss(f);
        assertEquals(30, all.size());
        for (int i = 0; i < 30; i++) assertArrayEquals(new double[] {i + 1, losses[i]}, all.get(i));

        // Resume from step 12 after a crash that tore the last line.
        Files.writeString(f, "31,3,0.12", java.nio.file.StandardOpenOption.APPEND);
        StepsCsv.truncate(f, 12);
        List<double[]> cut = StepsCsv.readStepLoss(f);
        assertEquals(12, cut.size());
        assertEquals(12.0, cut.getLast()[0]);
        try (StepsCsv s = StepsCsv.append(f)) {
            s.add(13, 1, 0.25);
        }
        assertEquals(13, StepsCsv.readStepLoss(f).size());
        assertEquals(1, Files.readAllLines(f).stream().filter(StepsCsv.HEADER::equals).count());
        assertEquals(List.of(f), listDir());

        // Appending to a torn file first drops the torn line.
        Files.writeString(f, "14,1,0.2", java.nio.file.StandardOpenOption.APPEND);
        try (StepsCsv s = StepsCsv.append(f)) {
            s.add(14, 1, 0.5);
        }
        List<double[]> fixed = StepsCsv.readStepLoss(f);
        assertArrayEquals(new double[] {14, 0.5}, fixed.getLast());
        assertEquals(14, fixed.size());

        Path other = dir.resolve("other.csv");
        Files.writeString(other, "a,b\n");
        assertThrows(IOException.class, () -> StepsCsv.append(other));
    }

    @Test
    void plotIsAPngOfTheExpectedSize() throws IOException {
        Random r = new Random(4);
        List<double[]> steps = new ArrayList<>();
        for (int s = 1; s <= 2000; s++) steps.add(new double[] {s, 2.3 * Math.exp(-s / 500.0) + 0.1 * r.nextDouble()});
        List<EpochRow> epochs = randomRows(4, r);
        Path png = dir.resolve(Plots.FILE);
        Plots.writeTrainingPlot(png, steps, epochs, "mlp");
        byte[] b = Files.readAllBytes(png);
        assertTrue(b.length > 1000, "size " + b.length);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, java.util.Arrays.copyOf(b, 8));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(b));
        assertEquals(2 * Plots.CHART_WIDTH, img.getWidth());
        assertEquals(Plots.CHART_HEIGHT, img.getHeight());
        assertEquals(List.of(png), listDir());
        // Replacing it works too.
        Plots.writeTrainingPlot(png, steps.subList(0, 10), epochs.subList(0, 1), "mlp");
        assertEquals(List.of(png), listDir());
    }

    @Test
    void plotSurvivesOneEpochNaNsAndNoData() {
        List<double[]> steps = List.of(new double[] {1, 2.3}, new double[] {2, Double.NaN}, new double[] {3, Double.POSITIVE_INFINITY});
        EpochRow one = new EpochRow(1, 3, Double.NaN, Map.of("test_accuracy", Double.NaN), 1.0, 100.0);
        assertDoesNotThrow(() -> Plots.writeTrainingPlot(dir.resolve("a.png"), steps, List.of(one), "nan"));
        assertDoesNotThrow(() -> Plots.writeTrainingPlot(dir.resolve("b.png"), List.of(), List.of(), "empty"));
        EpochRow fine = new EpochRow(1, 3, 0.5, Map.of("val_loss", 0.6), 1.0, 100.0);
        assertDoesNotThrow(() -> Plots.writeTrainingPlot(dir.resolve("c.png"), steps.subList(0, 1), List.of(fine), "one"));
    }

    @Test
    void progressRunsDisabledAndEnabled() {
        for (boolean enabled : new boolean[] {false, true}) {
            try (Progress p = Progress.start("test", 5, enabled)) {
                for (int i = 0; i < 5; i++) p.step(1.0 / (i + 1), 1234.5 * i, "img");
                assertEquals(enabled ? 5 : 0, p.current());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Progress.start("x", -1, true));
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
