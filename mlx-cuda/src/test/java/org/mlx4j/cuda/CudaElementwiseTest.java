package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.AsType;
import org.mlx4j.core.primitive.Binary;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.Copy;
import org.mlx4j.core.primitive.Unary;
import org.mlx4j.core.primitive.UnaryOp;
import org.mlx4j.core.primitive.Where;
import org.mlx4j.cuda.kernel.ElementwiseKernels;
import org.mlx4j.cuda.kernel.KernelSpec;

/**
 * The element-wise launchers against a recording GPU (fake allocator, launches written down): which
 * kernel each layout takes and the exact argument list, in the kernel signature's order. Buffers of the
 * fake driver all sit at address 0, so a pointer argument is the input's byte offset.
 */
class CudaElementwiseTest {
    record Launch(KernelSpec spec, String entry, Grid grid, List<Object> args) {}

    record MemCopy(CudaBuffer dst, long dstOffset, CudaBuffer src, long srcOffset, long bytes) {}

    static final class RecordingGpu implements CudaElementwise.Gpu {
        final CudaAllocator allocator = new CudaAllocator(0, new CudaAllocatorTest.FakeDriver(1L << 30), 1L << 30);
        final List<Launch> launches = new ArrayList<>();
        final List<MemCopy> copies = new ArrayList<>();
        final List<CudaBuffer> allocated = new ArrayList<>();

        @Override public CudaBuffer allocate(long bytes) {
            CudaBuffer b = allocator.allocate(bytes);
            allocated.add(b);
            return b;
        }

        @Override public void launch(KernelSpec spec, String entry, Grid grid, Object... args) { launches.add(new Launch(spec, entry, grid, List.of(args))); }

        @Override public void copy(CudaBuffer dst, long dstOffset, CudaBuffer src, long srcOffset, long bytes) {
            copies.add(new MemCopy(dst, dstOffset, src, srcOffset, bytes));
        }

        Launch only() {
            assertEquals(1, launches.size(), "launches: " + launches);
            return launches.getFirst();
        }
    }

    final RecordingGpu gpu = new RecordingGpu();

    /** An evaluated GPU array viewing a fresh buffer of {@code elements} elements. */
    Array view(DType t, Shape shape, long offset, long[] strides, long elements) {
        CudaBuffer b = gpu.allocator.allocate(elements * t.size());
        return Array.fromData(shape, t, Device.gpu(0), ArrayData.view(b, offset, strides, shape));
    }

    Array dense(DType t, Shape shape) { return view(t, shape, 0, shape.strides(), shape.size()); }

    static Layout layout(long[] shape, long[] strides) { return new Layout(shape, strides); }

    @Test
    void unaryDenseTakesTheContiguousKernelInVectorsWhenAligned() {
        // offset 4 floats = 16 bytes: aligned, so 16-byte vectors
        Array x = view(DType.FLOAT32, Shape.of(2, 3), 4, new long[] {3, 1}, 10);
        Array node = Array.node(x.shape(), DType.FLOAT32, new Unary(UnaryOp.EXP), x);
        CudaElementwise.unary(node, gpu);
        Launch l = gpu.only();
        assertEquals(ElementwiseKernels.unary(UnaryOp.EXP, DType.FLOAT32, DType.FLOAT32), l.spec());
        assertEquals("unary_vec", l.entry());
        assertEquals(Grid.linear(6), l.grid());
        CudaBuffer out = gpu.allocated.getLast();
        assertEquals(List.of(new Ptr(16), out, 6L), l.args(), "(in + offset, out, n)");
        assertSame(out, node.data().buffer());
        assertTrue(node.data().rowContiguous());
        assertEquals(0, node.data().offset());
        assertEquals(24, out.byteSize());
        // offset 1 float: the scalar form, same arguments
        gpu.launches.clear();
        Array y = view(DType.FLOAT32, Shape.of(2, 3), 1, new long[] {3, 1}, 10);
        CudaElementwise.unary(Array.node(y.shape(), DType.FLOAT32, new Unary(UnaryOp.EXP), y), gpu);
        assertEquals("unary_contig", gpu.only().entry());
        assertEquals(new Ptr(4), gpu.only().args().get(0));
    }

