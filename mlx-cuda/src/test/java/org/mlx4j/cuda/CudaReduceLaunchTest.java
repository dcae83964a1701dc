package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.ArgPartition;
import org.mlx4j.core.primitive.ArgReduce;
import org.mlx4j.core.primitive.ArgSort;
import org.mlx4j.core.primitive.LogSumExp;
import org.mlx4j.core.primitive.Reduce;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.Scan;
import org.mlx4j.core.primitive.ScanOp;
import org.mlx4j.core.primitive.Softmax;
import org.mlx4j.core.primitive.Sort;
import org.mlx4j.cuda.kernel.KernelSpec;
import org.mlx4j.cuda.kernel.ReductionKernels;

/**
 * The reduction launchers against a recording GPU (fake allocator, launches written down): entry,
 * grid and the exact argument list in each kernel signature's order. The fake driver's buffers sit at
 * address 0, so an input pointer is the input's byte offset.
 */
class CudaReduceLaunchTest {
    record Launch(KernelSpec spec, String entry, Grid grid, List<Object> args) {}

    static final class RecordingGpu implements CudaReduce.Gpu {
        final CudaAllocator allocator = new CudaAllocator(0, new CudaAllocatorTest.FakeDriver(1L << 30), 1L << 30);
        final List<Launch> launches = new ArrayList<>();
        final List<CudaBuffer> allocated = new ArrayList<>();

        @Override public CudaBuffer allocate(long bytes) {
            CudaBuffer b = allocator.allocate(bytes);
            allocated.add(b);
            return b;
        }

        @Override public void launch(KernelSpec spec, String entry, Grid grid, Object... args) { launches.add(new Launch(spec, entry, grid, List.of(args))); }

        Launch only() {
            assertEquals(1, launches.size(), "launches: " + launches);
            return launches.getFirst();
        }
    }

    final RecordingGpu gpu = new RecordingGpu();

    Array view(DType t, Shape shape, long offset, long[] strides, long elements) {
        CudaBuffer b = gpu.allocator.allocate(Math.max(1, elements) * t.size());
        return Array.fromData(shape, t, Device.gpu(0), ArrayData.view(b, offset, strides, shape));
    }

    Array dense(DType t, Shape shape) { return view(t, shape, 0, shape.strides(), shape.size()); }

    static Layout layout(long[] shape, long[] strides) { return new Layout(shape, strides); }

    static final long[] NONE = {};

    void assertDenseOutput(Array node, long bytes) {
        CudaBuffer out = gpu.allocated.getLast();
        assertSame(out, node.data().buffer());
        assertTrue(node.data().rowContiguous());
        assertEquals(bytes, out.byteSize());
    }

    @Test
    void aFullReductionOfALargeArraySplitsItsRowOverManyBlocks() {
        int n = 1 << 22;
        Array x = dense(DType.FLOAT32, Shape.of(n));
        Array node = Array.node(Shape.of(), DType.FLOAT32, new Reduce(ReduceOp.SUM, new int[] {0}), x);
        CudaReduce.reduce(node, gpu);
        assertEquals(2, gpu.launches.size(), "split, then combine: " + gpu.launches);
        Launch split = gpu.launches.get(0), combine = gpu.launches.get(1);
        long chunks = CudaReduce.splitChunks(1, n);
        assertEquals(256, chunks, "1,024 blocks wanted, at most one per 16K elements");
        assertEquals("reduce_rows_split", split.entry());
        assertEquals(chunks, split.grid().x());
        assertEquals(List.of(new Ptr(0), layout(NONE, NONE), layout(new long[] {n}, new long[] {1}), split.args().get(3), 1L, (long) n, chunks, n / chunks),
                split.args());
        CudaBuffer partial = (CudaBuffer) split.args().get(3);
        assertTrue(partial.byteSize() >= chunks * 4);
        assertEquals("reduce_partials", combine.entry());
        assertEquals(List.of(partial, node.data().buffer(), 1L, chunks), combine.args());
        assertEquals(1, CudaReduce.splitChunks(1, 60000), "short rows stay in one block");
        assertEquals(1, CudaReduce.splitChunks(4096, 1 << 22), "many rows fill the GPU already");
    }

