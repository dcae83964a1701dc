package org.mlx4j.cuda.lib;

import static org.mlx4j.cuda.lib.NativeLib.ADDR;
import static org.mlx4j.cuda.lib.NativeLib.INT;
import static org.mlx4j.cuda.lib.NativeLib.SIZE_T;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * NVRTC, the run-time CUDA C compiler ({@code libnvrtc.so.13} or {@code .12}), through
 * {@code java.lang.foreign}. The signatures are those of {@code nvrtc.h} (every function returns an
 * {@code nvrtcResult}, 0 = {@code NVRTC_SUCCESS}; {@code nvrtcProgram} is an opaque pointer). Thread
 * safe: each compilation owns its program.
 */
public final class Nvrtc {
    private static final Logger LOG = LogManager.getLogger(Nvrtc.class);

    private final NativeLib lib;
    // nvrtcResult nvrtcVersion(int* major, int* minor)
    private final NativeLib.Fn version;
    // const char* nvrtcGetErrorString(nvrtcResult)
    private final NativeLib.Fn getErrorString;
    // nvrtcResult nvrtcGetNumSupportedArchs(int*), nvrtcGetSupportedArchs(int*)
    private final NativeLib.Fn getNumSupportedArchs, getSupportedArchs;
    // nvrtcResult nvrtcCreateProgram(nvrtcProgram*, const char* src, const char* name, int numHeaders,
    //                                const char* const* headers, const char* const* includeNames)
    private final NativeLib.Fn createProgram;
    // nvrtcResult nvrtcCompileProgram(nvrtcProgram, int numOptions, const char* const* options)
    private final NativeLib.Fn compileProgram;
    // nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram, size_t*), nvrtcGetProgramLog(nvrtcProgram, char*); same for CUBIN, PTX
    private final NativeLib.Fn getLogSize, getLog, getCubinSize, getCubin, getPtxSize, getPtx;
    // nvrtcResult nvrtcDestroyProgram(nvrtcProgram*)
    private final NativeLib.Fn destroyProgram;
    private volatile int[] versionCache;

