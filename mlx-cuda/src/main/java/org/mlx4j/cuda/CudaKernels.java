package org.mlx4j.cuda;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.mlx4j.core.Array;
import org.mlx4j.core.primitive.Primitive;

/**
 * The CUDA kernel table: each family registers a launcher per primitive class, or declares a
 * primitive unsupported with the reason. Building the table needs no GPU, so the conformance test
 * checks on any machine that every primitive is either registered or declared.
 */
public final class CudaKernels {
    /** Computes {@code node} on the GPU from its evaluated inputs and calls {@link Array#setData}. */
    @FunctionalInterface
    public interface Kernel { void eval(Array node, CudaRuntime rt); }

    private final Map<Class<? extends Primitive>, Kernel> kernels = new HashMap<>();
    private final Map<String, String> unsupported = new LinkedHashMap<>();

    /** Registers the launcher of primitive class {@code c}. */
    public void put(Class<? extends Primitive> c, Kernel k) {
        if (kernels.put(c, k) != null) throw new IllegalStateException("two CUDA kernels for " + c.getSimpleName());
    }

    /** Declares primitive {@code name} ({@link Primitive#name()}) unsupported, saying why. */
    public void unsupported(String name, String why) { unsupported.put(name, why); }

    Kernel get(Class<? extends Primitive> c) { return kernels.get(c); }

    /** The primitive classes with a launcher. */
    public Set<Class<? extends Primitive>> primitives() { return kernels.keySet(); }

    /** Declared unsupported primitives and why. */
    public Map<String, String> unsupported() { return java.util.Collections.unmodifiableMap(unsupported); }

    /** The full table, every family registered. */
    public static CudaKernels standard() {
        CudaKernels t = new CudaKernels();
        CudaViews.register(t);
        CudaMatmul.register(t);
        CudaElementwise.register(t);
        CudaIndexing.register(t);
        CudaRandom.register(t);
        CudaConv.register(t);
        CudaReduce.register(t);
        CudaScan.register(t);
        CudaSort.register(t);
        // further families register here, one line each
        return t;
    }
}
