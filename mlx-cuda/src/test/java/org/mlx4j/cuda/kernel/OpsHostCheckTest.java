package org.mlx4j.cuda.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.backend.cpu.ScalarMath;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.UnaryOp;

/**
 * The semantics of ops.cuh checked on the host: ops.cuh is compiled by g++ with a small prelude in
 * place of common.cuh (device qualifiers empty, the bit-cast intrinsics in C++), every op is evaluated
 * on edge values (signed zeros, infinities, NaN, halves, integer extremes, shift counts) for float,
 * double and long long, and compared with the CPU backend's ScalarMath: integers exactly, double to
 * 1e-13, float to 1e-6 relative (the host's libm stands in for CUDA's, so this checks the formulas and
 * special cases, not CUDA's last-ulp accuracy). Skips where g++ is absent.
 */
class OpsHostCheckTest {
    static final double[] F = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, -7.0, 7.0, 0.1, 1e-10, 1e20, -1e20, 100.0,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 0.9999999, 1e-40, 88.7, -88.7, 6.5, -0.3, 2.0, 0.75, -3.0, 1e-3};
    static final long[] L = {0, 1, -1, 2, -2, 3, -7, 7, 63, 64, 65, -64, 100, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, 5, -5, 255, 1L << 31};

    private static final String PRELUDE = """
            #include <math.h>
            #include <cmath>
            #include <cstdio>
            #include <cstring>
            #define __device__
            #define __forceinline__ inline
            #define __global__
            struct mlx_half { unsigned short bits; };
            struct mlx_bfloat { unsigned short bits; };
            inline float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }
            inline double __longlong_as_double(long long i) { double f; memcpy(&f, &i, 8); return f; }
            template <typename C, typename T> C to_compute(T x) { return (C) x; }
            template <typename T, typename C> T from_compute(C c) { return (T) c; }
            using std::isinf; using std::isfinite; using std::signbit;
            static unsigned fb(float f) { unsigned u; memcpy(&u, &f, 4); return u; }
            static unsigned long long db(double d) { unsigned long long u; memcpy(&u, &d, 8); return u; }
            """;

    static Path findGxx() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "g++");
            if (!dir.isEmpty() && Files.isExecutable(p)) return p;
        }
        return null;
    }

    static String program() {
        StringBuilder sb = new StringBuilder(PRELUDE).append(KernelSource.part("ops.cuh")).append("\nint main() {\n");
        sb.append("float fv[] = {");
        for (double v : F) sb.append("__int_as_float(").append(Float.floatToRawIntBits((float) v)).append("),");
        sb.append("};\ndouble dv[] = {");
        for (double v : F) sb.append("__longlong_as_double(").append(Double.doubleToRawLongBits(v)).append("LL),");
        sb.append("};\nlong long iv[] = {");
        for (long v : L) sb.append(v == Long.MIN_VALUE ? "(long long) 0x8000000000000000ULL" : v + "LL").append(',');
        sb.append("};\nint nf = ").append(F.length).append(", ni = ").append(L.length).append(";\n");
        for (UnaryOp op : UnaryOp.values()) {
            String o = ElementwiseKernels.opName(op);
            sb.append("for (int i = 0; i < nf; i++) printf(\"U ").append(o).append(" %d %08x %016llx\\n\", i, fb(").append(o)
                    .append("<float>(fv[i])), db(").append(o).append("<double>(dv[i])));\n");
            sb.append("for (int i = 0; i < ni; i++) printf(\"UI ").append(o).append(" %d %lld\\n\", i, ").append(o).append("<long long>(iv[i]));\n");
        }
        for (BinaryOp op : BinaryOp.values()) {
            String o = ElementwiseKernels.opName(op);
            sb.append("for (int i = 0; i < nf; i++) for (int j = 0; j < nf; j++) printf(\"B ").append(o).append(" %d %d %08x %016llx\\n\", i, j, fb(")
                    .append(o).append("<float>(fv[i], fv[j])), db(").append(o).append("<double>(dv[i], dv[j])));\n");
            sb.append("for (int i = 0; i < ni; i++) for (int j = 0; j < ni; j++) printf(\"BI ").append(o).append(" %d %d %lld\\n\", i, j, ")
                    .append(o).append("<long long>(iv[i], iv[j]));\n");
        }
        // output conversions (OUT_BOOL is 0 here): Java's long cast, wrapping, integers to floats via double
        sb.append("""
                printf("S %d\\n", mlx_store<int>(3e9f));
                printf("S %d\\n", mlx_store<int>(__int_as_float(0x7fc00000)));
                printf("S %d\\n", mlx_store<int>(-1e30));
                printf("S %d\\n", (int) mlx_store<unsigned char>(300LL));
                printf("S %d\\n", (int) mlx_store<signed char>(200.7f));
                printf("S %u\\n", mlx_store<unsigned int>(-1.0f));
                printf("S %08x\\n", fb(mlx_store<float>((1LL << 53) + (1LL << 29) + 1)));
                printf("S %lld\\n", mlx_store<long long>(9.3e18));
                printf("S %d\\n", (int) mlx_store<short>(-40000.9));
                return 0;
                }
                """);
        return sb.toString();
    }

    static List<String> expected() {
        List<String> out = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            String o = ElementwiseKernels.opName(op);
            for (int i = 0; i < F.length; i++) {
                float f = (float) ScalarMath.unaryF32(op, (float) F[i]);
                double d = ScalarMath.unary(op, F[i]);
                out.add(String.format(Locale.ROOT, "U %s %d %08x %016x", o, i, Float.floatToRawIntBits(f), Double.doubleToRawLongBits(d)));
            }
            for (int i = 0; i < L.length; i++) {
                long v = L[i];
                long r = switch (op) { // CpuElementwise's integer unary path, else its generic path through double
                    case ABS -> Math.abs(v);
                    case NEGATIVE -> -v;
                    case SIGN -> Long.signum(v);
                    case SQUARE -> v * v;
                    case BITWISE_INVERT -> ~v;
                    case LOGICAL_NOT -> v == 0 ? 1 : 0;
                    case FLOOR, CEIL, ROUND -> v; // exact in C; the CPU's double round trip agrees below 2^53
                    default -> (long) ScalarMath.unaryF32(op, (double) v);
                };
                out.add(String.format(Locale.ROOT, "UI %s %d %d", o, i, r));
            }
        }
        for (BinaryOp op : BinaryOp.values()) {
            String o = ElementwiseKernels.opName(op);
            for (int i = 0; i < F.length; i++) {
                for (int j = 0; j < F.length; j++) {
                    float f = (float) ScalarMath.binary(op, (float) F[i], (float) F[j]);
                    double d = ScalarMath.binary(op, F[i], F[j]);
                    out.add(String.format(Locale.ROOT, "B %s %d %d %08x %016x", o, i, j, Float.floatToRawIntBits(f), Double.doubleToRawLongBits(d)));
                }
            }
            for (int i = 0; i < L.length; i++) {
                for (int j = 0; j < L.length; j++) out.add(String.format(Locale.ROOT, "BI %s %d %d %d", o, i, j, ScalarMath.binaryLong(op, L[i], L[j])));
            }
        }
        out.add("S " + (int) (long) 3e9f);
        out.add("S 0");
        out.add("S " + (int) (long) -1e30);
        out.add("S " + (((byte) 300) & 0xff)); // 44
        out.add("S " + (byte) (long) 200.7f);
        out.add("S " + Integer.toUnsignedString((int) (long) -1.0f));
        out.add(String.format("S %08x", Float.floatToRawIntBits((float) (double) ((1L << 53) + (1L << 29) + 1))));
        out.add("S " + (long) 9.3e18);
        out.add("S " + (short) (long) -40000.9);
        return out;
    }

    @Test
    void opsMatchScalarMath() throws Exception {
        Path gxx = findGxx();
        Assumptions.assumeTrue(gxx != null, "g++ not found on PATH");
        Path dir = Files.createTempDirectory("mlx4j-ops");
        try {
            Path src = dir.resolve("ops_check.cpp");
            Path exe = dir.resolve("ops_check");
            Files.writeString(src, program(), StandardCharsets.UTF_8);
            Process cc = new ProcessBuilder(gxx.toString(), "-std=c++17", "-O1", "-o", exe.toString(), src.toString()).redirectErrorStream(true).start();
            String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(cc.waitFor(5, TimeUnit.MINUTES) && cc.exitValue() == 0, "g++ failed on ops.cuh:\n" + log);
            Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
            List<String> got = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals(0, run.waitFor(), "the host check crashed (exit 136 is SIGFPE: an integer division the ops must guard)");
            List<String> want = expected();
            assertEquals(want.size(), got.size(), "lines");
            List<String> bad = new ArrayList<>();
            for (int k = 0; k < want.size(); k++) {
                String why = compare(got.get(k), want.get(k));
                if (why != null && bad.size() < 40) bad.add(why);
            }
            assertEquals(List.of(), bad, "ops.cuh (left) against ScalarMath (right)");
        } finally {
            try (var w = Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Null when the two lines agree (within tolerance for floats), else a description. */
    static String compare(String got, String want) {
        if (got.equals(want)) return null;
        String[] g = got.split(" "), w = want.split(" ");
        if (!g[0].equals("U") && !g[0].equals("B")) return got + "  vs  " + want;
        int n = g.length;
        float gf = Float.intBitsToFloat(Integer.parseUnsignedInt(g[n - 2], 16)), wf = Float.intBitsToFloat(Integer.parseUnsignedInt(w[n - 2], 16));
        double gd = Double.longBitsToDouble(Long.parseUnsignedLong(g[n - 1], 16)), wd = Double.longBitsToDouble(Long.parseUnsignedLong(w[n - 1], 16));
        StringBuilder args = new StringBuilder();
        for (int k = 2; k < n - 2; k++) args.append(F[Integer.parseInt(g[k])]).append(k < n - 3 ? ", " : "");
        if (!close(gf, wf, 1e-6)) return g[1] + "<float>(" + args + ") = " + gf + ", CPU " + wf;
        if (!close(gd, wd, 1e-13)) return g[1] + "<double>(" + args + ") = " + gd + ", CPU " + wd;
        return null;
    }

    static boolean close(double a, double b, double tol) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b);
        if (a == b) return a != 0 || Math.copySign(1, a) == Math.copySign(1, b);
        if (Double.isInfinite(a) || Double.isInfinite(b)) return false;
        return Math.abs(a - b) <= tol * Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-30);
    }
}
