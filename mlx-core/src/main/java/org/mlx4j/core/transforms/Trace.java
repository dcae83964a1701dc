package org.mlx4j.core.transforms;

/**
 * Whether a function transform is tracing on this thread. While it is, evaluation keeps the
 * recipes of evaluated arrays, because the transform still walks their graph.
 */
public final class Trace {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private Trace() {}

    /** True inside a transform's call of the user's function. */
    public static boolean active() { return DEPTH.get()[0] > 0; }

    static void enter() { DEPTH.get()[0]++; }

    static void exit() { DEPTH.get()[0]--; }
}
