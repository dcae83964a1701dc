package org.mlx4j.cuda;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.ArgReduce;
import org.mlx4j.core.primitive.LayerNorm;
import org.mlx4j.core.primitive.LogSumExp;
import org.mlx4j.core.primitive.Reduce;
import org.mlx4j.core.primitive.RmsNorm;
import org.mlx4j.core.primitive.Softmax;
import org.mlx4j.cuda.kernel.KernelSpec;
import org.mlx4j.cuda.kernel.ReductionKernels;

/**
 * Reductions on the GPU: {@link Reduce}, {@link ArgReduce}, {@link Softmax}, {@link LogSumExp}, {@link LayerNorm} and {@link RmsNorm}
 * (kernels {@code reduce.cu}, {@code argreduce.cu}, {@code softmax.cu}). Reductions read strided
 * inputs in place: the input's axes split into kept axes (the output is row-major over them) and
 * reduced axes ({@link Plan}), so no transposing copy is made. Softmax, logsumexp and the norms work on dense
 * rows; a strided input is gathered into a dense temporary first.
 */
final class CudaReduce {
    private CudaReduce() {}

    /**
     * What the reduction launchers need from the runtime (allocate, launch), so tests can record the
     * launches without a GPU.
     */
    interface Gpu {
        /** Device memory for {@code bytes} bytes (at least one block). */
        CudaBuffer allocate(long bytes);

        /** Queues {@code entry} of {@code spec}'s module; arguments as {@link CudaRuntime#launch}. */
        void launch(KernelSpec spec, String entry, Grid grid, Object... args);

        /** The runtime itself. */
        static Gpu of(CudaRuntime rt) {
            return new Gpu() {
                @Override public CudaBuffer allocate(long bytes) { return rt.allocate(bytes); }

                @Override public void launch(KernelSpec spec, String entry, Grid grid, Object... args) { rt.launch(spec, entry, grid, args); }
            };
        }
    }

    static void register(CudaKernels t) {
        t.put(Reduce.class, (n, rt) -> reduce(n, Gpu.of(rt)));
        t.put(ArgReduce.class, (n, rt) -> argReduce(n, Gpu.of(rt)));
        t.put(Softmax.class, (n, rt) -> softmax(n, Gpu.of(rt)));
        t.put(LogSumExp.class, (n, rt) -> logSumExp(n, Gpu.of(rt)));
        t.put(LayerNorm.class, (n, rt) -> norm(n, Gpu.of(rt), true, ((LayerNorm) n.primitive()).eps()));
        t.put(RmsNorm.class, (n, rt) -> norm(n, Gpu.of(rt), false, ((RmsNorm) n.primitive()).eps()));
    }

    /**
     * How a reduction walks its input: output row {@code row} reduces the elements at
     * {@code layout_offset(kept, row) + layout_offset(red, r)} for {@code r < len}.
     *
     * @param kept the kept axes in order, with the input's strides (simplified)
     * @param red  the reduced axes ordered by decreasing |stride|, so neighbouring r are nearest in memory (simplified)
     * @param rows number of outputs (product of the kept extents)
     * @param len  elements per output (product of the reduced extents)
     */
    record Plan(Layout kept, Layout red, long rows, long len) {
        /** The plan of reducing {@code axes} (ascending, non-negative) of a view with {@code dims} and element {@code strides}. */
        static Plan of(int[] dims, long[] strides, int[] axes) {
            int n = dims.length;
            boolean[] isRed = new boolean[n];
            for (int a : axes) isRed[a] = true;
            int nr = 0;
            for (boolean b : isRed) if (b) nr++;
            long[] kd = new long[n - nr], ks = new long[n - nr];
            Integer[] order = new Integer[nr];
            long rows = 1, len = 1;
            int k = 0, r = 0;
            for (int i = 0; i < n; i++) {
                if (isRed[i]) {
                    order[r++] = i;
                    len *= dims[i];
                } else {
                    kd[k] = dims[i];
                    ks[k++] = strides[i];
                    rows *= dims[i];
                }
            }
            // stable: equal strides keep axis order
            Arrays.sort(order, (p, q) -> Long.compare(Math.abs(strides[q]), Math.abs(strides[p])));
            long[] rd = new long[nr], rs = new long[nr];
            for (int i = 0; i < nr; i++) {
                rd[i] = dims[order[i]];
                rs[i] = strides[order[i]];
            }
            return new Plan(Layout.simplify(kd, ks), Layout.simplify(rd, rs), rows, len);
        }