    @Test
    void unaryTransposedViewTakesTheStridedKernel() {
        // a (3, 2) transpose of a dense (2, 3) float16 array
        Array x = view(DType.FLOAT16, Shape.of(3, 2), 0, new long[] {1, 3}, 6);
        Array node = Array.node(x.shape(), DType.BOOL, new Unary(UnaryOp.ISNAN), x);
        CudaElementwise.unary(node, gpu);
        Launch l = gpu.only();
        assertEquals("unary_strided", l.entry());
        assertEquals(ElementwiseKernels.unary(UnaryOp.ISNAN, DType.FLOAT16, DType.BOOL), l.spec());
        assertEquals(List.of(new Ptr(0), layout(new long[] {3, 2}, new long[] {1, 3}), gpu.allocated.getLast(), 6L), l.args());
        assertEquals(6, gpu.allocated.getLast().byteSize(), "bool output: one byte per element");
    }

    @Test
    void binaryDenseWithBroadcastScalarUsesStepZero() {
        Array a = view(DType.FLOAT32, Shape.of(4, 5), 2, Shape.of(4, 5).strides(), 22);
        Array b = view(DType.FLOAT32, Shape.of(4, 5), 7, new long[] {0, 0}, 8); // a scalar broadcast to (4, 5)
        Array node = Array.node(a.shape(), DType.BOOL, new Binary(BinaryOp.GREATER), a, b);
        CudaElementwise.binary(node, gpu);
        Launch l = gpu.only();
        assertEquals("binary_contig", l.entry());
        assertEquals(ElementwiseKernels.binary(BinaryOp.GREATER, DType.FLOAT32, DType.BOOL), l.spec());
        assertEquals(List.of(new Ptr(8), 1L, new Ptr(28), 0L, gpu.allocated.getLast(), 20L), l.args(), "(a, sa, b, sb, out, n)");
        // a at byte 8 is not 16-byte aligned: the scalar form; at byte 0 (the scalar b may sit anywhere) the vector form
        gpu.launches.clear();
        Array a0 = view(DType.FLOAT32, Shape.of(4, 5), 0, Shape.of(4, 5).strides(), 20);
        CudaElementwise.binary(Array.node(a0.shape(), DType.BOOL, new Binary(BinaryOp.GREATER), a0, b), gpu);
        assertEquals("binary_vec", gpu.only().entry());
    }

    /** Host-runs {@code entry} of {@code part} with OP as given, on the int/float inputs, printing n outputs. */
    static String hostRun(String part, String entry, Map<String, String> defines, String setup, String call, int n, boolean asDouble) throws Exception {
        String main = setup + call + HostKernels.print("out", n, asDouble);
        return HostKernels.run(part, defines, main);
    }

