package org.mlx4j.examples.train;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code steps.csv}: {@code step,epoch,loss}, one row per optimizer step, appended as training goes
 * (buffered; {@link #flush()} once per epoch) and cut back with {@link #truncate} when a run resumes
 * from an earlier checkpoint. Losses are written with {@link Double#toString(double)}.
 *
 * <pre>{@code
 * StepsCsv.truncate(out.resolve(StepsCsv.FILE), checkpointStep); // resume: drop steps after the checkpoint
 * try (StepsCsv steps = StepsCsv.append(out.resolve(StepsCsv.FILE))) {
 *     steps.add(step, epoch, loss);
 *     steps.flush(); // at the end of each epoch
 * }
 * }</pre>
 */
public final class StepsCsv implements Closeable {
    /** The file's name in a run directory. */
    public static final String FILE = "steps.csv";
    /** The header line. */
    public static final String HEADER = "step,epoch,loss";

    private final Path file;
    private final BufferedWriter out;

    private StepsCsv(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens {@code file} for appending, creating it with its header if it is absent or empty. A last
     * line cut short by a crash (no line end) is dropped first, so new rows start on a line of their own.
     *
     * @throws IOException if the file cannot be opened, or exists with another header
     */
    public static StepsCsv append(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            if (!endsWithNewline(file)) truncate(file, Long.MAX_VALUE);
            checkHeader(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } else {
            Files.writeString(file, HEADER + "\n", StandardCharsets.UTF_8);
        }
        return new StepsCsv(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    /** Adds one row (buffered: it reaches the file at the next {@link #flush()} or {@link #close()}). */
    public void add(long step, int epoch, double loss) throws IOException {
        out.write(Long.toString(step));
        out.write(',');
        out.write(Integer.toString(epoch));
        out.write(',');
        out.write(Double.toString(loss));
        out.write('\n');
    }

    /** Hands the buffered rows to the operating system; call once per epoch. */
    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes and closes the file. */
    @Override
    public void close() throws IOException {
        out.close();
    }

    /** The file this writes to. */
    public Path file() {
        return file;
    }

    /**
     * Keeps only the rows with {@code step <= maxStep} (and drops a torn last line), replacing the file
     * atomically. Nothing happens if the file does not exist.
     *
     * @throws IOException if the file cannot be read or rewritten, or has another header
     */
    public static void truncate(Path file, long maxStep) throws IOException {
        if (!Files.exists(file)) return;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        boolean torn = Files.size(file) > 0 && !endsWithNewline(file);
        if (lines.isEmpty() || (torn && lines.size() == 1)) {
            AtomicFiles.write(file, o -> o.write((HEADER + "\n").getBytes(StandardCharsets.UTF_8)));
            return;
        }
        checkHeader(file, lines);
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        int last = torn ? lines.size() - 1 : lines.size();
        for (int i = 1; i < last; i++) {
            String line = lines.get(i);
            if (line.isEmpty()) continue;
            if (parse(file, i + 1, line)[0] <= maxStep) sb.append(line).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, o -> o.write(bytes));
    }

    /**
     * The (step, loss) pairs of {@code file}, for {@link Plots#writeTrainingPlot}; a torn last line is
     * skipped.
     *
     * @throws IOException naming the file and line if it cannot be read or a complete line is malformed
     */
    public static List<double[]> readStepLoss(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<double[]> out = new ArrayList<>();
        if (lines.isEmpty()) return out;
        checkHeader(file, lines);
        int last = endsWithNewline(file) ? lines.size() : lines.size() - 1;
        for (int i = 1; i < last; i++) {
            if (lines.get(i).isEmpty()) continue;
            double[] r = parse(file, i + 1, lines.get(i));
            out.add(new double[] {r[0], r[2]});
        }
        return out;
    }

    private static double[] parse(Path file, int lineNo, String line) throws IOException {
        String[] f = line.split(",", -1);
        try {
            if (f.length != 3) throw new NumberFormatException("expected 3 fields, found " + f.length);
            return new double[] {Long.parseLong(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2])};
        } catch (NumberFormatException e) {
            throw new IOException(file + ": line " + lineNo + ": \"" + line + "\" is not step,epoch,loss (" + e.getMessage()
                    + "). Move the file away to start the step log afresh.");
        }
    }

    private static void checkHeader(Path file, List<String> lines) throws IOException {
        if (!lines.getFirst().equals(HEADER)) {
            throw new IOException(file + ": header \"" + lines.getFirst() + "\" is not \"" + HEADER
                    + "\"; this is not a steps.csv. Move it away or choose another output directory.");
        }
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() == 0) return true;
            f.seek(f.length() - 1);
            return f.read() == '\n';
        }
    }
}