    private Nvrtc(NativeLib lib) {
        this.lib = lib;
        version = lib.fn("nvrtcVersion", FunctionDescriptor.of(INT, ADDR, ADDR));
        getErrorString = lib.fn("nvrtcGetErrorString", FunctionDescriptor.of(ADDR, INT));
        getNumSupportedArchs = lib.fn("nvrtcGetNumSupportedArchs", FunctionDescriptor.of(INT, ADDR));
        getSupportedArchs = lib.fn("nvrtcGetSupportedArchs", FunctionDescriptor.of(INT, ADDR));
        createProgram = lib.fn("nvrtcCreateProgram", FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, INT, ADDR, ADDR));
        compileProgram = lib.fn("nvrtcCompileProgram", FunctionDescriptor.of(INT, ADDR, INT, ADDR));
        getLogSize = lib.fn("nvrtcGetProgramLogSize", FunctionDescriptor.of(INT, ADDR, ADDR));
        getLog = lib.fn("nvrtcGetProgramLog", FunctionDescriptor.of(INT, ADDR, ADDR));
        getCubinSize = lib.fn("nvrtcGetCUBINSize", FunctionDescriptor.of(INT, ADDR, ADDR));
        getCubin = lib.fn("nvrtcGetCUBIN", FunctionDescriptor.of(INT, ADDR, ADDR));
        getPtxSize = lib.fn("nvrtcGetPTXSize", FunctionDescriptor.of(INT, ADDR, ADDR));
        getPtx = lib.fn("nvrtcGetPTX", FunctionDescriptor.of(INT, ADDR, ADDR));
        destroyProgram = lib.fn("nvrtcDestroyProgram", FunctionDescriptor.of(INT, ADDR));
    }

    /**
     * Finds and loads NVRTC.
     *
     * @throws IllegalStateException naming what was searched, or why the library could not be loaded
     */
    public static Nvrtc load(LibrarySearch search) {
        return new Nvrtc(NativeLib.open(search, CudaLibrary.NVRTC));
    }

    /** The loaded file (or loader name). */
    public String path() { return lib.where(); }

    /** The major version of the file name (12 or 13). */
    public int fileMajor() { return lib.found().major(); }

    /** {@code {major, minor}} as NVRTC reports it. */
    public int[] version() {
        int[] v = versionCache;
        if (v != null) return v.clone();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(INT), minor = a.allocate(INT);
            check((int) version.handle().invokeExact(major, minor), "nvrtcVersion");
            v = new int[] {major.get(INT, 0), minor.get(INT, 0)};
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
        versionCache = v;
        return v.clone();
    }

    /** The version as text, e.g. {@code 13.0}. */
    public String versionString() {
        int[] v = version();
        return v[0] + "." + v[1];
    }

    /** The real architectures this NVRTC compiles for, e.g. {@code [75, 80, 86, 87, 89, 90, 100, 120]}, ascending. */
    public int[] supportedArchs() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(INT);
            check((int) getNumSupportedArchs.handle().invokeExact(n), "nvrtcGetNumSupportedArchs");
            int count = n.get(INT, 0);
            if (count <= 0) return new int[0];
            MemorySegment archs = a.allocate(INT, count);
            check((int) getSupportedArchs.handle().invokeExact(archs), "nvrtcGetSupportedArchs");
            int[] out = archs.toArray(ValueLayout.JAVA_INT);
            Arrays.sort(out);
            return out;
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** NVRTC's name for a result code, e.g. {@code NVRTC_ERROR_COMPILATION}. */
    public String errorString(int result) {
        try {
            String s = NativeLib.cString((MemorySegment) getErrorString.handle().invokeExact(result));
            return s != null ? s : "nvrtcResult " + result;
        } catch (Throwable t) {
            return "nvrtcResult " + result;
        }
    }

    /**
     * Compiles one CUDA C source.
     *
     * @param source  the full text (no {@code #include}s: no headers are passed)
     * @param name    the program name NVRTC uses in its messages
     * @param options the options, e.g. from {@code NvrtcOptions}
     * @param cubin   true for a cubin (the options name a real {@code sm_XY}), false for PTX ({@code compute_XY})
     * @return the cubin, or the PTX text ending with its NUL
     * @throws IllegalStateException with NVRTC's error string and the compiler log when compilation fails
     */
    public byte[] compile(String source, String name, List<String> options, boolean cubin) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment progOut = a.allocate(ADDR);
            check((int) createProgram.handle().invokeExact(progOut, a.allocateFrom(source), a.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram(" + name + ")");
            MemorySegment prog = progOut.get(ADDR, 0);
            try {
                MemorySegment opts = a.allocate(ADDR, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) opts.setAtIndex(ADDR, i, a.allocateFrom(options.get(i)));
                int result = (int) compileProgram.handle().invokeExact(prog, options.size(), opts);
                String log = programLog(a, prog);
                if (result != 0) {
                    throw new IllegalStateException("[cuda] NVRTC " + versionOrUnknown() + " cannot compile " + name + ": "
                            + errorString(result) + " (" + result + "), options " + options + "\n" + log);
                }
                if (!log.isBlank()) LOG.debug("NVRTC log for {}:\n{}", name, log);
                MemorySegment size = a.allocate(SIZE_T);
                check((int) (cubin ? getCubinSize : getPtxSize).handle().invokeExact(prog, size), cubin ? "nvrtcGetCUBINSize" : "nvrtcGetPTXSize");
                long n = size.get(SIZE_T, 0);
                MemorySegment image = a.allocate(Math.max(1, n));
                check((int) (cubin ? getCubin : getPtx).handle().invokeExact(prog, image), cubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX");
                byte[] bytes = image.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                if (!cubin && (bytes.length == 0 || bytes[bytes.length - 1] != 0)) {
                    // the driver reads PTX as a C string; NVRTC's size includes the NUL, but make sure
                    bytes = Arrays.copyOf(bytes, bytes.length + 1);
                }
                return bytes;
            } finally {
                int r = (int) destroyProgram.handle().invokeExact(progOut);
                if (r != 0) LOG.warn("nvrtcDestroyProgram({}) failed: {}", name, errorString(r));
            }
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    private String programLog(Arena a, MemorySegment prog) throws Throwable {
        MemorySegment size = a.allocate(SIZE_T);
        if ((int) getLogSize.handle().invokeExact(prog, size) != 0) return "(no log)";
        long n = size.get(SIZE_T, 0);
        if (n <= 1) return "";
        MemorySegment buf = a.allocate(n);
        if ((int) getLog.handle().invokeExact(prog, buf) != 0) return "(no log)";
        return buf.getString(0);
    }

    private String versionOrUnknown() {
        try {
            return versionString();
        } catch (RuntimeException e) {
            return "(version unknown)";
        }
    }

    private void check(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException("[cuda] " + call + " failed: " + errorString(result) + " (" + result + ") in " + path());
        }
    }

    @Override public String toString() { return "NVRTC " + versionOrUnknown() + " (" + path() + ")"; }
}