    @Test
    void vectorKernelsOnTheHostMatchTheScalarOnesIncludingTheTail() throws Exception {
        Assumptions.assumeTrue(HostKernels.compiler() != null, "g++ not found: host kernel test skipped");
        // float: 19 = four vectors of 4 and a tail of 3
        // ops.cuh (host-checked on its own in OpsHostCheckTest) is left out: OP is a macro here, and
        // mlx_store, ops.cuh's output conversion, is common.cuh's from_compute
        Map<String, String> f = new java.util.TreeMap<>(Map.of("IN_T", "float", "OUT_T", "float", "COMPUTE_T", "float", "OUT_BOOL", "0",
                "mlx_store", "from_compute"));
        f.put("OP(x)", "((x) * 2.0f + 1.0f)");
        double[] in = new double[19];
        for (int i = 0; i < in.length; i++) in[i] = i * 0.5 - 3;
        String setup = "alignas(16) " + HostKernels.array("float", "in", in).substring("static ".length()).replace("float in[]", "static float in[]")
                + "alignas(16) static float out[19];\n";
        double[] got = HostKernels.doubles(hostRun("unary.cu", "unary_vec", f, setup, "unary_vec(in, out, 19);\n", 19, true));
        assertEquals(19, got.length);
        for (int i = 0; i < 19; i++) assertEquals(in[i] * 2 + 1, got[i], 0, "element " + i);
        // int8 greater-than a broadcast scalar, bool out: 37 = two vectors of 16 and a tail of 5
        Map<String, String> g = new java.util.TreeMap<>(Map.of("IN_T", "signed char", "OUT_T", "mlx_bool", "COMPUTE_T", "long long", "OUT_BOOL", "1",
                "mlx_store", "from_compute"));
        g.put("OP(a, b)", "((a) > (b))");
        long[] a = new long[37];
        for (int i = 0; i < a.length; i++) a[i] = (i * 37) % 23 - 11;
        String setup2 = "alignas(16) static signed char a[] = {" + java.util.Arrays.stream(a).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(","))
                + "};\nstatic signed char b[] = {3};\nalignas(16) static unsigned char out[37];\n";
        long[] bits = HostKernels.longs(hostRun("binary.cu", "binary_vec", g, setup2, "binary_vec(a, 1, b, 0, out, 37);\n", 37, false));
        assertEquals(37, bits.length);
        for (int i = 0; i < 37; i++) assertEquals(a[i] > 3 ? 1 : 0, bits[i], "element " + i);
    }

    @Test
    void binaryRowBroadcastTakesTheStridedKernelWithJointLayouts() {
        // (3, 4) dense plus a (4,) bias broadcast over rows: layouts simplified together
        Array a = dense(DType.INT32, Shape.of(3, 4));
        Array b = view(DType.INT32, Shape.of(3, 4), 1, new long[] {0, 1}, 5);
        Array node = Array.node(a.shape(), DType.INT32, new Binary(BinaryOp.FLOOR_DIVIDE), a, b);
        CudaElementwise.binary(node, gpu);
        Launch l = gpu.only();
        assertEquals("binary_strided", l.entry());
        assertEquals(List.of(new Ptr(0), layout(new long[] {3, 4}, new long[] {4, 1}), new Ptr(4), layout(new long[] {3, 4}, new long[] {0, 1}),
                gpu.allocated.getLast(), 12L), l.args(), "(a, la, b, lb, out, n)");
    }

    @Test
    void whereMixesStepsAndFallsBackToStrided() {
        Shape s = Shape.of(2, 8);
        Array c = dense(DType.BOOL, s);
        Array x = dense(DType.BFLOAT16, s);
        Array y = view(DType.BFLOAT16, s, 3, new long[] {0, 0}, 4);
        Array node = Array.node(s, DType.BFLOAT16, new Where(), c, x, y);
        CudaElementwise.where(node, gpu);
        Launch l = gpu.only();
        assertEquals("where_contig", l.entry());
        assertEquals(ElementwiseKernels.where(DType.BFLOAT16), l.spec());
        assertEquals(List.of(new Ptr(0), 1L, new Ptr(0), 1L, new Ptr(6), 0L, gpu.allocated.getLast(), 16L), l.args());

        RecordingGpu g2 = new RecordingGpu();
        Array ct = view(DType.BOOL, s, 0, new long[] {1, 2}, 16); // transposed condition
        Array node2 = Array.node(s, DType.BFLOAT16, new Where(), ct, x, y);
        CudaElementwise.where(node2, g2);
        Launch l2 = g2.only();
        assertEquals("where_strided", l2.entry());
        assertEquals(List.of(new Ptr(0), layout(new long[] {2, 8}, new long[] {1, 2}), new Ptr(0), layout(new long[] {2, 8}, new long[] {8, 1}),
                new Ptr(6), layout(new long[] {2, 8}, new long[] {0, 0}), g2.allocated.getLast(), 16L), l2.args());
    }

    @Test
    void astypeConvertsThroughTheCopyKernel() {
        Array x = view(DType.FLOAT32, Shape.of(5), 3, new long[] {1}, 8);
        Array node = Array.node(x.shape(), DType.INT32, new AsType(DType.INT32), x);
        CudaElementwise.astype(node, gpu);
        Launch l = gpu.only();
        assertEquals("copy_contig", l.entry());
        assertEquals(ElementwiseKernels.copy(DType.FLOAT32, DType.INT32), l.spec());
        assertEquals(List.of(new Ptr(12), gpu.allocated.getLast(), 5L), l.args());

        RecordingGpu g2 = new RecordingGpu();
        Array strided = view(DType.FLOAT32, Shape.of(5), 0, new long[] {2}, 10);
        Array node2 = Array.node(strided.shape(), DType.BFLOAT16, new AsType(DType.BFLOAT16), strided);
        CudaElementwise.astype(node2, g2);
        assertEquals("copy_strided", g2.only().entry());
        assertEquals(List.of(new Ptr(0), layout(new long[] {5}, new long[] {2}), g2.allocated.getLast(), 5L), g2.only().args());
        assertEquals(10, g2.allocated.getLast().byteSize());
    }

    @Test
    void copyOfDenseDataIsOneMemcpyAndOfAViewIsAKernel() {
        Array x = view(DType.FLOAT64, Shape.of(2, 3), 5, new long[] {3, 1}, 11);
        Array node = Array.node(x.shape(), DType.FLOAT64, new Copy(), x);
        CudaElementwise.copy(node, gpu);
        assertEquals(List.of(), gpu.launches);
        assertEquals(List.of(new MemCopy(gpu.allocated.getLast(), 0, (CudaBuffer) x.data().buffer(), 40, 48)), gpu.copies);

        RecordingGpu g2 = new RecordingGpu();
        Array t = view(DType.FLOAT64, Shape.of(3, 2), 0, new long[] {1, 3}, 6);
        Array node2 = Array.node(t.shape(), DType.FLOAT64, new Copy(), t);
        CudaElementwise.copy(node2, g2);
        Launch l = g2.only();
        assertEquals("copy_strided", l.entry());
        assertEquals("1", l.spec().defines().get("SAME_TYPE"));
    }

    @Test
    void sizeZeroAllocatesButLaunchesNothing() {
        Array a = dense(DType.FLOAT32, Shape.of(0, 3));
        Array node = Array.node(a.shape(), DType.FLOAT32, new Binary(BinaryOp.ADD), a, a);
        CudaElementwise.binary(node, gpu);
        Array u = Array.node(a.shape(), DType.FLOAT32, new Unary(UnaryOp.SIN), a);
        CudaElementwise.unary(u, gpu);
        Array c = Array.node(a.shape(), DType.FLOAT32, new Copy(), a);
        CudaElementwise.copy(c, gpu);
        assertEquals(List.of(), gpu.launches);
        assertEquals(List.of(), gpu.copies);
        assertTrue(node.isEvaluated() && u.isEvaluated() && c.isEvaluated());
    }

    @Test
    void denseRetainsDenseDataAndCopiesViews() {
        Array x = dense(DType.FLOAT32, Shape.of(4));
        CudaBuffer same = CudaElementwise.dense(gpu, x);
        assertSame(x.data().buffer(), same);
        same.release(); // the extra reference taken: releasing it leaves x's own
        assertEquals(List.of(), gpu.launches);

        Array off = view(DType.FLOAT32, Shape.of(4), 2, new long[] {1}, 6);
        CudaBuffer moved = CudaElementwise.dense(gpu, off);
        assertNotSame(off.data().buffer(), moved);
        assertEquals(List.of(new MemCopy(moved, 0, (CudaBuffer) off.data().buffer(), 8, 16)), gpu.copies);

        Array t = view(DType.INT8, Shape.of(2, 2), 0, new long[] {1, 2}, 4);
        CudaBuffer copied = CudaElementwise.dense(gpu, t);
        assertEquals("copy_strided", gpu.only().entry());
        assertEquals(List.of(new Ptr(0), layout(new long[] {2, 2}, new long[] {1, 2}), copied, 4L), gpu.only().args());
    }

    @Test
    void copyIntoWalksBothViews() {
        // a (2, 3) source into columns 1..3 of a (2, 5) destination at element 1
        Array src = dense(DType.FLOAT32, Shape.of(2, 3));
        Layout dst = Layout.of(Shape.of(2, 3), new long[] {5, 1});
        CudaElementwise.copyInto(gpu, src, new Ptr(4096 + 4), dst);
        Launch l = gpu.only();
        assertEquals("copy_to_strided", l.entry());
        assertEquals(ElementwiseKernels.copy(DType.FLOAT32, DType.FLOAT32), l.spec());
        assertEquals(List.of(new Ptr(0), layout(new long[] {6}, new long[] {1}), new Ptr(4100), dst, 6L), l.args());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaElementwise.copyInto(gpu, src, new Ptr(0), Layout.of(Shape.of(2, 2), new long[] {5, 1})));
        assertTrue(e.getMessage().startsWith("[copy]"), e.getMessage());
    }

    @Test
    void registersTheFamily() {
        CudaKernels t = CudaKernels.standard();
        for (Class<?> c : List.of(Unary.class, Binary.class, Where.class, AsType.class, Copy.class)) {
            assertTrue(t.primitives().contains(c), c.getSimpleName());
        }
    }
}
