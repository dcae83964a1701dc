package org.mlx4j.cuda.kernel;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One compilable kernel variant: the CUDA C resources that make its source, in order, and the
 * {@code #define}s that specialize them (element types, the operation). Two specs with equal parts
 * and defines compile to the same module, so a spec is the key of the in-memory module table; the
 * disk cache keys on the assembled source text itself (see {@link KernelCache}).
 *
 * @param parts   resource names under {@code org/mlx4j/cuda/kernels/}, e.g. {@code ["common.cuh", "unary.cu"]}
 * @param defines macro name to replacement text, emitted before the parts in name order
 */
public record KernelSpec(List<String> parts, SortedMap<String, String> defines) {
    /** Copies the arguments, so a spec never changes after it is made. */
    public KernelSpec {
        parts = List.copyOf(parts);
        defines = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(defines));
    }

    /** A spec from its parts and defines given as a map. */
    public static KernelSpec of(List<String> parts, Map<String, String> defines) {
        return new KernelSpec(parts, new TreeMap<>(defines));
    }

    /** A short human name for logs and error messages, e.g. {@code unary.cu[IN_T=float, OP=op_exp, ...]}. */
    public String label() {
        return parts.get(parts.size() - 1) + defines;
    }
}
