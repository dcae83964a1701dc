package org.mlx4j.cuda.kernel;

/**
 * Turns assembled CUDA C into a module image the driver loads (cubin, or PTX the driver JIT-compiles).
 * The NVRTC implementation caches images on disk.
 */
public interface KernelCompiler {
    /**
     * Compiles {@code source}.
     *
     * @param source      the full text ({@link KernelSource#text})
     * @param programName a name for messages, e.g. the spec's label
     * @return the module image: cubin bytes, or NUL-terminated PTX text
     * @throws IllegalStateException with the compiler log when compilation fails
     */
    byte[] compile(String source, String programName);

    /** What compiles, for diagnostics: e.g. {@code "NVRTC 13.0 -> sm_90 cubin, cache /root/.cache/mlx4j/cuda"}. */
    String describe();
}