        /**
         * True when one thread per output beats one block per output: short rows, or outputs whose
         * innermost kept axis is the dense one while the reduced axes are not (a column sum), so
         * neighbouring threads read neighbouring elements.
         */
        boolean threadPerRow() {
            if (len <= 16) return true;
            int nk = kept.shape().length, nr = red.shape().length;
            boolean keptDense = nk > 0 && Math.abs(kept.strides()[nk - 1]) == 1;
            boolean redDense = nr > 0 && Math.abs(red.strides()[nr - 1]) == 1;
            return keptDense && !redDense && rows >= 32;
        }
    }

    /**
     * The lines of an axis op: every position but {@code axis}, row-major over the other axes, with
     * their strides (simplified); line i starts at {@code layout_offset(lines, i)}.
     */
    static Layout lines(int[] dims, long[] strides, int axis) {
        long[] d = new long[dims.length - 1], s = new long[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i == axis) continue;
            d[j] = dims[i];
            s[j++] = strides[i];
        }
        return Layout.simplify(d, s);
    }

    /** Product of the extents after {@code axis} (the output stride of the axis in a dense result). */
    static long inner(int[] dims, int axis) {
        long p = 1;
        for (int i = axis + 1; i < dims.length; i++) p *= dims[i];
        return p;
    }

    // ---------------------------------------------------------------- launchers

    static void reduce(Array node, Gpu rt) {
        Reduce p = (Reduce) node.primitive();
        Array x = node.input(0);
        CudaBuffer out = rt.allocate(node.nbytes());
        long rows = node.size();
        if (rows > 0) {
            Plan pl = Plan.of(x.shape().dims(), x.data().strides(), p.axes());
            KernelSpec spec = ReductionKernels.reduce(p.op(), x.dtype(), node.dtype());
            Object[] args = {CudaRuntime.ptr(x), pl.kept(), pl.red(), out, rows, pl.len()};
            long chunks = splitChunks(rows, pl.len());
            if (chunks > 1) {
                // few long rows: split each over many blocks, then combine the partials
                long pieceLen = (pl.len() + chunks - 1) / chunks;
                int accBytes = CudaTypes.computeType(x.dtype()).equals("float") ? 4 : 8;
                CudaBuffer partial = rt.allocate(rows * chunks * accBytes);
                rt.launch(spec, "reduce_rows_split", Grid.rows(rows * chunks, 256, 0),
                        CudaRuntime.ptr(x), pl.kept(), pl.red(), partial, rows, pl.len(), chunks, pieceLen);
                rt.launch(spec, "reduce_partials", Grid.linear(rows), partial, out, rows, chunks);
                partial.release(); // stream order: the next user of the block runs after these kernels
            } else if (pl.threadPerRow()) {
                rt.launch(spec, "reduce_rows_thread", Grid.linear(rows), args);
            } else {
                rt.launch(spec, "reduce_rows", Grid.rows(rows, ReductionKernels.blockFor(pl.len()), 0), args);
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    /** Blocks to split each row over: 1 unless there are fewer rows than a GPU has room for and rows are long. */
    static long splitChunks(long rows, long len) {
        if (rows >= 512 || len < 65536) return 1;
        long wanted = (1024 + rows - 1) / rows;           // about 1,024 blocks in all
        return Math.max(1, Math.min(wanted, len / 16384)); // and at least 16K elements per block
    }

    static void argReduce(Array node, Gpu rt) {
        ArgReduce p = (ArgReduce) node.primitive();
        Array x = node.input(0);
        CudaBuffer out = rt.allocate(node.nbytes());
        long rows = node.size();
        if (rows > 0) {
            int[] dims = x.shape().dims();
            long[] strides = x.data().strides();
            int a = p.axis();
            Layout kept = lines(dims, strides, a);
            long len = dims[a], stride = strides[a];
            KernelSpec spec = ReductionKernels.argReduce(p.max(), x.dtype());
            Object[] args = {CudaRuntime.ptr(x), kept, len, stride, out, rows};
            int nk = kept.shape().length;
            boolean keptDense = nk > 0 && Math.abs(kept.strides()[nk - 1]) == 1;
            if (len <= 16 || (keptDense && Math.abs(stride) != 1 && rows >= 32)) {
                rt.launch(spec, "argreduce_rows_thread", Grid.linear(rows), args);
            } else {
                rt.launch(spec, "argreduce_rows", Grid.rows(rows, ReductionKernels.blockFor(len), 0), args);
            }
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    static void softmax(Array node, Gpu rt) { rowwise(node, rt, "softmax_rows"); }

    /**
     * A softmax.cu kernel over the dense rows of the last axis (a strided input is gathered first),
     * one block per row, writing a dense output of the input's shape; {@code extra} follows
     * {@code (in, out, rows, cols)}.
     */
    private static void rowwise(Array node, Gpu rt, String entry, Object... extra) {
        Array x = node.input(0);
        CudaBuffer out = rt.allocate(node.nbytes());
        if (node.size() > 0) {
            KernelSpec spec = ReductionKernels.softmax(x.dtype());
            long cols = x.shape().dim(-1), rows = x.size() / cols;
            CudaBuffer tmp = denseCopy(x, spec, rt);
            Object[] args = new Object[4 + extra.length];
            args[0] = tmp != null ? tmp : CudaRuntime.ptr(x);
            args[1] = out;
            args[2] = rows;
            args[3] = cols;
            System.arraycopy(extra, 0, args, 4, extra.length);
            rt.launch(spec, entry, Grid.rows(rows, ReductionKernels.blockFor(cols), 0), args);
            // the allocator is stream-ordered: a later user of tmp's block runs after this kernel
            if (tmp != null) tmp.release();
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    static void logSumExp(Array node, Gpu rt) {
        Array x = node.input(0);
        CudaBuffer out = rt.allocate(node.nbytes());
        long rows = node.size();
        if (rows > 0) {
            KernelSpec spec = ReductionKernels.logSumExp(x.dtype());
            long cols = x.shape().dim(-1); // 0 gives -inf per row, without reading the input
            CudaBuffer tmp = cols > 0 ? denseCopy(x, spec, rt) : null;
            Object in = tmp != null ? tmp : CudaRuntime.ptr(x);
            rt.launch(spec, "logsumexp_rows", Grid.rows(rows, ReductionKernels.blockFor(cols), 0), in, out, rows, cols);
            if (tmp != null) tmp.release();
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    /** Layer norm ({@code centre}) or RMS norm over the last axis: one block per row ({@code norm_rows}). */
    static void norm(Array node, Gpu rt, boolean centre, double eps) { rowwise(node, rt, "norm_rows", centre ? 1 : 0, eps); }

    /** A dense row-major copy of {@code x} (softmax.cu's gather), or null when x is dense already. */
    private static CudaBuffer denseCopy(Array x, KernelSpec spec, Gpu rt) {
        ArrayData d = x.data();
        if (d.rowContiguous()) return null;
        long n = x.size();
        CudaBuffer tmp = rt.allocate(x.nbytes());
        rt.launch(spec, "softmax_gather", Grid.linear(n), CudaRuntime.ptr(x), Layout.of(x.shape(), d.strides()), tmp, n);
        return tmp;
    }
}
