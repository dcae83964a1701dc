package org.mlx4j.cuda.lib;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The process's CUDA libraries: one lazily loaded instance of each facade, found by the standard
 * {@link LibrarySearch}, and the report {@code mlx4j doctor} prints. A library that cannot be loaded
 * fails the same way at every request (an {@link IllegalStateException} with the search's message),
 * so the backend can report itself unavailable and carry on.
 */
public final class CudaLibraries {
    private static final Lazy<LibrarySearch> SEARCH = new Lazy<>(x -> LibrarySearch.standard());
    private static final Lazy<Nvrtc> NVRTC = new Lazy<>(x -> Nvrtc.load(search()));
    private static final Lazy<CublasLt> CUBLASLT = new Lazy<>(x -> CublasLt.load(search()));
    private static final Lazy<Cudnn> CUDNN = new Lazy<>(x -> Cudnn.load(search()));

    private CudaLibraries() {}

    /** The standard search (made once). */
    public static LibrarySearch search() { return SEARCH.get(); }

    /**
     * NVRTC, loaded at the first call.
     *
     * @throws IllegalStateException when it cannot be found or loaded (the message says what was searched)
     */
    public static Nvrtc nvrtc() { return NVRTC.get(); }

    /**
     * cuBLASLt, loaded at the first call.
     *
     * @throws IllegalStateException when it cannot be found or loaded
     */
    public static CublasLt cublasLt() { return CUBLASLT.get(); }

    /**
     * cuDNN, loaded at the first call.
     *
     * @throws IllegalStateException when it cannot be found or loaded
     */
    public static Cudnn cudnn() { return CUDNN.get(); }

    /** Lines for {@code mlx4j doctor}: each library's file and version, or why it is missing. Never throws. */
    public static List<String> report() {
        try {
            return report(search());
        } catch (RuntimeException e) {
            return List.of("CUDA libraries: cannot search: " + e);
        }
    }

    /**
     * The report for one search. Each library found is loaded and asked its version (loading these
     * libraries runs no device code, so it is safe without a GPU); a library that is missing gives its
     * miss line, and the folders searched are listed once at the end. Never throws.
     */
    public static List<String> report(LibrarySearch search) {
        List<String> lines = new ArrayList<>();
        boolean anyMissing = false;
        for (CudaLibrary lib : CudaLibrary.values()) {
            String label = label(lib);
            try {
                switch (search.find(lib)) {
                    case LibrarySearch.Missing m -> {
                        anyMissing = true;
                        lines.add(label + ": not found (tried " + String.join(", ", lib.fileNames()) + ")");
                    }
                    case LibrarySearch.Found f -> lines.add(label + " " + versionOf(search, lib) + ": " + f.loadName()
                            + (f.viaLoader() ? " (from the system loader's search)" : ""));
                }
            } catch (Throwable t) {
                // found but not loadable (or the driver's loader miss): say why, on one line
                String msg = String.valueOf(t.getMessage());
                int nl = msg.indexOf('\n');
                if (lib == CudaLibrary.DRIVER && msg.contains("not found")) anyMissing = true;
                lines.add(label + ": unusable: " + (nl > 0 ? msg.substring(0, nl) : msg));
            }
        }
        if (anyMissing) {
            lines.add("CUDA libraries searched in: " + String.join(", ", search.dirs().stream().map(Object::toString).toList()));
            lines.add("To use a library elsewhere: -D" + LibrarySearch.PROPERTY + "=DIR (or " + LibrarySearch.ENV + "=DIR)");
        }
        return lines;
    }

    private static String label(CudaLibrary lib) {
        return switch (lib) {
            case DRIVER -> "CUDA driver";
            case NVRTC -> "NVRTC";
            case CUBLAS -> "cuBLAS";
            case CUBLASLT -> "cuBLASLt";
            case CUDNN -> "cuDNN";
        };
    }

    /** Loads the library from {@code search} and asks its version. */
    private static String versionOf(LibrarySearch search, CudaLibrary lib) throws Throwable {
        return switch (lib) {
            case NVRTC -> Nvrtc.load(search).versionString();
            case CUBLASLT -> CublasLt.load(search).versionString();
            case CUDNN -> Cudnn.load(search).versionString();
            case DRIVER -> {
                // int cuDriverGetVersion(int*): 13000 for CUDA 13.0; needs no cuInit and no device
                NativeLib l = NativeLib.open(search, lib);
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment v = a.allocate(NativeLib.INT);
                    int r = (int) l.fn("cuDriverGetVersion", FunctionDescriptor.of(NativeLib.INT, NativeLib.ADDR)).handle().invokeExact(v);
                    if (r != 0) yield "(cuDriverGetVersion: CUresult " + r + ")";
                    int x = v.get(NativeLib.INT, 0);
                    yield x / 1000 + "." + x % 1000 / 10;
                }
            }
            case CUBLAS -> {
                // cublasStatus_t cublasGetProperty(libraryPropertyType, int*): MAJOR_VERSION = 0,
                // MINOR_VERSION = 1, PATCH_LEVEL = 2 (library_types.h)
                NativeLib l = NativeLib.open(search, lib);
                var get = l.fn("cublasGetProperty", FunctionDescriptor.of(NativeLib.INT, NativeLib.INT, NativeLib.ADDR)).handle();
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment v = a.allocate(NativeLib.INT);
                    int[] parts = new int[3];
                    for (int i = 0; i < 3; i++) {
                        if ((int) get.invokeExact(i, v) != 0) yield "(version unknown)";
                        parts[i] = v.get(NativeLib.INT, 0);
                    }
                    yield parts[0] + "." + parts[1] + "." + parts[2];
                }
            }
        };
    }

    /** A value made once; a failure is remembered and rethrown (as a fresh exception) at each request. */
    private static final class Lazy<T> {
        private final Function<Void, T> make;
        private volatile T value;
        private volatile RuntimeException failure;

        Lazy(Function<Void, T> make) { this.make = make; }

        T get() {
            T v = value;
            if (v != null) return v;
            synchronized (this) {
                if (value != null) return value;
                if (failure == null) {
                    try {
                        value = make.apply(null);
                        return value;
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
                throw new IllegalStateException(failure.getMessage(), failure);
            }
        }
    }
}
