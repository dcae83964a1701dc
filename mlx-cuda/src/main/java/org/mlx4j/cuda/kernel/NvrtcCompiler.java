package org.mlx4j.cuda.kernel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.mlx4j.cuda.lib.Nvrtc;

/**
 * The kernel compiler: NVRTC with the options of the device ({@link NvrtcOptions}), behind the disk
 * cache ({@link KernelCache}) keyed by source, options, target and NVRTC version.
 */
public final class NvrtcCompiler implements KernelCompiler {
    private static final Logger LOG = LogManager.getLogger(NvrtcCompiler.class);

    /** The compile step: NVRTC itself, or a fake in tests. */
    @FunctionalInterface
    public interface Compile {
        /** Compiles {@code source} with {@code options} to a cubin or to NUL-terminated PTX. */
        byte[] compile(String source, String name, List<String> options, boolean cubin);
    }

    private final String nvrtcVersion;
    private final NvrtcOptions options;
    private final KernelCache cache;
    private final Compile compile;

    /**
     * @param nvrtcVersion NVRTC's version (part of the cache key)
     * @param options      the device's options
     * @param cache        the disk cache
     * @param compile      what compiles on a miss
     */
    public NvrtcCompiler(String nvrtcVersion, NvrtcOptions options, KernelCache cache, Compile compile) {
        this.nvrtcVersion = Objects.requireNonNull(nvrtcVersion);
        this.options = Objects.requireNonNull(options);
        this.cache = Objects.requireNonNull(cache);
        this.compile = Objects.requireNonNull(compile);
    }

    /** The compiler for a device of compute capability {@code major.minor} using {@code nvrtc}. */
    public static NvrtcCompiler of(Nvrtc nvrtc, int major, int minor, KernelCache cache) {
        String version = nvrtc.versionString();
        NvrtcOptions o = NvrtcOptions.forDevice(major, minor, version, nvrtc.supportedArchs());
        return new NvrtcCompiler(version, o, cache, nvrtc::compile);
    }

    /** The options in use. */
    public NvrtcOptions options() { return options; }

    /** The cache in use. */
    public KernelCache cache() { return cache; }

    @Override public byte[] compile(String source, String programName) {
        String key = KernelCache.key(source, options.options(), options.arch(), nvrtcVersion);
        Optional<byte[]> hit = cache.get(key);
        if (hit.isPresent()) return hit.get();
        long t0 = System.nanoTime();
        byte[] image = compile.compile(source, programName, options.options(), options.cubin());
        LOG.debug("NVRTC compiled {} for {} in {} ms ({} bytes)", programName, options.arch(),
                (System.nanoTime() - t0) / 1_000_000, image.length);
        cache.put(key, image);
        return image;
    }

    @Override public String describe() {
        return "NVRTC " + nvrtcVersion + " -> " + options.arch() + (options.cubin() ? " cubin" : " PTX (driver JIT)")
                + ", cache " + cache;
    }
}
