package org.mlx4j.cuda;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.AsType;
import org.mlx4j.core.primitive.Binary;
import org.mlx4j.core.primitive.Copy;
import org.mlx4j.core.primitive.Unary;
import org.mlx4j.core.primitive.Where;
import org.mlx4j.cuda.kernel.ElementwiseKernels;
import org.mlx4j.cuda.kernel.KernelSpec;

/**
 * Launchers of the element-wise family: Unary, Binary, Where, AsType and Copy, plus the dense-copy
 * helpers other families use ({@link #dense}, {@link #copyInto}). Outputs are dense row-major. An input
 * that is dense (row-contiguous) or a broadcast scalar (all strides 0) is walked by the contiguous
 * kernel with step 1 or 0 (its vector form, 16 bytes per access, where the dense operands and the
 * output are 16-byte aligned); any other view makes the launch use the strided kernel, with the
 * layouts of all inputs simplified together over the output's shape.
 */
final class CudaElementwise {
    private CudaElementwise() {}

    /**
     * What the launchers need from the runtime: the seam that lets unit tests check argument packing
     * without a GPU. {@link #of(CudaRuntime)} is the real one.
     */
    interface Gpu {
        CudaBuffer allocate(long bytes);

        void launch(KernelSpec spec, String entry, Grid grid, Object... args);

        void copy(CudaBuffer dst, long dstOffset, CudaBuffer src, long srcOffset, long bytes);

        static Gpu of(CudaRuntime rt) {
            return new Gpu() {
                @Override public CudaBuffer allocate(long bytes) { return rt.allocate(bytes); }

                @Override public void launch(KernelSpec spec, String entry, Grid grid, Object... args) { rt.launch(spec, entry, grid, args); }

                @Override public void copy(CudaBuffer dst, long dstOffset, CudaBuffer src, long srcOffset, long bytes) {
                    rt.copy(dst, dstOffset, src, srcOffset, bytes);
                }
            };
        }
    }

    static void register(CudaKernels t) {
        t.put(Unary.class, (node, rt) -> unary(node, Gpu.of(rt)));
        t.put(Binary.class, (node, rt) -> binary(node, Gpu.of(rt)));
        t.put(Where.class, (node, rt) -> where(node, Gpu.of(rt)));
        t.put(AsType.class, (node, rt) -> astype(node, Gpu.of(rt)));
        t.put(Copy.class, (node, rt) -> copy(node, Gpu.of(rt)));
    }

    // ------------------------------------------------------------------ walks

    /**
     * The contiguous kernel's step for input {@code x} of a node of shape {@code out}: 1 when it is
     * dense with the output's shape, 0 when every stride is 0 (a broadcast scalar), else -1 (strided).
     */
    static long step(Array x, Shape out) {
        ArrayData d = x.data();
        if (d.rowContiguous() && x.shape().equals(out)) return 1;
        for (long s : d.strides()) if (s != 0) return -1;
        return 0;
    }

    private static long[] strides(Array x) { return x.data().strides(); }

    /**
     * Whether the vector kernels ({@code unary_vec}, {@code binary_vec}: 16 bytes of the input type
     * per access) may read or write at {@code p}. Buffers start aligned; a view's offset may not be.
     */
    static boolean vectorAligned(Ptr p) { return (p.address() & 15) == 0; }

    // ------------------------------------------------------------------ launchers

