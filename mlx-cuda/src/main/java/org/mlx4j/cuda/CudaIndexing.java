package org.mlx4j.cuda;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.Gather;
import org.mlx4j.core.primitive.Scatter;
import org.mlx4j.cuda.kernel.IndexingKernels;
import org.mlx4j.cuda.kernel.KernelSpec;

/**
 * GPU kernels of gather and scatter along an axis ({@code gather.cu}), with the semantics of the
 * CPU's {@code CpuIndexing}: indices wrap once (negative) and are then clamped into range; scatter
 * without {@code add} lets the update with the largest position along the axis win (a first pass
 * records, per target, the largest winner with {@code atomicMax}; a second pass writes); scatter-add
 * accumulates with atomics (so repeated float indices sum in an unspecified order, unlike the CPU's
 * fixed one). Elements that are only moved travel as raw bits, so every dtype works.
 *
 * <p>Each kernel walks the index array's shape; the indexed array (x for gather, the dense output
 * for scatter) is passed as its layout over that shape with the axis stride zeroed, plus the axis
 * stride: see {@link #alongAxis}.
 */
final class CudaIndexing {
    private CudaIndexing() {}

    static void register(CudaKernels t) {
        t.put(Gather.class, CudaIndexing::gather);
        t.put(Scatter.class, CudaIndexing::scatter);
    }

    /**
     * The layouts of a walk over {@code walk} (the index array's shape), simplified together: first
     * the indexed array's strides with {@code axis}'s stride set to 0 (the index supplies that
     * coordinate), then {@code others} as given. Element i of the walk reads the indexed array at
     * {@code offset(result[0], i) + index * indexedStrides[axis]}.
     */
    static Layout[] alongAxis(Shape walk, int axis, long[] indexedStrides, long[]... others) {
        long[][] all = new long[others.length + 1][];
        all[0] = indexedStrides.clone();
        all[0][axis] = 0;
        System.arraycopy(others, 0, all, 1, others.length);
        return Layout.of(walk, all);
    }

    /** Product of {@code dims[from..to)}. */
    static long prod(int[] dims, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) p *= dims[i];
        return p;
    }

    static void gather(Array node, CudaRuntime rt) {
        int axis = ((Gather) node.primitive()).axis();
        Array x = node.input(0), idx = node.input(1);
        CudaBuffer out = rt.allocate(node.nbytes());
        long n = node.size();
        if (n > 0) {
            long[] xs = x.data().strides();
            Layout[] l = alongAxis(node.shape(), axis, xs, idx.data().strides());
            rt.launch(IndexingKernels.move(x.dtype().size(), idx.dtype()), IndexingKernels.GATHER, Grid.linear(n),
                    out, CudaRuntime.ptr(x), CudaRuntime.ptr(idx), n, l[0], l[1], xs[axis], (long) x.dim(axis));
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    static void scatter(Array node, CudaRuntime rt) {
        Scatter s = (Scatter) node.primitive();
        int axis = s.axis();
        Array x = node.input(0), idx = node.input(1), upd = node.input(2);
        DType t = x.dtype();
        CudaBuffer out = rt.allocate(node.nbytes());
        denseCopy(rt, x, out);
        long n = upd.size();
        if (n > 0) {
            long[] os = x.shape().strides();
            Layout[] l = alongAxis(upd.shape(), axis, os, idx.data().strides(), upd.data().strides());
            long oAxis = os[axis], d = x.dim(axis);
            Ptr ip = CudaRuntime.ptr(idx), up = CudaRuntime.ptr(upd);
            if (s.add()) {
                // the 1- and 2-byte types CAS their containing 32-bit word: blocks are at least 512
                // bytes in multiples of 128 (CudaAllocator), so that word lies inside the block
                rt.launch(IndexingKernels.scatterAdd(t, idx.dtype()), IndexingKernels.SCATTER_ADD, Grid.linear(n),
                        out, up, ip, n, l[0], l[1], l[2], oAxis, d);
            } else {
                int[] ud = upd.shape().dims();
                long m = ud[axis], post = prod(ud, axis + 1, ud.length);
                long winBytes = x.size() * 4;
                CudaBuffer win = rt.allocate(winBytes);
                try {
                    rt.zero(win, 0, winBytes);
                    KernelSpec spec = IndexingKernels.move(t.size(), idx.dtype());
                    rt.launch(spec, IndexingKernels.SCATTER_WINNER, Grid.linear(n), win, ip, n, l[0], l[1], oAxis, d, m, post);
                    rt.launch(spec, IndexingKernels.SCATTER_WRITE, Grid.linear(n), out, up, ip, win, n, l[0], l[1], l[2], oAxis, d, m, post);
                } finally {
                    // queued work on the one stream is ordered before any reuse of the block
                    win.release();
                }
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    /** Queues a dense row-major copy of {@code x} into {@code dst} (from byte 0). */
    static void denseCopy(CudaRuntime rt, Array x, CudaBuffer dst) {
        long n = x.size();
        if (n == 0) return;
        ArrayData d = x.data();
        int es = x.dtype().size();
        if (d.rowContiguous()) {
            rt.copy(dst, 0, (CudaBuffer) d.buffer(), d.offset() * es, n * es);
        } else {
            stridedCopy(rt, dst, CudaRuntime.ptr(x), n, es, Layout.of(x.shape(), d.strides()));
        }
    }

    /** Queues {@code dst[i] = src[layout_offset(l, i)]} for {@code i < n}, elements of {@code elemBytes} bytes. */
    static void stridedCopy(CudaRuntime rt, CudaBuffer dst, Ptr src, long n, int elemBytes, Layout l) {
        rt.launch(IndexingKernels.move(elemBytes, DType.INT32), IndexingKernels.STRIDED_COPY, Grid.linear(n), dst, src, n, l);
    }
}
