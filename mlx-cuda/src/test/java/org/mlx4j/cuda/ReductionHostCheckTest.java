package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.ArgPartition;
import org.mlx4j.core.primitive.ArgReduce;
import org.mlx4j.core.primitive.ArgSort;
import org.mlx4j.core.primitive.LayerNorm;
import org.mlx4j.core.primitive.LogSumExp;
import org.mlx4j.core.primitive.Primitive;
import org.mlx4j.core.primitive.Reduce;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.RmsNorm;
import org.mlx4j.core.primitive.Scan;
import org.mlx4j.core.primitive.ScanOp;
import org.mlx4j.core.primitive.Softmax;
import org.mlx4j.core.primitive.Sort;
import org.mlx4j.cuda.kernel.KernelSource;

/**
 * The reduction kernels run on the host, end to end from the launchers: a launcher records its
 * launches against {@link CudaReduceLaunchTest.RecordingGpu}; g++ compiles the kernel's actual
 * source (common.cuh with its two PTX conversions swapped for _Float16, then the .cu file) over a
 * prelude that emulates CUDA threads (one std::thread per thread, std::barrier for __syncthreads and
 * for warp shuffles, static storage for __shared__), runs the recorded launches on the view's real
 * bytes, and the output is compared with the CPU backend's result for the same primitive and view.
 * This checks the kernels' logic and the launchers' arguments together (NaN and tie rules, identities,
 * row loops, strided walks); it cannot check CUDA's math library or timing. Skips where g++ is absent.
 */
class ReductionHostCheckTest {
    private static final String PRELUDE = """
            #include <thread>
            #include <barrier>
            #include <vector>
            #include <memory>
            #include <bit>
            #include <cstring>
            #include <cstdio>
            #include <math.h>
            #include <cmath>
            #define __device__
            #define __forceinline__ inline
            #define __global__
            #define __shared__ static
            struct mlx_dim { unsigned x; };
            thread_local mlx_dim threadIdx, blockIdx;
            mlx_dim blockDim, gridDim;
            static std::barrier<>* mlx_block_bar;
            static std::vector<std::unique_ptr<std::barrier<>>> mlx_warp_bars;
            static unsigned char mlx_xchg[32][32][8];
            inline void __syncthreads() { mlx_block_bar->arrive_and_wait(); }
            template <class V> V mlx_shfl(V v, unsigned src) {
                unsigned w = threadIdx.x / 32, l = threadIdx.x % 32;
                std::memcpy(mlx_xchg[w][l], &v, sizeof(V));
                mlx_warp_bars[w]->arrive_and_wait();
                V r = v;
                if (src < 32) std::memcpy(&r, mlx_xchg[w][src], sizeof(V));
                mlx_warp_bars[w]->arrive_and_wait();
                return r;
            }
            template <class V> V __shfl_down_sync(unsigned, V v, unsigned off) { return mlx_shfl(v, threadIdx.x % 32 + off); }
            template <class V> V __shfl_xor_sync(unsigned, V v, unsigned m) { return mlx_shfl(v, (threadIdx.x % 32) ^ m); }
            inline float __int_as_float(int i) { return std::bit_cast<float>(i); }
            inline int __float_as_int(float f) { return std::bit_cast<int>(f); }
            inline unsigned __float_as_uint(float f) { return std::bit_cast<unsigned>(f); }
            inline double __longlong_as_double(long long i) { return std::bit_cast<double>(i); }
            inline long long __double_as_longlong(double d) { return std::bit_cast<long long>(d); }
            struct mlx_ptr { unsigned char* p; template <class T> operator T*() const { return (T*) p; } };
            template <class F> void mlx_launch(unsigned grid, unsigned block, F f) {
                gridDim.x = grid;
                blockDim.x = block;
                for (unsigned b = 0; b < grid; ++b) {
                    std::barrier<> bar(block);
                    mlx_block_bar = &bar;
                    mlx_warp_bars.clear();
                    for (unsigned w = 0; w < (block + 31) / 32; ++w) mlx_warp_bars.emplace_back(new std::barrier<>(block - 32 * w < 32 ? block - 32 * w : 32));
                    std::vector<std::thread> ts;
                    for (unsigned t = 0; t < block; ++t) ts.emplace_back([=] { threadIdx.x = t; blockIdx.x = b; f(); });
                    for (auto& t : ts) t.join();
                }
            }
            """;

