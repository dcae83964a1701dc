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
 * Lines longer than {@value ReductionKernels#SORT_MAX} are refused.
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
            case Sort p -> sort(node, rt, "Sort", p.axis(), ReductionKernels.sort(in));
            case ArgSort p -> sort(node, rt, "ArgSort", p.axis(), ReductionKernels.argSort(in));
            case ArgPartition p -> sort(node, rt, "ArgPartition", p.axis(), ReductionKernels.argPartition(in));
            default -> throw new IllegalArgumentException("[cuda] not a sort: " + node.primitive().name());
        }
    }

    /** Dynamic shared memory of a line padded to {@code padded}: keys, then int indices. */
    static int sharedBytes(DType t, int padded) { return padded * (ReductionKernels.sortKeyBytes(t) + 4); }

    /**
     * Refuses lines the shared-memory sort cannot hold.
     *
     * @throws UnsupportedOperationException naming the primitive and dtype when {@code len > SORT_MAX}
     */
    static void checkLength(String name, DType t, int[] dims, int axis) {
        if (dims[axis] > ReductionKernels.SORT_MAX) {
            throw new UnsupportedOperationException("[" + name + "] rows longer than " + ReductionKernels.SORT_MAX + " on the GPU are not supported yet ("
                    + t.mlxName() + ", axis " + axis + " of size " + dims[axis] + " in shape " + java.util.Arrays.toString(dims)
                    + "); compute it on the CPU with MX.toDevice(x, Device.cpu()).");
        }
    }

    private static void sort(Array node, CudaReduce.Gpu rt, String name, int axis, KernelSpec spec) {
        Array x = node.input(0);
        int[] dims = x.shape().dims();
        if (node.size() > 0) checkLength(name, x.dtype(), dims, axis); // before allocating, so a refusal leaks nothing
        CudaBuffer out = rt.allocate(node.nbytes());
        if (node.size() > 0) {
            long[] strides = x.data().strides();
            long len = dims[axis], rows = x.size() / len;
            int padded = ReductionKernels.sortPadded(len);
            Grid g = Grid.rows(rows, ReductionKernels.sortBlock(padded), sharedBytes(x.dtype(), padded));
            rt.launch(spec, "sort_rows", g, CudaRuntime.ptr(x), CudaReduce.lines(dims, strides, axis), len, strides[axis], out,
                    CudaReduce.inner(dims, axis), rows, padded);
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }
}
