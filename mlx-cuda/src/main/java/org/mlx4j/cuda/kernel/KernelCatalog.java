package org.mlx4j.cuda.kernel;

import java.util.ArrayList;
import java.util.List;

/** Every family's representative variants: what the build-time nvcc test compiles. */
public final class KernelCatalog {
    private KernelCatalog() {}

    /** All variants, family by family. */
    public static List<KernelSpec> all() {
        List<KernelSpec> all = new ArrayList<>();
        all.addAll(ElementwiseKernels.catalog());
        all.addAll(ReductionKernels.catalog());
        all.addAll(IndexingKernels.catalog());
        return all;
    }
}