    static Path gxx;
    static Path dir;

    @BeforeAll
    static void findGxx() throws Exception {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(d, "g++");
                if (!d.isEmpty() && Files.isExecutable(p)) gxx = p;
                if (gxx != null) break;
            }
        }
        Assumptions.assumeTrue(gxx != null, "g++ not found: the host check of the reduction kernels needs it");
        dir = Files.createTempDirectory("mlx4j-red-host");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (dir == null) return;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }

    static String common() {
        String c = KernelSource.part("common.cuh");
        String toF = "asm(\"{ cvt.f32.f16 %0, %1; }\" : \"=f\"(f) : \"h\"(h.bits));";
        String toH = "asm(\"{ cvt.rn.f16.f32 %0, %1; }\" : \"=h\"(h.bits) : \"f\"(f));";
        assertTrue(c.contains(toF) && c.contains(toH), "common.cuh's half conversions changed: update the host prelude");
        return c.replace(toF, "f = (float) std::bit_cast<_Float16>(h.bits);").replace(toH, "h.bits = std::bit_cast<unsigned short>((_Float16) f);");
    }

    /** The C++ text of one launch argument. */
    static String arg(Object a, Map<CudaBuffer, String> names) {
        return switch (a) {
            case Ptr p -> "mlx_ptr{in_buf + " + p.address() + "}";
            case CudaBuffer b -> "mlx_ptr{" + names.get(b) + "}";
            case Long l -> l == Long.MIN_VALUE ? "(-9223372036854775807LL - 1)" : l + "LL";
            case Integer i -> Integer.toString(i);
            case Double v -> Double.toHexString(v);
            case Layout l -> {
                StringBuilder sb = new StringBuilder("Layout{").append(l.shape().length).append(", {");
                for (long s : l.shape()) sb.append(s).append("LL,");
                sb.append("}, {");
                for (long s : l.strides()) sb.append(s).append("LL,");
                yield sb.append("}}").toString();
            }
            default -> throw new IllegalArgumentException("argument " + a);
        };
    }

    /**
     * {@code p} of the CPU-evaluated view {@code x} on the emulated GPU: the launcher runs against a
     * recording GPU given a view with x's offset and strides; the recorded launches run on x's buffer.
     */
    static double[] onHost(Array x, Shape outShape, DType outType, Primitive p) throws Exception {
        x.eval();
        ArrayData xd = x.data();
        MemorySegment seg = xd.buffer().hostSegment();
        byte[] bytes = seg.toArray(ValueLayout.JAVA_BYTE);
        CudaReduceLaunchTest.RecordingGpu gpu = new CudaReduceLaunchTest.RecordingGpu();
        CudaBuffer fake = gpu.allocator.allocate(Math.max(1, bytes.length));
        Array gx = Array.fromData(x.shape(), x.dtype(), Device.gpu(0), new ArrayData(fake, xd.offset(), xd.strides(), xd.rowContiguous()));
        Array node = Array.node(outShape, outType, p, gx);
        switch (p) {
            case Reduce r -> CudaReduce.reduce(node, gpu);
            case ArgReduce r -> CudaReduce.argReduce(node, gpu);
            case Softmax s -> CudaReduce.softmax(node, gpu);
            case LogSumExp s -> CudaReduce.logSumExp(node, gpu);
            case LayerNorm l -> CudaReduce.norm(node, gpu, true, l.eps());
            case RmsNorm r -> CudaReduce.norm(node, gpu, false, r.eps());
            case Scan s -> CudaScan.scan(node, gpu);
            default -> CudaSort.sort(node, gpu);
        }
        CudaBuffer out = (CudaBuffer) node.data().buffer();
        Map<CudaBuffer, String> names = new IdentityHashMap<>();
        names.put(out, "out_buf");
        StringBuilder main = new StringBuilder("int main() {\n");
        main.append("    alignas(16) static unsigned char in_buf[] = {");
        for (byte b : bytes) main.append(b & 0xff).append(',');
        if (bytes.length == 0) main.append('0');
        main.append("};\n    alignas(16) static unsigned char out_buf[").append(Math.max(1, node.nbytes())).append("];\n");
        int tmps = 0;
        assertFalse(gpu.launches.isEmpty(), "nothing launched");
        var spec = gpu.launches.getFirst().spec();
        for (CudaReduceLaunchTest.Launch l : gpu.launches) {
            assertEquals(spec, l.spec(), "one module per primitive");
            for (Object a : l.args()) {
                if (a instanceof CudaBuffer b && !names.containsKey(b)) {
                    String n = "tmp" + tmps++;
                    names.put(b, n);
                    main.append("    alignas(16) static unsigned char ").append(n).append('[').append(b.byteSize()).append("];\n");
                }
            }
            // at most three blocks, so the kernels' row loops (row += gridDim.x) run too
            main.append("    mlx_launch(").append(Math.min(3, l.grid().x())).append(", ").append(l.grid().block()).append(", [&] { ").append(l.entry()).append('(');
            for (int i = 0; i < l.args().size(); i++) main.append(i > 0 ? ", " : "").append(arg(l.args().get(i), names));
            main.append("); });\n");
        }
        main.append("    for (long i = 0; i < ").append(node.nbytes()).append("; i++) printf(\"%02x\", out_buf[i]);\n    printf(\"\\n\");\n}\n");
        StringBuilder src = new StringBuilder(PRELUDE);
        for (Map.Entry<String, String> d : spec.defines().entrySet()) src.append("#define ").append(d.getKey()).append(' ').append(d.getValue()).append('\n');
        src.append(common()).append('\n');
        for (String mid : spec.parts().subList(1, spec.parts().size() - 1)) src.append(KernelSource.part(mid)).append('\n');
        String part = spec.parts().getLast();
        src.append(KernelSource.part(part).replace("extern __shared__ unsigned long long mlxso_smem[];", "static unsigned long long mlxso_smem[4096];"));
        src.append('\n').append(main);
        String name = part.replace(".cu", "") + "_" + Integer.toHexString(src.toString().hashCode());
        Path cpp = dir.resolve(name + ".cpp"), exe = dir.resolve(name);
        Files.writeString(cpp, src);
        String compiled = run(gxx.toString(), "-std=c++20", "-O1", "-pthread", "-w", "-o", exe.toString(), cpp.toString());
        assertTrue(Files.isExecutable(exe), "g++ failed on " + cpp + ":\n" + compiled);
        String hex = run(exe.toString()).strip();
        assertEquals(node.nbytes() * 2, hex.length(), "output of " + exe + ": " + hex);
        byte[] ob = new byte[(int) node.nbytes()];
        for (int i = 0; i < ob.length; i++) ob[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return decode(ob, outType);
    }

    static String run(String... cmd) throws Exception {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = pr.getInputStream().readAllBytes();
        assertTrue(pr.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        return new String(out, StandardCharsets.UTF_8);
    }

    static double[] decode(byte[] b, DType t) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        double[] r = new double[b.length / t.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = switch (t) {
                case BOOL, UINT8 -> bb.get() & 0xff;
                case INT8 -> bb.get();
                case INT16 -> bb.getShort();
                case UINT32 -> bb.getInt() & 0xffffffffL;
                case INT32 -> bb.getInt();
                case INT64 -> bb.getLong();
                case FLOAT16 -> Float.float16ToFloat(bb.getShort());
                case BFLOAT16 -> Float.intBitsToFloat((bb.getShort() & 0xffff) << 16);
                case FLOAT32 -> bb.getFloat();
                case FLOAT64 -> bb.getDouble();
            };
        }
        return r;
    }

    /** The CPU backend's result of {@code p} on {@code x}. */
    static double[] onCpu(Array x, Shape outShape, DType outType, Primitive p) {
        return Array.node(outShape, outType, p, x).toDoubleArray();
    }

    /** Host-emulated GPU against the CPU: bit-exact (signed zeros too) unless {@code rel > 0}; NaN matches NaN. */
    static void check(String what, Array x, Shape outShape, DType outType, Primitive p, double rel) throws Exception {
        double[] cpu = onCpu(x, outShape, outType, p);
        double[] gpu = onHost(x, outShape, outType, p);
        assertEquals(cpu.length, gpu.length, what);
        for (int i = 0; i < cpu.length; i++) {
            boolean ok = rel > 0
                    ? (Double.isNaN(cpu[i]) && Double.isNaN(gpu[i])) || cpu[i] == gpu[i] || Math.abs(cpu[i] - gpu[i]) <= rel * Math.max(1, Math.abs(cpu[i]))
                    : Double.valueOf(cpu[i]).equals(gpu[i]);
            if (!ok) fail(what + ": element " + i + " CPU " + cpu[i] + " GPU (host) " + gpu[i]);
        }
    }

    static final double NAN = Double.NaN, INF = Double.POSITIVE_INFINITY;

    static double[] values(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.round(r.nextGaussian() * 8) / 4.0; // many ties
        return v;
    }

    static Shape kept(Shape s, int... axes) {
        int[] d = s.toArray();
        for (int a : axes) d[a] = 1;
        return new Shape(d);
    }

    @Test
    void reductions() throws Exception {
        // sum over axis 0 of a transposed view (thread per row) and over axis 1 (block per row, row loop)
        Array t = transpose(array(values(12 * 40, 1), DType.FLOAT32, 12, 40));
        check("sum f32 axis0 transposed", t, kept(t.shape(), 0), DType.FLOAT32, new Reduce(ReduceOp.SUM, new int[] {0}), 1e-6);
        check("sum f32 axis1 transposed", t, kept(t.shape(), 1), DType.FLOAT32, new Reduce(ReduceOp.SUM, new int[] {1}), 1e-6);
        // max with NaN rows and signed zeros, block per row
        double[] m = values(5 * 100, 2);
        m[130] = NAN;
        for (int i = 200; i < 300; i++) m[i] = i % 2 == 0 ? -0.0 : -1;
        m[250] = 0.0;
        for (int i = 300; i < 400; i++) m[i] = -0.0;
        m[450] = -INF;
        Array mx = array(m, DType.FLOAT32, 5, 100);
        check("max f32", mx, kept(mx.shape(), 1), DType.FLOAT32, new Reduce(ReduceOp.MAX, new int[] {1}), 0);
        check("min f64", astype(mx, DType.FLOAT64), kept(mx.shape(), 1), DType.FLOAT64, new Reduce(ReduceOp.MIN, new int[] {1}), 0);
        // int32 sums wrap as the CPU's long accumulator stored to int32 does
        int[] big = new int[40 * 30];
        for (int i = 0; i < big.length; i++) big[i] = 100_000_000 + i * 7919;
        Array bi = array(big, 40, 30);
        check("sum int32 all", bi, Shape.of(1, 1), DType.INT32, new Reduce(ReduceOp.SUM, new int[] {0, 1}), 0);
        // all / any of bool, and an empty axis giving the identity
        boolean[] bs = new boolean[4 * 50];
        java.util.Arrays.fill(bs, true);
        bs[60] = false;
        bs[199] = false;
        Array b = array(bs, 4, 50);
        check("all bool", b, Shape.of(4, 1), DType.BOOL, new Reduce(ReduceOp.ALL, new int[] {1}), 0);
        check("any bool", transpose(b), Shape.of(50, 1), DType.BOOL, new Reduce(ReduceOp.ANY, new int[] {1}), 0);
        check("max bool", b, Shape.of(4, 1), DType.BOOL, new Reduce(ReduceOp.MAX, new int[] {1}), 0);
        Array u8 = astype(array(values(4 * 50, 13), DType.FLOAT64, 4, 50), DType.UINT8);
        check("max uint8 (not bool)", u8, Shape.of(1, 50), DType.UINT8, new Reduce(ReduceOp.MAX, new int[] {0}), 0);
        Array e = array(new float[0], 3, 0);
        check("prod f32 over empty axis", e, Shape.of(3, 1), DType.FLOAT32, new Reduce(ReduceOp.PROD, new int[] {1}), 0);
        check("sum f16 axis 1", astype(mx, DType.FLOAT16), kept(mx.shape(), 1), DType.FLOAT16, new Reduce(ReduceOp.SUM, new int[] {1}), 2e-3);
        // one long row: split over blocks into partials, then combined (reduce_rows_split, reduce_partials)
        int n = 1 << 17;
        double[] lv = values(n, 5);
        Array lx = array(lv, DType.FLOAT32, n);
        assertTrue(CudaReduce.splitChunks(1, n) > 1);
        check("sum f32 of a long row (split)", lx, Shape.of(1), DType.FLOAT32, new Reduce(ReduceOp.SUM, new int[] {0}), 1e-6);
        lv[70_000] = NAN;
        Array ln = array(lv, DType.FLOAT32, n);
        check("max f32 of a long row with a NaN (split)", ln, Shape.of(1), DType.FLOAT32, new Reduce(ReduceOp.MAX, new int[] {0}), 0);
        int[] li = new int[n];
        for (int i = 0; i < n; i++) li[i] = 2_000_000_000 - i;
        check("sum int32 of a long row wraps (split)", array(li, n), Shape.of(1), DType.INT32, new Reduce(ReduceOp.SUM, new int[] {0}), 0);
    }

    @Test
    void argReductions() throws Exception {
        double[] v = values(6 * 300, 3);
        v[300 + 17] = NAN;
        v[300 + 250] = NAN;
        v[600 + 299] = 100; // max at the very end
        v[900 + 3] = 100;
        v[900 + 290] = 100; // tie: the first wins
        Array x = array(v, DType.FLOAT32, 6, 300);
        check("argmax f32 block", x, Shape.of(6, 1), DType.UINT32, new ArgReduce(true, 1), 0);
        check("argmin f32 block", x, Shape.of(6, 1), DType.UINT32, new ArgReduce(false, 1), 0);
        Array cols = astype(array(values(50 * 40, 4), DType.FLOAT64, 50, 40), DType.INT64);
        check("argmin int64 columns", cols, Shape.of(1, 40), DType.UINT32, new ArgReduce(false, 0), 0);
        check("argmax bf16 short rows", astype(x, DType.BFLOAT16), Shape.of(1, 300), DType.UINT32, new ArgReduce(true, 0), 0);
    }

    @Test
    void softmaxAndLogSumExp() throws Exception {
        double[] v = values(20 * 7, 5);
        Array t = transpose(array(v, DType.FLOAT32, 7, 20));
        check("softmax f32 strided", t, t.shape(), DType.FLOAT32, new Softmax(), 1e-6);
        double[] w = values(5 * 33, 6);
        java.util.Arrays.fill(w, 0, 33, Double.NEGATIVE_INFINITY);
        w[40] = INF;
        w[70] = NAN;
        Array d = array(w, DType.FLOAT64, 5, 33);
        check("logsumexp f64", d, Shape.of(5, 1), DType.FLOAT64, new LogSumExp(), 1e-13);
        check("softmax f64 with -inf and nan rows", d, d.shape(), DType.FLOAT64, new Softmax(), 1e-13);
        check("logsumexp f32 strided", t, Shape.of(20, 1), DType.FLOAT32, new LogSumExp(), 1e-6);
        check("logsumexp f32 empty rows", array(new float[0], 4, 0), Shape.of(4, 1), DType.FLOAT32, new LogSumExp(), 0);
    }

    @Test
    void layerAndRmsNorms() throws Exception {
        // rows of 300 (a block of 256 threads loops), a large offset (the two-pass variance), a strided view
        double[] v = values(4 * 300, 18);
        for (int i = 0; i < 300; i++) v[i] += 1000;
        Array x = array(v, DType.FLOAT32, 4, 300);
        // float32 sums of values near 1000 round the mean by ~1e-4, against the CPU's double; a one-pass
        // variance (E[x^2] - E[x]^2) would be off by order 1 here
        check("layerNorm f32", x, x.shape(), DType.FLOAT32, new LayerNorm(1e-5), 1e-4);
        check("rmsNorm f32", x, x.shape(), DType.FLOAT32, new RmsNorm(1e-6), 2e-6);
        Array d = transpose(array(values(7 * 5, 19), DType.FLOAT64, 7, 5));
        check("layerNorm f64 of a transpose", d, d.shape(), DType.FLOAT64, new LayerNorm(0.1), 1e-13);
        check("rmsNorm f64 of a transpose", d, d.shape(), DType.FLOAT64, new RmsNorm(0), 1e-13);
    }

    @Test
    void scans() throws Exception {
        Array x = array(values(3 * 50, 7), DType.FLOAT32, 3, 50);
        check("cumsum f32 reverse exclusive", x, x.shape(), DType.FLOAT32, new Scan(ScanOp.SUM, 1, true, false), 1e-6);
        Array ti = transpose(astype(array(values(6 * 5, 8), DType.FLOAT64, 6, 5), DType.INT32));
        check("cummax int32 exclusive over a transpose", ti, ti.shape(), DType.INT32, new Scan(ScanOp.MAX, 0, false, false), 0);
        check("cummin int32 reverse inclusive", ti, ti.shape(), DType.INT32, new Scan(ScanOp.MIN, 1, true, true), 0);
        double[] w = values(4 * 9, 9);
        w[3] = Double.NEGATIVE_INFINITY;
        w[10] = INF;
        w[11] = INF;
        w[20] = NAN;
        Array d = array(w, DType.FLOAT64, 4, 9);
        check("logcumsumexp f64", d, d.shape(), DType.FLOAT64, new Scan(ScanOp.LOGADDEXP, 1, false, true), 1e-13);
        check("logcumsumexp f32 exclusive", astype(d, DType.FLOAT32), d.shape(), DType.FLOAT32, new Scan(ScanOp.LOGADDEXP, 1, false, false), 1e-6);
        boolean[] bs = {true, false, false, true, false, true, true, false, false, false, true, false};
        Array b = array(bs, 3, 4);
        check("cummin bool exclusive", b, b.shape(), DType.BOOL, new Scan(ScanOp.MIN, 1, false, false), 0);
        check("cummax bool reverse", b, b.shape(), DType.BOOL, new Scan(ScanOp.MAX, 0, true, true), 0);
        check("cumprod int64", astype(d, DType.INT64), d.shape(), DType.INT64, new Scan(ScanOp.PROD, 0, false, true), 0);
    }

    @Test
    void scansOfFewLongLinesUseABlockPerLine() throws Exception {
        assertTrue(CudaScan.blockPerLine(2, 3001));
        // quarter-integers: every partial sum is exact in float32, so any grouping gives the CPU's bits
        Array x = array(values(2 * 3001, 15), DType.FLOAT32, 2, 3001);
        check("cumsum f32 long lines", x, x.shape(), DType.FLOAT32, new Scan(ScanOp.SUM, 1, false, true), 0);
        check("cumsum f32 long lines reverse exclusive", x, x.shape(), DType.FLOAT32, new Scan(ScanOp.SUM, 1, true, false), 0);
        Array t = transpose(astype(array(values(700 * 3, 16), DType.FLOAT64, 3, 700), DType.INT32));
        check("cummax int32 long strided lines", t, t.shape(), DType.INT32, new Scan(ScanOp.MAX, 0, false, true), 0);
        check("cumprod int64 (wrapping) long lines", astype(t, DType.INT64), t.shape(), DType.INT64, new Scan(ScanOp.PROD, 0, true, true), 0);
        double[] w = values(2 * 1000, 17);
        w[5] = NAN;
        w[1500] = Double.NEGATIVE_INFINITY;
        Array d = array(w, DType.FLOAT64, 2, 1000);
        check("logcumsumexp f64 long lines", d, d.shape(), DType.FLOAT64, new Scan(ScanOp.LOGADDEXP, 1, false, false), 1e-12);
    }

    @Test
    void sorting() throws Exception {
        double[] v = values(3 * 37, 10);
        v[5] = NAN;
        v[9] = -0.0;
        v[10] = 0.0;
        v[11] = -0.0;
        v[40] = NAN;
        v[41] = NAN;
        v[80] = Double.NEGATIVE_INFINITY;
        Array x = array(v, DType.FLOAT32, 3, 37);
        check("sort f32", x, x.shape(), DType.FLOAT32, new Sort(1), 0);
        check("argsort f32", x, x.shape(), DType.UINT32, new ArgSort(1), 0);
        Array t = transpose(array(values(100 * 3, 11), DType.FLOAT64, 3, 100));
        check("argsort f64 axis 0 of a transpose", t, t.shape(), DType.UINT32, new ArgSort(0), 0);
        check("sort int8", astype(x, DType.INT8), x.shape(), DType.INT8, new Sort(1), 0);
        check("argsort bf16", astype(x, DType.BFLOAT16), x.shape(), DType.UINT32, new ArgSort(1), 0);
        check("argsort uint32", astype(astype(x, DType.INT32), DType.UINT32), x.shape(), DType.UINT32, new ArgSort(1), 0);
        // argpartition: the stable argsort, so it equals the CPU's argsort, and position kth the CPU's argpartition
        Array p = array(values(2 * 1500, 12), DType.FLOAT32, 2, 1500);
        double[] host = onHost(p, p.shape(), DType.UINT32, new ArgPartition(700, 1));
        assertArrayEquals(onCpu(p, p.shape(), DType.UINT32, new ArgSort(1)), host);
        double[] cpuPart = onCpu(p, p.shape(), DType.UINT32, new ArgPartition(700, 1));
        assertEquals(cpuPart[700], host[700]);
        assertEquals(cpuPart[1500 + 700], host[1500 + 700]);
    }

    @Test
    void sortingLinesLongerThanATile() throws Exception {
        // 5000 = two full tiles and a partial one: two merge passes, the last with an unpartnered run
        double[] v = values(2 * 5000, 13);
        for (int i = 0; i < v.length; i += 97) v[i] = NAN;
        v[17] = -0.0;
        v[4999] = Double.NEGATIVE_INFINITY;
        Array x = array(v, DType.FLOAT32, 2, 5000);
        check("argsort f32 long rows (ties, NaN, -0)", x, x.shape(), DType.UINT32, new ArgSort(1), 0);
        check("sort f32 long rows", x, x.shape(), DType.FLOAT32, new Sort(1), 0);
        // a strided line: axis 0 of a transpose, 64-bit keys, 4100 = two tiles and 4 elements
        Array t = transpose(array(values(4100 * 2, 14), DType.INT64, 2, 4100));
        check("argsort int64 axis 0 of a transpose", t, t.shape(), DType.UINT32, new ArgSort(0), 0);
    }
}
