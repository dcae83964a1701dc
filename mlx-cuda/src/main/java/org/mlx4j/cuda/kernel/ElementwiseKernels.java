package org.mlx4j.cuda.kernel;

import java.util.List;

/** Kernel specs of one family (placeholder until the family lands). */
public final class ElementwiseKernels {
    private ElementwiseKernels() {}

    /** Representative variants for the nvcc compile test. */
    public static List<KernelSpec> catalog() { return List.of(); }
}
