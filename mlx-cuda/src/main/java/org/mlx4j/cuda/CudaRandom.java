package org.mlx4j.cuda;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.RandomBits;
import org.mlx4j.core.primitive.Shuffle;
import org.mlx4j.cuda.kernel.IndexingKernels;

/**
 * GPU kernels of the random family, bit for bit the CPU's {@code CpuRandom}: Threefry-2x32 bits
 * ({@code random.cu}) and the keyed permutation (the stable argsort of the uint32 keys as a rank
 * table, then a gather along the axis: {@code gather.cu}).
 */
final class CudaRandom {
    private CudaRandom() {}

    static void register(CudaKernels t) {
        t.put(RandomBits.class, CudaRandom::bits);
        t.put(Shuffle.class, CudaRandom::shuffle);
    }

    /** Hash tasks per key: {@code ceil(W / 2)} for {@code W = ceil(elemsPerKey * width / 4)} words. */
    static long tasksPerKey(long elemsPerKey, int width) {
        long words = (elemsPerKey * width + 3) / 4;
        return words / 2 + (words & 1);
    }

    static void bits(Array node, CudaRuntime rt) {
        RandomBits p = (RandomBits) node.primitive();
        Array keys = node.input(0);
        long numKeys = keys.size() / 2;
        CudaBuffer out = rt.allocate(node.nbytes());
        if (numKeys > 0 && node.size() > 0) {
            long elemsPerKey = node.size() / numKeys;
            long tasks = numKeys * tasksPerKey(elemsPerKey, p.width());
            rt.launch(IndexingKernels.randomBits(), IndexingKernels.RANDOM_BITS, Grid.linear(tasks), out, CudaRuntime.ptr(keys),
                    Layout.of(keys.shape(), keys.data().strides()), numKeys, elemsPerKey, p.width());
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    /**
     * The index strides of a shuffle's table over {@code x}'s shape: 0 on every axis but
     * {@code axis}, 1 there (the table is one row, broadcast).
     */
    static long[] tableStrides(int ndim, int axis) {
        long[] st = new long[ndim];
        st[axis] = 1;
        return st;
    }

    static void shuffle(Array node, CudaRuntime rt) {
        Shuffle p = (Shuffle) node.primitive();
        Array keys = node.input(0), x = node.input(1);
        int axis = p.axis();
        long n = keys.size();
        CudaBuffer out = rt.allocate(node.nbytes());
        long size = node.size();
        if (size > 0) {
            CudaBuffer table = rt.allocate(n * 4);
            try {
                rt.launch(IndexingKernels.shuffleTable(), IndexingKernels.SHUFFLE_TABLE,
                        Grid.rows((n + IndexingKernels.RANK_TILE - 1) / IndexingKernels.RANK_TILE, IndexingKernels.RANK_TILE, 0),
                        table, CudaRuntime.ptr(keys), keys.data().strides()[0], n, p.inverse() ? 1 : 0);
                long[] xs = x.data().strides();
                Layout[] l = CudaIndexing.alongAxis(x.shape(), axis, xs, tableStrides(x.ndim(), axis));
                rt.launch(IndexingKernels.move(x.dtype().size(), DType.INT32), IndexingKernels.GATHER, Grid.linear(size),
                        out, CudaRuntime.ptr(x), table, size, l[0], l[1], xs[axis], n);
            } finally {
                table.release();
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }
}