    @Test
    void reduceOfATransposedViewWalksItInPlace() {
        // a (4, 3) transpose of a dense (3, 4) float32 array starting at element 2; sum over axis 0
        Array x = view(DType.FLOAT32, Shape.of(4, 3), 2, new long[] {1, 4}, 14);
        Array node = Array.node(Shape.of(1, 3), DType.FLOAT32, new Reduce(ReduceOp.SUM, new int[] {0}), x);
        CudaReduce.reduce(node, gpu);
        Launch l = gpu.only();
        assertEquals(ReductionKernels.reduce(ReduceOp.SUM, DType.FLOAT32, DType.FLOAT32), l.spec());
        assertEquals("reduce_rows_thread", l.entry(), "4 elements per output");
        assertEquals(Grid.linear(3), l.grid());
        assertEquals(List.of(new Ptr(8), layout(new long[] {3}, new long[] {4}), layout(new long[] {4}, new long[] {1}), gpu.allocated.getLast(), 3L, 4L),
                l.args(), "(in, kept, red, out, rows, len)");
        assertDenseOutput(node, 12);
    }

    @Test
    void reduceOfLongDenseRowsTakesABlockPerRow() {
        Array x = dense(DType.INT32, Shape.of(8, 100));
        Array node = Array.node(Shape.of(8, 1), DType.INT32, new Reduce(ReduceOp.MAX, new int[] {1}), x);
        CudaReduce.reduce(node, gpu);
        Launch l = gpu.only();
        assertEquals("reduce_rows", l.entry());
        assertEquals(Grid.rows(8, 128, 0), l.grid());
        assertEquals(List.of(new Ptr(0), layout(new long[] {8}, new long[] {100}), layout(new long[] {100}, new long[] {1}), gpu.allocated.getLast(), 8L, 100L),
                l.args());
        assertEquals("mlxr_op_max", l.spec().defines().get("REDUCE"));
    }

    @Test
    void reduceSizeZeroLaunchesNothingAndEmptyAxesGiveIdentities() {
        Array none = dense(DType.FLOAT32, Shape.of(0, 4));
        Array n0 = Array.node(Shape.of(0, 1), DType.FLOAT32, new Reduce(ReduceOp.SUM, new int[] {1}), none);
        CudaReduce.reduce(n0, gpu);
        assertTrue(gpu.launches.isEmpty());
        assertSame(gpu.allocated.getLast(), n0.data().buffer());
        // (3, 0) summed over its empty axis: three outputs, each the identity (len 0, no reads)
        Array empty = dense(DType.INT32, Shape.of(3, 0));
        Array n1 = Array.node(Shape.of(3, 1), DType.INT32, new Reduce(ReduceOp.PROD, new int[] {1}), empty);
        CudaReduce.reduce(n1, gpu);
        Launch l = gpu.only();
        assertEquals("reduce_rows_thread", l.entry());
        assertEquals(3L, l.args().get(4));
        assertEquals(0L, l.args().get(5));
        assertEquals("1LL", l.spec().defines().get("IDENT"));
    }

    @Test
    void argReduceArguments() {
        Array x = dense(DType.FLOAT16, Shape.of(5, 40));
        Array node = Array.node(Shape.of(5, 1), DType.UINT32, new ArgReduce(true, 1), x);
        CudaReduce.argReduce(node, gpu);
        Launch l = gpu.only();
        assertEquals(ReductionKernels.argReduce(true, DType.FLOAT16), l.spec());
        assertEquals("argreduce_rows", l.entry());
        assertEquals(Grid.rows(5, 64, 0), l.grid());
        assertEquals(List.of(new Ptr(0), layout(new long[] {5}, new long[] {40}), 40L, 1L, gpu.allocated.getLast(), 5L), l.args(),
                "(in, kept, len, stride, out, rows)");
        assertDenseOutput(node, 20);

        gpu.launches.clear();
        Array cols = view(DType.FLOAT32, Shape.of(40, 64), 3, new long[] {64, 1}, 40 * 64 + 3);
        Array n2 = Array.node(Shape.of(1, 64), DType.UINT32, new ArgReduce(false, 0), cols);
        CudaReduce.argReduce(n2, gpu);
        Launch c = gpu.only();
        assertEquals("argreduce_rows_thread", c.entry(), "column-wise: neighbouring threads read neighbouring columns");
        assertEquals(Grid.linear(64), c.grid());
        assertEquals(List.of(new Ptr(12), layout(new long[] {64}, new long[] {1}), 40L, 64L, gpu.allocated.getLast(), 64L), c.args());
    }

