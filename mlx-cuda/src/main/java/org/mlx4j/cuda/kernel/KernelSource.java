package org.mlx4j.cuda.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assembles the CUDA C text of a {@link KernelSpec}: its defines, then its resource parts pasted in
 * order. Kernels never {@code #include}: NVRTC sees no system headers, and pasting keeps what nvcc
 * compiles in the build-time check byte-identical to what NVRTC compiles at run time.
 */
public final class KernelSource {
    /** Where the kernel resources live on the class path. */
    public static final String RESOURCE_DIR = "/org/mlx4j/cuda/kernels/";

    private static final Map<String, String> PARTS = new ConcurrentHashMap<>();

    private KernelSource() {}

    /** The full source text of {@code spec}. */
    public static String text(KernelSpec spec) {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("// mlx4j kernel ").append(spec.label()).append('\n');
        for (Map.Entry<String, String> d : spec.defines().entrySet()) {
            sb.append("#define ").append(d.getKey()).append(' ').append(d.getValue()).append('\n');
        }
        for (String p : spec.parts()) {
            sb.append("// ---- ").append(p).append('\n').append(part(p)).append('\n');
        }
        return sb.toString();
    }

    /** One resource's text (cached). */
    public static String part(String name) {
        return PARTS.computeIfAbsent(name, n -> {
            try (InputStream in = KernelSource.class.getResourceAsStream(RESOURCE_DIR + n)) {
                if (in == null) throw new IllegalArgumentException("[cuda] no kernel resource " + RESOURCE_DIR + n);
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("[cuda] cannot read kernel resource " + n, e);
            }
        });
    }
}