    static void unary(Array node, Gpu gpu) {
        Array x = node.input(0);
        KernelSpec spec = ElementwiseKernels.unary(((Unary) node.primitive()).op(), x.dtype(), node.dtype());
        long n = node.size();
        CudaBuffer out = gpu.allocate(node.nbytes());
        if (n > 0) {
            long sx = step(x, node.shape());
            if (sx == 1) {
                Ptr px = CudaRuntime.ptr(x);
                gpu.launch(spec, vectorAligned(px) && vectorAligned(out.ptr()) ? "unary_vec" : "unary_contig", Grid.linear(n), px, out, n);
            } else {
                gpu.launch(spec, "unary_strided", Grid.linear(n), CudaRuntime.ptr(x), Layout.of(node.shape(), strides(x)), out, n);
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    static void binary(Array node, Gpu gpu) {
        Array a = node.input(0), b = node.input(1);
        KernelSpec spec = ElementwiseKernels.binary(((Binary) node.primitive()).op(), a.dtype(), node.dtype());
        long n = node.size();
        CudaBuffer out = gpu.allocate(node.nbytes());
        if (n > 0) {
            long sa = step(a, node.shape()), sb = step(b, node.shape());
            if (sa >= 0 && sb >= 0) {
                Ptr pa = CudaRuntime.ptr(a), pb = CudaRuntime.ptr(b);
                boolean vec = (sa == 0 || vectorAligned(pa)) && (sb == 0 || vectorAligned(pb)) && vectorAligned(out.ptr());
                gpu.launch(spec, vec ? "binary_vec" : "binary_contig", Grid.linear(n), pa, sa, pb, sb, out, n);
            } else {
                Layout[] l = Layout.of(node.shape(), strides(a), strides(b));
                gpu.launch(spec, "binary_strided", Grid.linear(n), CudaRuntime.ptr(a), l[0], CudaRuntime.ptr(b), l[1], out, n);
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    static void where(Array node, Gpu gpu) {
        Array c = node.input(0), x = node.input(1), y = node.input(2);
        if (c.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("[where] the condition reaches the kernel as bool, got " + c.dtype().mlxName() + ".");
        }
        KernelSpec spec = ElementwiseKernels.where(node.dtype());
        long n = node.size();
        CudaBuffer out = gpu.allocate(node.nbytes());
        if (n > 0) {
            long sc = step(c, node.shape()), sx = step(x, node.shape()), sy = step(y, node.shape());
            if (sc >= 0 && sx >= 0 && sy >= 0) {
                gpu.launch(spec, "where_contig", Grid.linear(n), CudaRuntime.ptr(c), sc, CudaRuntime.ptr(x), sx, CudaRuntime.ptr(y), sy, out, n);
            } else {
                Layout[] l = Layout.of(node.shape(), strides(c), strides(x), strides(y));
                gpu.launch(spec, "where_strided", Grid.linear(n), CudaRuntime.ptr(c), l[0], CudaRuntime.ptr(x), l[1], CudaRuntime.ptr(y), l[2], out, n);
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    static void astype(Array node, Gpu gpu) {
        Array x = node.input(0);
        CudaBuffer out = gpu.allocate(node.nbytes());
        convert(gpu, x, node.dtype(), out);
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    static void copy(Array node, Gpu gpu) {
        Array x = node.input(0);
        CudaBuffer out = gpu.allocate(node.nbytes());
        convert(gpu, x, x.dtype(), out);
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    /** Writes {@code x} converted to {@code to} densely into {@code out}; same-dtype dense data is one memcpy. */
    private static void convert(Gpu gpu, Array x, DType to, CudaBuffer out) {
        long n = x.size();
        if (n == 0) return;
        ArrayData d = x.data();
        if (to == x.dtype() && d.rowContiguous()) {
            gpu.copy(out, 0, (CudaBuffer) d.buffer(), d.offset() * to.size(), x.nbytes());
            return;
        }
        KernelSpec spec = ElementwiseKernels.copy(x.dtype(), to);
        if (d.rowContiguous()) {
            gpu.launch(spec, "copy_contig", Grid.linear(n), CudaRuntime.ptr(x), out, n);
        } else {
            gpu.launch(spec, "copy_strided", Grid.linear(n), CudaRuntime.ptr(x), Layout.of(x.shape(), d.strides()), out, n);
        }
    }

    // ------------------------------------------------------------------ helpers for other families

    /**
     * {@code x}'s elements as a dense row-major buffer starting at byte 0: its own buffer (one more
     * reference) when it already is, else a new dense copy. The caller releases the result.
     */
    static CudaBuffer dense(CudaRuntime rt, Array x) { return dense(Gpu.of(rt), x); }

    static CudaBuffer dense(Gpu gpu, Array x) {
        ArrayData d = x.data();
        if (d.rowContiguous() && d.offset() == 0) return (CudaBuffer) d.buffer().retain();
        CudaBuffer out = gpu.allocate(x.nbytes());
        convert(gpu, x, x.dtype(), out);
        return out;
    }

    /**
     * Copies {@code src} (any view) into the strided view {@code dstLayout} at {@code dstBase} of an
     * existing buffer of the same dtype (Concatenate, SliceUpdate): element i of src's row-major order
     * goes to element i of the view's row-major order.
     *
     * @throws IllegalArgumentException when the view does not hold {@code src.size()} elements
     */
    static void copyInto(CudaRuntime rt, Array src, Ptr dstBase, Layout dstLayout) { copyInto(Gpu.of(rt), src, dstBase, dstLayout); }

    static void copyInto(Gpu gpu, Array src, Ptr dstBase, Layout dstLayout) {
        long n = src.size();
        if (dstLayout.size() != n) {
            throw new IllegalArgumentException("[copy] destination view " + dstLayout + " holds " + dstLayout.size() + " elements, source " + src.shape()
                    + " has " + n + ".");
        }
        if (n == 0) return;
        KernelSpec spec = ElementwiseKernels.copy(src.dtype(), src.dtype());
        // each layout simplified on its own: simplification keeps the row-major order of the elements
        gpu.launch(spec, "copy_to_strided", Grid.linear(n), CudaRuntime.ptr(src), Layout.of(src.shape(), strides(src)), dstBase, dstLayout, n);
    }
}