    @Test
    void softmaxOfDenseRowsIsOneLaunch() {
        Array x = view(DType.FLOAT32, Shape.of(3, 10), 5, new long[] {10, 1}, 35);
        Array node = Array.node(x.shape(), DType.FLOAT32, new Softmax(), x);
        CudaReduce.softmax(node, gpu);
        Launch l = gpu.only();
        assertEquals(ReductionKernels.softmax(DType.FLOAT32), l.spec());
        assertEquals("softmax_rows", l.entry());
        assertEquals(Grid.rows(3, 32, 0), l.grid());
        assertEquals(List.of(new Ptr(20), gpu.allocated.getLast(), 3L, 10L), l.args(), "(in, out, rows, cols)");
        assertDenseOutput(node, 120);
    }

    @Test
    void softmaxOfAStridedViewGathersItFirst() {
        Array x = view(DType.BFLOAT16, Shape.of(10, 3), 0, new long[] {1, 10}, 30);
        Array node = Array.node(x.shape(), DType.BFLOAT16, new Softmax(), x);
        CudaReduce.softmax(node, gpu);
        assertEquals(2, gpu.launches.size());
        Launch g = gpu.launches.get(0), s = gpu.launches.get(1);
        CudaBuffer out = gpu.allocated.get(gpu.allocated.size() - 2), tmp = gpu.allocated.getLast();
        assertEquals("softmax_gather", g.entry());
        assertEquals(Grid.linear(30), g.grid());
        assertEquals(List.of(new Ptr(0), layout(new long[] {10, 3}, new long[] {1, 10}), tmp, 30L), g.args(), "(in, layout, out, n)");
        assertEquals("softmax_rows", s.entry());
        assertEquals(List.of(tmp, out, 10L, 3L), s.args());
        assertEquals(60, tmp.byteSize());
        assertSame(out, node.data().buffer());
        assertThrows(IllegalStateException.class, tmp::release, "the temporary went back to the allocator");
    }

    @Test
    void logSumExpOfEmptyRowsReadsNothing() {
        Array x = dense(DType.FLOAT64, Shape.of(3, 0));
        Array node = Array.node(Shape.of(3, 1), DType.FLOAT64, new LogSumExp(), x);
        CudaReduce.logSumExp(node, gpu);
        Launch l = gpu.only();
        assertEquals("logsumexp_rows", l.entry());
        assertEquals(List.of(new Ptr(0), gpu.allocated.getLast(), 3L, 0L), l.args());
        assertDenseOutput(node, 24);
    }

    @Test
    void scanArguments() {
        Array x = dense(DType.INT32, Shape.of(2, 3, 4));
        Array node = Array.node(x.shape(), DType.INT32, new Scan(ScanOp.SUM, 1, true, false), x);
        CudaScan.scan(node, gpu);
        Launch l = gpu.only();
        assertEquals(ReductionKernels.scan(ScanOp.SUM, true, false, DType.INT32, DType.INT32), l.spec());
        assertEquals("scan_rows", l.entry());
        assertEquals(Grid.linear(8), l.grid());
        assertEquals(List.of(new Ptr(0), layout(new long[] {2, 4}, new long[] {12, 1}), 3L, 4L, gpu.allocated.getLast(), 4L, 8L), l.args(),
                "(in, lines, len, stride, out, inner, rows)");
        assertDenseOutput(node, 96);

        gpu.launches.clear();
        // two lines of 600: a block of 256 threads per line
        Array lng = dense(DType.FLOAT32, Shape.of(2, 600));
        CudaScan.scan(Array.node(lng.shape(), DType.FLOAT32, new Scan(ScanOp.SUM, 1, false, true), lng), gpu);
        Launch b = gpu.only();
        assertEquals("scan_rows_block", b.entry());
        assertEquals(Grid.rows(2, CudaScan.BLOCK, 0), b.grid());
        assertEquals(List.of(600L, 1L), b.args().subList(2, 4));
        assertEquals(List.of(1L, 2L), b.args().subList(5, 7));
        assertFalse(CudaScan.blockPerLine(100_000, 600), "many lines: a thread each already fills the GPU");
        assertFalse(CudaScan.blockPerLine(2, 100), "short lines: a thread each");

        gpu.launches.clear();
        Array e = dense(DType.FLOAT32, Shape.of(0, 5));
        CudaScan.scan(Array.node(e.shape(), DType.FLOAT32, new Scan(ScanOp.MAX, 1, false, true), e), gpu);
        assertTrue(gpu.launches.isEmpty());
    }

