package org.mlx4j.core.backend.cpu;

import org.apache.logging.log4j.LogManager;

/**
 * Whether the CPU kernels use the {@code jdk.incubator.vector} path. It is used when the module is
 * present (run with {@code --add-modules jdk.incubator.vector}) unless {@code -Dmlx4j.simd=false};
 * otherwise the scalar loops run. One log line says which path is active.
 */
public final class Simd {
    /** True when the Vector API path is active. */
    public static final boolean ENABLED = detect();

    private Simd() {}

    private static boolean detect() {
        boolean on;
        String why;
        if (!Boolean.parseBoolean(System.getProperty("mlx4j.simd", "true"))) {
            on = false;
            why = "disabled by -Dmlx4j.simd=false";
        } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            on = false;
            why = "module jdk.incubator.vector not present (add --add-modules jdk.incubator.vector)";
        } else {
            on = true;
            why = "jdk.incubator.vector";
        }
        LogManager.getLogger(Simd.class).info("mlx4j CPU path: {} ({})", on ? "Vector API" : "scalar", why);
        return on;
    }

    /** A one-line description of the active path (for doctor output and tests). */
    public static String describe() { return ENABLED ? "Vector API" : "scalar"; }
}
