package org.mlx4j.cuda;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.ArgPartition;
import org.mlx4j.core.primitive.ArgSort;
import org.mlx4j.core.primitive.Sort;
import org.mlx4j.cuda.kernel.KernelSpec;
import org.mlx4j.cuda.kernel.ReductionKernels;

/**
 * Sorting on the GPU ({@link Sort}, {@link ArgSort}, {@link ArgPartition}; kernel {@code sort.cu}):
 * one block per line sorts (key, index) pairs in shared memory, NaN last, ties by index (stable).
 * ArgPartition is the full stable argsort, which meets its contract: position kth holds the same
 * index as on the CPU, and each side holds the same elements (in sorted rather than arbitrary order).
 * Lines longer than {@value ReductionKernels#SORT_MAX} sort in tiles of that length, then merge
 * passes in global memory (one per doubling of the sorted runs).
 */
final class CudaSort {
    private CudaSort() {}

    static void register(CudaKernels t) {
        t.put(Sort.class, (n, rt) -> sort(n, CudaReduce.Gpu.of(rt)));
        t.put(ArgSort.class, (n, rt) -> sort(n, CudaReduce.Gpu.of(rt)));
        t.put(ArgPartition.class, (n, rt) -> sort(n, CudaReduce.Gpu.of(rt)));
    }

    /** Sort, ArgSort or ArgPartition of {@code node}'s input along the primitive's axis. */
    static void sort(Array node, CudaReduce.Gpu rt) {
        DType in = node.input(0).dtype();
        switch (node.primitive()) {
            case Sort p -> sort(node, rt, p.axis(), ReductionKernels.sort(in));
            case ArgSort p -> sort(node, rt, p.axis(), ReductionKernels.argSort(in));
            case ArgPartition p -> sort(node, rt, p.axis(), ReductionKernels.argPartition(in));
            default -> throw new IllegalArgumentException("[cuda] not a sort: " + node.primitive().name());
        }
    }

    /** Dynamic shared memory of a line padded to {@code padded}: keys, then int indices. */
    static int sharedBytes(DType t, int padded) { return padded * (ReductionKernels.sortKeyBytes(t) + 4); }

    private static void sort(Array node, CudaReduce.Gpu rt, int axis, KernelSpec spec) {
        Array x = node.input(0);
        int[] dims = x.shape().dims();
        CudaBuffer out = rt.allocate(node.nbytes());
        if (node.size() > 0) {
            long[] strides = x.data().strides();
            long len = dims[axis], rows = x.size() / len;
            Layout lines = CudaReduce.lines(dims, strides, axis);
            long inner = CudaReduce.inner(dims, axis);
            if (len <= ReductionKernels.SORT_MAX) {
                int padded = ReductionKernels.sortPadded(len);
                Grid g = Grid.rows(rows, ReductionKernels.sortBlock(padded), sharedBytes(x.dtype(), padded));
                rt.launch(spec, "sort_rows", g, CudaRuntime.ptr(x), lines, len, strides[axis], out, inner, rows, padded);
            } else {
                mergeSort(x, rt, spec, len, rows, strides[axis], lines, inner, out);
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    /**
     * A line longer than a tile: tiles of {@value ReductionKernels#SORT_MAX} sorted in shared memory
     * into (key, index) scratch, merge passes doubling the sorted runs (ping-pong between two scratch
     * pairs), then the output gathered from the final indices.
     */
    private static void mergeSort(Array x, CudaReduce.Gpu rt, KernelSpec spec, long len, long rows, long stride, Layout lines, long inner,
                                  CudaBuffer out) {
        int tile = ReductionKernels.SORT_MAX;
        long n = rows * len, tiles = (len + tile - 1) / tile;
        int keyBytes = ReductionKernels.sortKeyBytes(x.dtype());
        CudaBuffer[] keys = {rt.allocate(n * keyBytes), rt.allocate(n * keyBytes)};
        CudaBuffer[] idx = {rt.allocate(n * 4), rt.allocate(n * 4)};
        try {
            rt.launch(spec, "sort_tiles", Grid.rows(rows * tiles, ReductionKernels.sortBlock(tile), sharedBytes(x.dtype(), tile)),
                    CudaRuntime.ptr(x), lines, len, stride, keys[0], idx[0], rows, tile);
            int cur = 0;
            for (long width = tile; width < len; width *= 2) {
                rt.launch(spec, "merge_pass", Grid.linear(n), keys[cur], idx[cur], keys[1 - cur], idx[1 - cur], len, rows, width);
                cur = 1 - cur;
            }
            rt.launch(spec, "sort_gather", Grid.linear(n), CudaRuntime.ptr(x), lines, len, stride, idx[cur], out, inner, rows);
        } finally {
            // the stream orders the queued kernels before any reuse of these blocks
            for (CudaBuffer b : keys) b.release();
            for (CudaBuffer b : idx) b.release();
        }
    }
}
