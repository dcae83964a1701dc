package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.ops.Gathering;
import org.mlx4j.cuda.kernel.IndexingKernels;
import org.mlx4j.cuda.kernel.KernelSpec;

/**
 * gather.cu's gather and scatter kernels run on the host ({@link HostKernels}) with the layouts
 * {@link CudaIndexing#alongAxis} builds, against the CPU backend: strided and broadcast operands,
 * negative and out-of-range indices (wrapped, then clamped), repeated scatter targets (the largest j
 * wins; adds accumulate, integers wrapping, bool or-ing), every index dtype size.
 */
class CudaIndexingHostTest {
    @BeforeEach void gpp() { Assumptions.assumeTrue(HostKernels.compiler() != null, "g++ not found: host kernel tests skipped"); }

    /** The memory behind {@code a}: its base buffer's elements in order, read from a dense twin. */
    private static long[] memory(Array base) { return base.toLongArray(); }

    /** The pointer expression of an evaluated view: its base array plus its element offset. */
    private static String at(String name, Array a) { return name + " + " + a.data().offset(); }

    private static long[] indices(int n, long seed, int lo, int hi) {
        java.util.Random r = new java.util.Random(seed);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = lo + r.nextInt(hi - lo);
        return v;
    }

    @Test
    void gatherWrapsClampsAndWalksViews() throws Exception {
        for (DType it : new DType[] {DType.INT32, DType.INT64, DType.INT8, DType.INT16}) {
            Array base = MX.reshape(MX.arange(60), 5, 4, 3);
            Array x = MX.transpose(base, 2, 1, 0); // (3, 4, 5), strides (1, 3, 12)
            x.eval();
            // indices (3, 6, 5) in [-7, 7): negatives wrap, beyond +-4 clamp
            Array idx = MX.reshape(MX.array(indices(90, 7 + it.ordinal(), -7, 7), 90), 3, 6, 5).astype(it);
            idx.eval();
            long[] expect = Gathering.gatherAlongAxis(x, idx, 1).toLongArray();
            long n = expect.length;
            ArrayData xd = x.data();
            Layout[] l = CudaIndexing.alongAxis(idx.shape(), 1, xd.strides(), idx.data().strides());
            KernelSpec spec = IndexingKernels.move(4, it);
            String main = HostKernels.array("unsigned int", "xm", memory(base))
                    + HostKernels.array(spec.defines().get("IDX_T"), "im", idx.toLongArray())
                    + "static unsigned int out[" + n + "];\n"
                    + "mlx_gather(out, " + at("xm", x) + ", im, " + n + "LL, " + HostKernels.layout(l[0]) + ", " + HostKernels.layout(l[1])
                    + ", " + xd.strides()[1] + "LL, 4LL);\n" + HostKernels.print("out", n, false);
            assertArrayEquals(expect, HostKernels.longs(HostKernels.run("gather.cu", spec.defines(), main)), "indices " + it);
        }
    }

    @Test
    void gatherWithBroadcastIndicesMovesWholeRows() throws Exception {
        Array x = MX.reshape(MX.arange(24), 4, 6).astype(DType.INT64);
        x.eval();
        // take-style: one index per row position, broadcast over the last axis (stride 0)
        Array idx = MX.broadcastTo(MX.reshape(MX.array(new int[] {3, -1, 0, 9, -9}, 5), 5, 1), 5, 6);
        idx.eval();
        long[] expect = Gathering.gatherAlongAxis(x, idx, 0).toLongArray();
        Layout[] l = CudaIndexing.alongAxis(idx.shape(), 0, x.data().strides(), idx.data().strides());
        KernelSpec spec = IndexingKernels.move(8, DType.INT32);
        String main = HostKernels.array("unsigned long long", "xm", x.toLongArray())
                + HostKernels.array("int", "im", new long[] {3, -1, 0, 9, -9})
                + "static unsigned long long out[30];\n"
                + "mlx_gather(out, xm, im, 30LL, " + HostKernels.layout(l[0]) + ", " + HostKernels.layout(l[1]) + ", 6LL, 4LL);\n"
                + HostKernels.print("out", 30, false);
        assertArrayEquals(expect, HostKernels.longs(HostKernels.run("gather.cu", spec.defines(), main)));
        assertEquals(18, expect[0]); // row 3
        assertEquals(18, expect[6]); // -1 wraps to row 3
        assertEquals(18, expect[18]); // 9 clamps to row 3
        assertEquals(0, expect[24]); // -9 wraps to -5, clamps to row 0
    }

