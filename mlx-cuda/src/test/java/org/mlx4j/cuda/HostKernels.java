package org.mlx4j.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mlx4j.cuda.kernel.KernelSource;

/**
 * Runs the text of a kernel resource on the host: g++ compiles common.cuh and the kernel file with a
 * prelude that makes {@code __global__}/{@code __device__} plain functions, runs the grid as one
 * thread of one block (so grid-stride and row loops visit everything in order, and the atomics are
 * plain read-modify-writes), and a test-written {@code main} prints results. This checks the CUDA
 * source's arithmetic (indices, bit layout, clamping) on a machine without a GPU; it says nothing
 * about concurrency, and float16/bfloat16 conversions (inline PTX) are blanked out, so tests avoid them.
 */
final class HostKernels {
    private HostKernels() {}

    private static final String PRELUDE = """
            #include <cstdio>
            #include <cstring>
            #include <cstdlib>
            #define __global__
            #define __device__
            #define __forceinline__ inline
            #define __shared__ static
            #define asm(...)
            struct mlx_host_dim { unsigned int x; };
            static mlx_host_dim blockIdx = {0}, threadIdx = {0}, blockDim = {1}, gridDim = {1};
            static inline void __syncthreads() {}
            static inline float __int_as_float(int v) { float f; memcpy(&f, &v, 4); return f; }
            static inline unsigned int __float_as_uint(float f) { unsigned int v; memcpy(&v, &f, 4); return v; }
            static inline unsigned int atomicMax(unsigned int* p, unsigned int v) { unsigned int o = *p; if (v > o) *p = v; return o; }
            static inline float atomicAdd(float* p, float v) { float o = *p; *p = o + v; return o; }
            static inline double atomicAdd(double* p, double v) { double o = *p; *p = o + v; return o; }
            static inline int atomicAdd(int* p, int v) { int o = *p; *p = (int) ((unsigned int) o + (unsigned int) v); return o; }
            static inline unsigned int atomicAdd(unsigned int* p, unsigned int v) { unsigned int o = *p; *p = o + v; return o; }
            static inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) { unsigned long long o = *p; *p = o + v; return o; }
            static inline unsigned int atomicCAS(unsigned int* p, unsigned int c, unsigned int v) { unsigned int o = *p; if (o == c) *p = v; return o; }
            """;

    /** The g++ to use, or null (tests skip). */
    static String compiler() {
        for (String c : List.of("/usr/bin/g++", "/usr/local/bin/g++")) if (Files.isExecutable(Path.of(c))) return c;
        return null;
    }

    /**
     * Compiles {@code defines}, common.cuh, the resource {@code part} and {@code main} (the body of
     * {@code int main()}), runs the program and returns its standard output.
     */
    static String run(String part, Map<String, String> defines, String main) throws IOException, InterruptedException {
        StringBuilder src = new StringBuilder(PRELUDE);
        for (Map.Entry<String, String> d : defines.entrySet()) src.append("#define ").append(d.getKey()).append(' ').append(d.getValue()).append('\n');
        src.append(KernelSource.part("common.cuh")).append('\n').append(KernelSource.part(part)).append('\n');
        src.append("int main() {\n").append(main).append("\nreturn 0;\n}\n");
        Path dir = Files.createTempDirectory("mlx4j-hostkernel");
        Path cpp = dir.resolve("k.cpp"), exe = dir.resolve("k");
        Files.writeString(cpp, src);
        String compileOut = exec(List.of(compiler(), "-std=c++17", "-O1", "-w", "-o", exe.toString(), cpp.toString()));
        if (!Files.isExecutable(exe)) throw new AssertionError("g++ failed on " + part + ":\n" + compileOut);
        return exec(List.of(exe.toString()));
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }

    /** A C++ initializer of the Layout struct. */
    static String layout(Layout l) {
        long[] p = l.pack();
        StringBuilder sb = new StringBuilder("Layout{").append(p[0]).append("LL, {");
        for (int i = 1; i <= Layout.MAX_DIMS; i++) sb.append(i > 1 ? ", " : "").append(p[i]).append("LL");
        sb.append("}, {");
        for (int i = 1 + Layout.MAX_DIMS; i < p.length; i++) sb.append(i > 1 + Layout.MAX_DIMS ? ", " : "").append(p[i]).append("LL");
        return sb.append("}}").toString();
    }

    /** A C++ array definition {@code static T name[] = {...};} (at least one element). */
    static String array(String type, String name, long[] v) {
        StringBuilder sb = new StringBuilder("static ").append(type).append(' ').append(name).append("[] = {");
        if (v.length == 0) sb.append('0');
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append('(').append(type).append(") ").append(v[i]).append("LL");
        return sb.append("};\n").toString();
    }

    /** A C++ array definition of doubles. */
    static String array(String type, String name, double[] v) {
        StringBuilder sb = new StringBuilder("static ").append(type).append(' ').append(name).append("[] = {");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append('(').append(type).append(") ").append(Double.toString(v[i]));
        return sb.append("};\n").toString();
    }

    /** C++ that prints {@code n} elements of {@code name} as integers (or doubles), one per line. */
    static String print(String name, long n, boolean asDouble) {
        return "for (long long i = 0; i < " + n + "; i++) printf(\"" + (asDouble ? "%.17g" : "%lld") + "\\n\", ("
                + (asDouble ? "double" : "long long") + ") " + name + "[i]);\n";
    }

    /** Parses the program's output lines as longs. */
    static long[] longs(String out) {
        List<Long> v = new ArrayList<>();
        for (String line : out.split("\n")) if (!line.isBlank()) v.add(Long.parseLong(line.trim()));
        return v.stream().mapToLong(Long::longValue).toArray();
    }

    /** Parses the program's output lines as doubles. */
    static double[] doubles(String out) {
        List<Double> v = new ArrayList<>();
        for (String line : out.split("\n")) if (!line.isBlank()) v.add(Double.parseDouble(line.trim()));
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
