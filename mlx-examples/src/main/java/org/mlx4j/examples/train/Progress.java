package org.mlx4j.examples.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error with the running loss and throughput, e.g.
 * {@code epoch 3 42% [=====>      ] 198/469 (0:00:05 / 0:00:07) loss 0.4123 · 5,432 img/s}.
 *
 * <p>A thin wrapper on me.tongfei:progressbar that redraws at most once a second, so a CI log that
 * keeps every redraw stays short. A disabled one prints nothing at all; the trainer still logs a line
 * per epoch. Typical use, one bar per epoch:
 * <pre>{@code
 * try (Progress p = Progress.start("epoch " + e, task.stepsPerEpoch(), Progress.wanted(plain))) {
 *     for (...) p.step(loss, itemsPerSecond, task.itemUnit());
 * }
 * }</pre>
 * Not thread-safe: call it from the training thread.
 */
public final class Progress implements AutoCloseable {
    private static final int UPDATE_MILLIS = 1000;
    private static final int MAX_WIDTH = 120;

    private final ProgressBar bar; // null when disabled
    private final String separator;

    private Progress(ProgressBar bar, String separator) {
        this.bar = bar;
        this.separator = separator;
    }

    /**
     * Starts a bar of {@code total} steps; with {@code enabled} false, one that does nothing.
     *
     * @throws IllegalArgumentException if {@code total} is negative
     */
    public static Progress start(String task, long total, boolean enabled) {
        if (total < 0) throw new IllegalArgumentException("[Progress] total must be >= 0. Got " + total + ".");
        if (!enabled) return new Progress(null, "");
        boolean terminal = isTerminal();
        PrintStream err = System.err;
        // Unicode blocks and the middle dot only where the terminal's encoding has them.
        boolean unicode = terminal && err.charset().newEncoder().canEncode("\u2588\u00b7");
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(unicode ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(UPDATE_MILLIS)
                // A fixed width: the library then never asks JLine for the terminal's size.
                .setConsumer(new ConsoleProgressBarConsumer(err, MAX_WIDTH))
                .build();
        return new Progress(bar, unicode ? " \u00b7 " : ", ");
    }

    /**
     * Whether to show a bar: always on a terminal; elsewhere (a log file, CI) unless {@code plain}
     * asks for per-epoch lines only.
     */
    public static boolean wanted(boolean plain) {
        return !plain || isTerminal();
    }

    /** True if standard input and output are an interactive terminal. */
    public static boolean isTerminal() {
        Console c = System.console();
        // Since JDK 22 System.console() exists even when redirected; isTerminal() tells the two apart.
        return c != null && c.isTerminal();
    }

    /**
     * Advances the bar by one step and shows {@code loss} and the throughput, e.g.
     * {@code loss 0.4123 · 5,432 img/s}.
     *
     * @param unit what is counted per second, e.g. {@code "img"} or {@code "tok"}
     */
    public void step(double loss, double itemsPerSecond, String unit) {
        if (bar == null) return;
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f%s%,.0f %s/s", loss, separator, itemsPerSecond, unit));
    }

    /** Steps taken so far (0 when disabled). */
    public long current() {
        return bar == null ? 0 : bar.getCurrent();
    }

    /** Draws the bar a last time and ends its line. */
    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