    @Test
    void sortArgumentsAndSharedMemory() {
        // argsort along axis 0 of a (5, 3) float64 array
        Array x = dense(DType.FLOAT64, Shape.of(5, 3));
        Array node = Array.node(x.shape(), DType.UINT32, new ArgSort(0), x);
        CudaSort.sort(node, gpu);
        Launch l = gpu.only();
        assertEquals(ReductionKernels.argSort(DType.FLOAT64), l.spec());
        assertEquals("sort_rows", l.entry());
        assertEquals(Grid.rows(3, 32, 8 * 12), l.grid());
        assertEquals(List.of(new Ptr(0), layout(new long[] {3}, new long[] {1}), 5L, 3L, gpu.allocated.getLast(), 3L, 3L, 8), l.args(),
                "(in, lines, len, stride, out, inner, rows, padded)");
        assertDenseOutput(node, 60);

        gpu.launches.clear();
        Array y = view(DType.INT8, Shape.of(4, 6), 0, new long[] {1, 4}, 24);
        CudaSort.sort(Array.node(y.shape(), DType.INT8, new Sort(1), y), gpu);
        Launch s = gpu.only();
        assertEquals(ReductionKernels.sort(DType.INT8), s.spec());
        assertEquals(List.of(new Ptr(0), layout(new long[] {4}, new long[] {1}), 6L, 4L, gpu.allocated.getLast(), 1L, 4L, 8), s.args());
        assertEquals(Grid.rows(4, 32, 8 * 8), s.grid());

        gpu.launches.clear();
        Array z = dense(DType.FLOAT32, Shape.of(2, 2048));
        CudaSort.sort(Array.node(z.shape(), DType.UINT32, new ArgPartition(7, 1), z), gpu);
        Launch p = gpu.only();
        assertEquals(ReductionKernels.argSort(DType.FLOAT32), p.spec(), "argpartition is the stable argsort");
        assertEquals(Grid.rows(2, 1024, 2048 * 8), p.grid());
    }

    @Test
    void longLinesSortInTilesThenMergePasses() {
        Array x = dense(DType.FLOAT32, Shape.of(2, 5000));
        CudaSort.sort(Array.node(x.shape(), DType.UINT32, new ArgSort(1), x), gpu);
        assertEquals(List.of("sort_tiles", "merge_pass", "merge_pass", "sort_gather"), gpu.launches.stream().map(Launch::entry).toList(),
                "3 tiles of 2048: runs of 2048 merge to 4096, then to the whole line");
        Launch tiles = gpu.launches.get(0), m1 = gpu.launches.get(1), m2 = gpu.launches.get(2), gather = gpu.launches.get(3);
        assertEquals(Grid.rows(2 * 3, 1024, 2048 * 8), tiles.grid());
        // (in, lines, len, stride, keys, idx, rows, tile): keys and indices go to the first scratch pair
        assertEquals(List.of(5000L, 1L), tiles.args().subList(2, 4));
        assertEquals(List.of(2L, 2048), tiles.args().subList(6, 8));
        Object k0 = tiles.args().get(4), i0 = tiles.args().get(5);
        // (keys in, idx in, keys out, idx out, len, rows, width): ping-pong
        assertSame(k0, m1.args().get(0));
        assertSame(i0, m1.args().get(1));
        assertEquals(List.of(5000L, 2L, 2048L), m1.args().subList(4, 7));
        assertSame(m1.args().get(2), m2.args().get(0));
        assertSame(m1.args().get(3), m2.args().get(1));
        assertSame(k0, m2.args().get(2), "the second pass writes back into the first pair");
        assertEquals(4096L, m2.args().get(6));
        assertEquals(Grid.linear(10000), m1.grid());
        // (in, lines, len, stride, idx, out, inner, rows): the indices of the last pass
        assertSame(m2.args().get(3), gather.args().get(4));
        assertEquals(List.of(1L, 2L), gather.args().subList(6, 8));
        gpu.launches.clear();
        // size 0 with a long axis is fine: nothing to sort
        Array empty = dense(DType.FLOAT32, Shape.of(0, 5000));
        CudaSort.sort(Array.node(empty.shape(), DType.FLOAT32, new Sort(1), empty), gpu);
        assertTrue(gpu.launches.isEmpty());
    }
}
