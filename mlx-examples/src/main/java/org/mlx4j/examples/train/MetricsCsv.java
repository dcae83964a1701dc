package org.mlx4j.examples.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics.csv}: one row per epoch, rewritten as a whole (atomically) after each epoch and read
 * back when a run resumes.
 *
 * <p>Columns: {@code epoch,step,train_loss,<metric names...>,epoch_seconds,items_per_second}. Numbers
 * are written with {@link Double#toString(double)} (shortest form that reads back to the same double,
 * {@code NaN} and {@code Infinity} included), so {@link #read} returns bit-identical values. A metric a
 * row lacks is an empty cell.
 *
 * <pre>{@code
 * MetricsCsv.write(out.resolve(MetricsCsv.FILE), List.of("test_accuracy"), rows);
 * List<EpochRow> again = MetricsCsv.read(out.resolve(MetricsCsv.FILE));
 * }</pre>
 */
public final class MetricsCsv {
    /** The file's name in a run directory. */
    public static final String FILE = "metrics.csv";

    private static final List<String> HEAD = List.of("epoch", "step", "train_loss");
    private static final List<String> TAIL = List.of("epoch_seconds", "items_per_second");

    private MetricsCsv() {}

    /**
     * The header line for these metric names (without line end).
     *
     * @throws IllegalArgumentException if a name is blank, repeated, a fixed column's name, or holds a
     *                                  comma, quote or line break
     */
    public static String header(List<String> metricNames) {
        Set<String> seen = new HashSet<>(HEAD);
        seen.addAll(TAIL);
        for (String n : metricNames) {
            if (n == null || n.isBlank() || n.strip().length() != n.length() || n.matches(".*[,\"\\r\\n].*")) {
                throw new IllegalArgumentException("[MetricsCsv] a metric name must be non-blank, unpadded, without commas, quotes or line breaks. Got \"" + n + "\".");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException("[MetricsCsv] metric name \"" + n + "\" is repeated or is a fixed column. Got " + metricNames + ".");
            }
        }
        List<String> cols = new ArrayList<>(HEAD);
        cols.addAll(metricNames);
        cols.addAll(TAIL);
        return String.join(",", cols);
    }

    /**
     * Replaces {@code file} with these rows, atomically.
     *
     * @param metricNames the metric columns, in order
     * @throws IllegalArgumentException if a name is invalid (see {@link #header}) or a row holds a metric
     *                                  not in {@code metricNames}
     * @throws IOException              if the file cannot be written
     */
    public static void write(Path file, List<String> metricNames, List<EpochRow> rows) throws IOException {
        byte[] bytes = format(metricNames, rows).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /**
     * The text of a metrics.csv with these rows (what {@link #write} writes; checkpoints carry it).
     *
     * @throws IllegalArgumentException as {@link #write}
     */
    public static String format(List<String> metricNames, List<EpochRow> rows) {
        StringBuilder sb = new StringBuilder(header(metricNames)).append('\n');
        for (EpochRow r : rows) {
            for (String k : r.metrics().keySet()) {
                if (!metricNames.contains(k)) {
                    throw new IllegalArgumentException("[MetricsCsv] epoch " + r.epoch() + " has metric \"" + k + "\", not among the columns " + metricNames + ".");
                }
            }
            sb.append(r.epoch()).append(',').append(r.step()).append(',').append(Double.toString(r.trainLoss()));
            for (String n : metricNames) {
                Double v = r.metrics().get(n);
                sb.append(',');
                if (v != null) sb.append(Double.toString(v));
            }
            sb.append(',').append(Double.toString(r.epochSeconds())).append(',').append(Double.toString(r.itemsPerSecond())).append('\n');
        }
        return sb.toString();
    }

    /**
     * The metric names in {@code file}'s header, in order.
     *
     * @throws IOException if the file cannot be read or its header is not a metrics.csv header
     */
    public static List<String> readMetricNames(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return metricNames(file, lines);
    }

    /**
     * Reads the rows of {@code file}; each row's metrics map holds the non-empty cells, in column order.
     *
     * @throws IOException naming the file and line if it cannot be read or is not a metrics.csv file
     */
    public static List<EpochRow> read(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * The rows of a metrics.csv text (as {@link #format} writes it); {@code source} names it in errors.
     *
     * @throws IOException naming the source and line if the text is not a metrics.csv
     */
    public static List<EpochRow> parse(Path source, String text) throws IOException {
        return parse(source, text.lines().toList());
    }

    private static List<EpochRow> parse(Path file, List<String> lines) throws IOException {
        List<String> names = metricNames(file, lines);
        int cols = HEAD.size() + names.size() + TAIL.size();
        List<EpochRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            if (f.length != cols) throw bad(file, i + 1, "expected " + cols + " fields, found " + f.length);
            try {
                Map<String, Double> m = new LinkedHashMap<>();
                for (int j = 0; j < names.size(); j++) {
                    String c = f[HEAD.size() + j];
                    if (!c.isEmpty()) m.put(names.get(j), Double.parseDouble(c));
                }
                rows.add(new EpochRow(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]), m,
                        Double.parseDouble(f[cols - 2]), Double.parseDouble(f[cols - 1])));
            } catch (IllegalArgumentException e) { // NumberFormatException, or a negative epoch or step
                throw bad(file, i + 1, e.getMessage());
            }
        }
        return rows;
    }

    private static List<String> metricNames(Path file, List<String> lines) throws IOException {
        if (lines.isEmpty()) throw bad(file, 1, "the file is empty");
        List<String> h = List.of(lines.getFirst().split(",", -1));
        int n = h.size() - HEAD.size() - TAIL.size();
        if (n < 0 || !h.subList(0, HEAD.size()).equals(HEAD) || !h.subList(h.size() - TAIL.size(), h.size()).equals(TAIL)) {
            throw bad(file, 1, "header \"" + lines.getFirst() + "\" is not " + header(List.of("<metrics...>")).replace("\"", ""));
        }
        return List.copyOf(h.subList(HEAD.size(), HEAD.size() + n));
    }

    private static IOException bad(Path file, int line, String what) {
        return new IOException(file + ": line " + line + ": " + what
                + ". The file is damaged or not a metrics.csv; move it away to start the run's metrics afresh.");
    }
}
