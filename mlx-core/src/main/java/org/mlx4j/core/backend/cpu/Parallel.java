package org.mlx4j.core.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The one place the CPU backend goes parallel: ranges split over a ForkJoinPool sized to the cores
 * (overridable with {@code -Dmlx4j.threads=N}). Small ranges run on the calling thread.
 */
public final class Parallel {
    /** Number of worker threads. */
    public static final int THREADS = Integer.getInteger("mlx4j.threads", Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

    private Parallel() {}

    /** Work on {@code [start, end)}. */
    @FunctionalInterface
    public interface Range { void run(long start, long end); }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} items, in parallel when
     * there is more than one chunk.
     */
    public static void forRange(long n, long grain, Range body) {
        if (n <= 0) return;
        grain = Math.max(1, grain);
        // nested calls from a worker run inline: the outer level already uses every core
        if (POOL == null || n <= grain || java.util.concurrent.ForkJoinTask.getPool() == POOL) {
            body.run(0, n);
            return;
        }
        long chunks = Math.min((n + grain - 1) / grain, 4L * THREADS);
        long per = (n + chunks - 1) / chunks;
        POOL.invoke(new Task(body, 0, n, per));
    }

    private static final class Task extends RecursiveAction {
        final Range body;
        final long lo, hi, per;

        Task(Range body, long lo, long hi, long per) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.per = per;
        }

        @Override protected void compute() {
            if (hi - lo <= per) {
                body.run(lo, hi);
                return;
            }
            long mid = lo + ((hi - lo) / per / 2) * per;
            if (mid <= lo) mid = lo + per;
            invokeAll(new Task(body, lo, mid, per), new Task(body, mid, hi, per));
        }
    }
}