    /** Runs scatter (replace: both passes; add: the atomic kernel) on the host, x and updates views. */
    private static String scatterMain(boolean add, KernelSpec spec, String elem, Array x, Array idx, Array updBase, Array upd) {
        int axis = 1;
        long n = upd.size(), size = x.size();
        long[] os = x.shape().strides();
        Layout[] l = CudaIndexing.alongAxis(upd.shape(), axis, os, idx.data().strides(), upd.data().strides());
        String args = "(long long) " + n + ", " + HostKernels.layout(l[0]) + ", " + HostKernels.layout(l[1]);
        StringBuilder m = new StringBuilder();
        m.append(HostKernels.array(elem, "out", x.toLongArray())) // the launcher's dense copy of x
                .append(HostKernels.array(spec.defines().get("IDX_T"), "im", idx.toLongArray()))
                .append(HostKernels.array(elem, "um", updBase.toLongArray()));
        if (add) {
            m.append("mlx_scatter_add(out, ").append(at("um", upd)).append(", im, ").append(args).append(", ")
                    .append(HostKernels.layout(l[2])).append(", ").append(os[axis]).append("LL, ").append(x.dim(axis)).append("LL);\n");
        } else {
            int[] ud = upd.shape().dims();
            long post = CudaIndexing.prod(ud, axis + 1, ud.length);
            String tail = os[axis] + "LL, " + x.dim(axis) + "LL, " + ud[axis] + "LL, " + post + "LL";
            m.append("static unsigned int win[").append(size).append("];\n")
                    .append("mlx_scatter_winner(win, im, ").append(args).append(", ").append(tail).append(");\n")
                    .append("mlx_scatter_write(out, ").append(at("um", upd)).append(", im, win, ").append(args).append(", ")
                    .append(HostKernels.layout(l[2])).append(", ").append(tail).append(");\n");
        }
        return m.append(HostKernels.print("out", size, false)).toString();
    }

    @Test
    void scatterReplaceLetsTheLargestJWin() throws Exception {
        Array x = MX.reshape(MX.arange(60), 3, 4, 5).astype(DType.INT16);
        // indices (3, 6, 5): six updates per column into four rows, so targets repeat
        Array idx = MX.reshape(MX.array(indices(90, 3, -5, 6), 90), 3, 6, 5);
        Array updBase = MX.reshape(MX.arange(1000, 1090, 1), 5, 6, 3).astype(DType.INT16);
        Array upd = MX.transpose(updBase, 2, 1, 0); // (3, 6, 5), strided
        MX.eval(x, idx, upd);
        long[] expect = Gathering.scatterAlongAxis(x, idx, upd, 1, false).toLongArray();
        KernelSpec spec = IndexingKernels.move(2, DType.INT32);
        String out = HostKernels.run("gather.cu", spec.defines(), scatterMain(false, spec, "unsigned short", x, idx, updBase, upd));
        long[] got = HostKernels.longs(out);
        for (int i = 0; i < got.length; i++) got[i] = (short) got[i];
        assertArrayEquals(expect, got);
    }

    @Test
    void scatterAddAccumulatesInEveryIntegerDtype() throws Exception {
        DType[] types = {DType.INT8, DType.UINT8, DType.INT16, DType.INT32, DType.UINT32, DType.INT64, DType.BOOL};
        for (DType t : types) {
            // values near the top of the small types, so sums wrap
            Array x = MX.reshape(MX.arange(100, 160, 1), 3, 4, 5).astype(t);
            Array idx = MX.reshape(MX.array(indices(90, 11, -4, 4), 90), 3, 6, 5).astype(DType.UINT8 == t ? DType.INT64 : DType.INT32);
            // uint8 indices would not hold -4; use int64 there
            Array updBase = MX.reshape(MX.array(indices(90, 5, t == DType.BOOL ? 0 : -100, t == DType.BOOL ? 2 : 120), 90), 5, 6, 3).astype(t);
            Array upd = MX.transpose(updBase, 2, 1, 0);
            MX.eval(x, idx, upd);
            long[] expect = Gathering.scatterAlongAxis(x, idx, upd, 1, true).toLongArray();
            KernelSpec spec = IndexingKernels.scatterAdd(t, idx.dtype());
            String elem = spec.defines().get("ELEM_T");
            long[] got = HostKernels.longs(HostKernels.run("gather.cu", spec.defines(), scatterMain(true, spec, elem, x, idx, updBase, upd)));
            if (t == DType.UINT32) for (int i = 0; i < got.length; i++) got[i] &= 0xffffffffL;
            assertArrayEquals(expect, got, "scatter-add " + t);
        }
    }

    @Test
    void scatterAddFloats() throws Exception {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Array x = MX.reshape(MX.arange(60), 3, 4, 5).astype(t);
            Array idx = MX.reshape(MX.array(indices(90, 13, -4, 4), 90), 3, 6, 5);
            Array updBase = MX.reshape(MX.arange(90), 5, 6, 3).astype(t);
            Array upd = MX.transpose(updBase, 2, 1, 0);
            MX.eval(x, idx, upd);
            long[] expect = Gathering.scatterAlongAxis(x, idx, upd, 1, true).toLongArray();
            KernelSpec spec = IndexingKernels.scatterAdd(t, DType.INT32);
            long[] got = HostKernels.longs(HostKernels.run("gather.cu", spec.defines(),
                    scatterMain(true, spec, spec.defines().get("ELEM_T"), x, idx, updBase, upd)));
            assertArrayEquals(expect, got, "scatter-add " + t);
        }
    }
}
