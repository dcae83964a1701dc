package org.mlx4j.tests;

import static org.mlx4j.core.MX.*;

import org.mlx4j.core.Array;
import org.mlx4j.core.backend.cpu.Simd;

/** Run in a child JVM by {@link ScalarPathTest}: prints the active CPU path and a few results. */
public final class ScalarPathMain {
    private ScalarPathMain() {}

    /** Prints {@code path=...} and {@code values=...}. */
    public static void main(String[] args) {
        System.out.println("path=" + Simd.describe());
        System.out.println("values=" + String.join(",", ScalarPathTest.workload()));
    }
}
