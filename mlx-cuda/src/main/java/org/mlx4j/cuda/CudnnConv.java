package org.mlx4j.cuda;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.primitive.Convolution;
import org.mlx4j.cuda.lib.CudaLibraries;
import org.mlx4j.cuda.lib.Cudnn;

/**
 * The {@link Convolution} primitive through cuDNN where cuDNN can express it, channels-last (NHWC)
 * throughout. Three shapes of the primitive map onto cuDNN's three calls:
 * <ul>
 *   <li>no input dilation: {@code cudnnConvolutionForward}, with the low padding on both sides (the
 *       values depend only on the low padding; the high one only decides how many outputs there are:
 *       where cuDNN's count is larger, it writes a temporary whose leading block is copied out).
 *       Forward convolutions take this path;</li>
 *   <li>a one-group cross-correlation whose kernel is spatially larger than its output (the weight
 *       gradient, as {@link Convolution}'s vjp builds it from the batch-transposed input and
 *       cotangent): {@code cudnnConvolutionBackwardFilter}, reading the input and cotangent in place
 *       as the NHWC tensors they are, and writing the weight's layout, copied out transposed;</li>
 *   <li>input dilation with unit stride: {@code cudnnConvolutionBackwardData} of the forward
 *       convolution whose stride is the input dilation, at padding {@code (k-1)*dilation - paddingLo},
 *       with the weight transposed back within each group (the input gradient, and transposed
 *       convolutions); again through a temporary where cuDNN needs a larger output.</li>
 * </ul>
 * Anything else (input dilation with stride, negative padding, more than three spatial axes, integer
 * types, empty axes, tensors over 2^31 elements), a convolution cuDNN declines, a machine without
 * cuDNN and {@code -Dmlx4j.cuda.cudnn=false} fall back to im2col and GEMM ({@link CudaConv}).
 * One-dimensional convolutions are lifted to two dimensions, as cuDNN wants 4 or 5 dims.
 *
 * <p>Float32 runs without TF32 unless {@code -Dmlx4j.cuda.allowTf32=true} (as matmul); float16 and
 * bfloat16 use tensor cores with float32 accumulation.
 */
final class CudnnConv {
    private static final Logger LOG = LogManager.getLogger(CudnnConv.class);

    private CudnnConv() {}

    /** The most workspace one cuDNN algorithm may ask for; a hungrier one is passed over. */
    static final long MAX_WORKSPACE = 512L << 20;

    /** Specs cuDNN declined, so they go straight to im2col next time (cleared when it grows past a bound). */
    private static final Set<Cudnn.ConvSpec> DECLINED = ConcurrentHashMap.newKeySet();
    private static final int DECLINED_BOUND = 1024;

    /** Per device: the cuDNN handle bound to the runtime's stream, or empty where cuDNN is absent. */
    private record Dnn(Cudnn lib, long handle) {}

    private static final Map<CudaRuntime, Optional<Dnn>> HANDLES = new ConcurrentHashMap<>();

    /** Convolutions queued per path since start: the three cuDNN calls and im2col ({@link #counts}). */
    private static final Map<String, java.util.concurrent.atomic.AtomicLong> COUNTS = new java.util.concurrent.ConcurrentSkipListMap<>();

    static void count(String path) { COUNTS.computeIfAbsent(path, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet(); }

    /**
     * How many convolutions each path computed since start: {@code cudnn FORWARD},
     * {@code cudnn BACKWARD_DATA}, {@code cudnn BACKWARD_FILTER}, {@code im2col}.
     */
    static Map<String, Long> counts() {
        Map<String, Long> r = new java.util.TreeMap<>();
        COUNTS.forEach((k, v) -> r.put(k, v.get()));
        return r;
    }

    /** Whether cuDNN serves convolutions on this runtime (loads it at the first call). */
    static boolean available(CudaRuntime rt) { return enabled() && dnn(rt) != null; }

    /** False when {@code -Dmlx4j.cuda.cudnn=false}. */
    static boolean enabled() { return !"false".equalsIgnoreCase(System.getProperty("mlx4j.cuda.cudnn", "true").trim()); }

    /**
     * How cuDNN computes one convolution, or why it does not.
     *
     * @param dir      the cuDNN call (null when not usable)
     * @param spec     its description (null when not usable)
     * @param temp     0 when cuDNN writes our output directly; else the elements of the dense
     *                 temporary cuDNN writes instead
     * @param copyOut  with a temporary: our output as a layout over it, read in row-major order
     *                 (a leading block, {@link #slice}, or a transpose for the filter gradient)
     * @param whyNot   null when usable, else the reason
     */
    record Choice(Cudnn.Direction dir, Cudnn.ConvSpec spec, long temp, Layout copyOut, String whyNot) {
        static Choice no(String why) { return new Choice(null, null, 0, null, why); }

        boolean usable() { return whyNot == null; }
    }

    /**
     * The cuDNN form of a convolution of an input {@code x} and weight {@code w} (views with these
     * dims and element strides) into a dense output of dims {@code odims}. The forward and
     * backward-data calls read x made dense channels-last, and the weight dense (forward) or through
     * {@link #groupTransposed} (backward data); the backward-filter call reads both views in place.
     */
    static Choice choose(Convolution p, DType t, int[] xdims, long[] xStrides, int[] wdims, long[] wStrides, int[] odims,
                         boolean allowTf32) {
        int d = p.spatialDims();
        if (d < 1 || d > 3) return Choice.no(d + " spatial axes (cuDNN takes 1 to 3)");
        Cudnn.DataType type = switch (t) {
            case FLOAT32 -> Cudnn.DataType.FLOAT;
            case FLOAT16 -> Cudnn.DataType.HALF;
            case BFLOAT16 -> Cudnn.DataType.BFLOAT16;
            case FLOAT64 -> Cudnn.DataType.DOUBLE;
            default -> null;
        };
        if (type == null) return Choice.no("dtype " + t.mlxName());
        for (int[] dims : new int[][] {xdims, wdims, odims}) {
            long size = 1;
            for (int v : dims) {
                if (v == 0) return Choice.no("an empty axis");
                size *= v;
            }
            if (size > Integer.MAX_VALUE) return Choice.no("a tensor of " + size + " elements (cuDNN's legacy API counts in int)");
        }
        long n = xdims[0], cin = xdims[d + 1], cout = wdims[0];
        int groups = p.groups();
        int mathType = switch (type) {
            case FLOAT -> allowTf32 ? Cudnn.DEFAULT_MATH : Cudnn.FMA_MATH;
            case HALF, BFLOAT16 -> Cudnn.TENSOR_OP_MATH;
            case DOUBLE -> Cudnn.DEFAULT_MATH;
        };
        Choice filter = asFilterGradient(p, type, xdims, xStrides, wdims, wStrides, odims, mathType);
        if (filter != null) return filter;
        int[] pad = new int[d], stride = new int[d], dilation = new int[d], k = new int[d];
        boolean transposed = false;
        for (int i = 0; i < d; i++) transposed |= p.inputDilation()[i] != 1;
        // extent: cuDNN's size of our output along each axis; larger than ours means a temporary and a slice
        int[] extent = new int[d];
        for (int i = 0; i < d; i++) {
            k[i] = wdims[i + 1];
            int kSpan = p.dilatedKernel(i, k[i]);
            dilation[i] = p.kernelDilation()[i];
            int in = xdims[i + 1], out = odims[i + 1];
            if (!transposed) {
                int lo = p.paddingLo()[i];
                if (lo < 0) return Choice.no("negative padding " + lo + " on axis " + i);
                // cuDNN pads lo on both sides; the values depend only on lo, the count on both pads
                long count = Math.floorDiv((long) in + 2L * lo - kSpan, p.stride()[i]) + 1;
                if (count < out) {
                    return Choice.no("padding (" + lo + ", " + p.paddingHi()[i] + ") on axis " + i + " is not symmetric within a stride");
                }
                pad[i] = lo;
                stride[i] = p.stride()[i];
                extent[i] = (int) count;
            } else {
                if (p.stride()[i] != 1) return Choice.no("input dilation with stride " + p.stride()[i] + " on axis " + i);
                long pp = kSpan - 1L - p.paddingLo()[i];
                int s = p.inputDilation()[i];
                if (pp < 0 || pp > Integer.MAX_VALUE / 4) return Choice.no("padding " + p.paddingLo()[i] + " beyond the kernel on axis " + i);
                // cuDNN wants dx (our output) sized so that its forward convolution has dy's (our input's) size:
                // extents [(in-1)*s + kSpan - 2pp, that + s - 1]; dx values do not depend on the extent
                long least = (long) (in - 1) * s + kSpan - 2 * pp;
                if (out > least + s - 1) {
                    return Choice.no("padding (" + p.paddingLo()[i] + ", " + p.paddingHi()[i] + ") on axis " + i + " does not invert a stride of " + s);
                }
                pad[i] = (int) pp;
                stride[i] = s;
                extent[i] = (int) Math.max(out, least);
            }
        }
        int[] xSpatial = java.util.Arrays.copyOfRange(xdims, 1, d + 1);
        int[] oDims = odims.clone();
        System.arraycopy(extent, 0, oDims, 1, d);
        long oSize = 1;
        for (int v : oDims) oSize *= v;
        if (oSize > Integer.MAX_VALUE) return Choice.no("a tensor of " + oSize + " elements (cuDNN's legacy API counts in int)");
        boolean sliced = !java.util.Arrays.equals(oDims, odims);
        if (!transposed) {
            // y = conv(x, w): cuDNN's x is our input, y our output, filter (C_out, C_in/groups, k...)
            return lifted(Cudnn.Direction.FORWARD, type, n, cin, xSpatial, cout, wdims[d + 1], k, cout, extent,
                    pad, stride, dilation, groups, p.flip(), mathType, odims, sliced ? oDims : null);
        }
        // dx = conv^T(dy): cuDNN's dy is our input (K = C_in channels), dx our output (C = C_out),
        // filter (C_in, C_out/groups, k...); its convolution mode flips exactly when ours does not
        return lifted(Cudnn.Direction.BACKWARD_DATA, type, n, cout, extent, cin, cout / groups, k, cin, xSpatial,
                pad, stride, dilation, groups, !p.flip(), mathType, odims, sliced ? oDims : null);
    }

    /**
     * The spec in cuDNN's (N, C, spatial...) order with channels-last strides, 1-d lifted to 2-d:
     * x {@code (n, xc, xs...)}, filter {@code (wk, wc, k...)}, y {@code (n, yc, ys...)}.
     */
    private static Choice lifted(Cudnn.Direction dir, Cudnn.DataType type, long n, long xc, int[] xs, long wk, long wc, int[] k,
                                 long yc, int[] ys, int[] pad, int[] stride, int[] dilation, int groups, boolean flip, int mathType,
                                 int[] odims, int[] tempDims) {
        boolean lift = xs.length == 1;
        if (lift) {
            xs = new int[] {1, xs[0]};
            ys = new int[] {1, ys[0]};
            k = new int[] {1, k[0]};
            pad = new int[] {0, pad[0]};
            stride = new int[] {1, stride[0]};
            dilation = new int[] {1, dilation[0]};
        }
        int[] xDims = nchw(n, xc, xs), yDims = nchw(n, yc, ys), wDims = nchw(wk, wc, k);
        Cudnn.ConvSpec spec = new Cudnn.ConvSpec(type, xDims, channelsLastStrides(xDims), wDims, yDims, channelsLastStrides(yDims),
                pad, stride, dilation, groups, flip, mathType);
        if (tempDims == null) return new Choice(dir, spec, 0, null, null);
        long temp = 1;
        for (int v : tempDims) temp *= v;
        return new Choice(dir, spec, temp, slice(odims, tempDims), null);
    }

    /**
     * A one-group cross-correlation whose kernel is spatially larger than its output (the weight
     * gradient {@link Convolution}'s vjp builds: input the batch-transposed input, kernel the
     * batch-transposed cotangent) as {@code cudnnConvolutionBackwardFilter}: with our batch and
     * channel axes swapped, our input is cuDNN's x, our kernel its dy, and our output (transposed)
     * its dw; our kernel dilation is its stride and our stride its dilation. The views are read in
     * place (for the weight gradient they are the dense input and cotangent); cuDNN writes the packed
     * filter {@code (C_out, out..., N)}, which is copied out transposed. Null when this form does not apply.
     */
    private static Choice asFilterGradient(Convolution p, Cudnn.DataType type, int[] xdims, long[] xStrides, int[] wdims, long[] wStrides,
                                           int[] odims, int mathType) {
        int d = p.spatialDims();
        if (p.groups() != 1 || p.flip()) return null;
        long kvol = 1, ovol = 1;
        for (int i = 0; i < d; i++) {
            if (p.inputDilation()[i] != 1 || p.paddingLo()[i] < 0) return null;
            kvol *= wdims[i + 1];
            ovol *= odims[i + 1];
        }
        if (kvol <= ovol) return null; // an ordinary convolution: the forward call suits it
        for (int i = 0; i < d; i++) {
            // cuDNN's forward relation: x (our input) with filter extent `out` gives dy of extent k (our kernel)
            long span = (long) (odims[i + 1] - 1) * p.stride()[i] + 1;
            if (Math.floorDiv(xdims[i + 1] + 2L * p.paddingLo()[i] - span, p.kernelDilation()[i]) + 1 != wdims[i + 1]) return null;
        }
        for (long[] st : new long[][] {xStrides, wStrides}) {
            for (long v : st) if (v < 0 || v > Integer.MAX_VALUE) return null;
        }
        boolean lift = d == 1;
        int m = lift ? 2 : d, off = lift ? 1 : 0;
        int[] xDims = new int[m + 2], xSt = new int[m + 2], yDims = new int[m + 2], ySt = new int[m + 2], wDims = new int[m + 2];
        int[] pad = new int[m], stride = new int[m], dilation = new int[m];
        // cuDNN x = our input with batch and channels swapped: (N = C_in, C = N, spatial)
        xDims[0] = xdims[d + 1];
        xSt[0] = (int) xStrides[d + 1];
        xDims[1] = xdims[0];
        xSt[1] = (int) xStrides[0];
        // cuDNN dy = our kernel likewise: (N = C_in, K = C_out, k...)
        yDims[0] = wdims[d + 1];
        ySt[0] = (int) wStrides[d + 1];
        yDims[1] = wdims[0];
        ySt[1] = (int) wStrides[0];
        // cuDNN dw: (K = C_out, C = N, out...), packed channels-last
        wDims[0] = wdims[0];
        wDims[1] = xdims[0];
        if (lift) {
            xDims[2] = yDims[2] = wDims[2] = 1;
            xSt[2] = xSt[1];
            ySt[2] = ySt[1];
            stride[0] = dilation[0] = 1;
        }
        for (int i = 0; i < d; i++) {
            xDims[off + i + 2] = xdims[i + 1];
            xSt[off + i + 2] = (int) xStrides[i + 1];
            yDims[off + i + 2] = wdims[i + 1];
            ySt[off + i + 2] = (int) wStrides[i + 1];
            wDims[off + i + 2] = odims[i + 1];
            pad[off + i] = p.paddingLo()[i];
            stride[off + i] = p.kernelDilation()[i];
            dilation[off + i] = p.stride()[i];
        }
        Cudnn.ConvSpec spec = new Cudnn.ConvSpec(type, xDims, xSt, wDims, yDims, ySt, pad, stride, dilation, 1, false, mathType);
        // our output (N, out..., C_out) read from the packed (C_out, out..., N)
        long[] shape = new long[d + 2], strides = new long[d + 2];
        long step = xdims[0];
        strides[0] = 1;
        for (int i = d; i >= 1; i--) {
            strides[i] = step;
            step *= odims[i];
        }
        strides[d + 1] = step;
        for (int i = 0; i < d + 2; i++) shape[i] = odims[i];
        return new Choice(Cudnn.Direction.BACKWARD_FILTER, spec, step * odims[d + 1], Layout.simplify(shape, strides), null);
    }

    private static int[] nchw(long n, long c, int[] spatial) {
        int[] r = new int[spatial.length + 2];
        r[0] = (int) n;
        r[1] = (int) c;
        System.arraycopy(spatial, 0, r, 2, spatial.length);
        return r;
    }

    /** Element strides of a dense (N, spatial..., C) array, in cuDNN's (N, C, spatial...) order. */
    static int[] channelsLastStrides(int[] nchw) {
        int nd = nchw.length;
        int[] s = new int[nd];
        long step = nchw[1];
        s[1] = 1;
        for (int i = nd - 1; i >= 2; i--) {
            s[i] = (int) step;
            step *= nchw[i];
        }
        s[0] = (int) step;
        return s;
    }

    /**
     * The backward-data filter read out of our weight {@code w'} {@code (C_out, k..., C_in/groups)}
     * (strides {@code wStrides}): filter {@code F[g*Cig + a, j, b] = w'[g*Cog + b, j, a]}, as a layout
     * of shape {@code (groups, Cig, k..., Cog)} over w' (Cig = C_in/groups, Cog = C_out/groups). For
     * the input gradient of a one-group convolution w' is the swapped view of the original weight,
     * and this layout is that weight, dense.
     */
    static Layout groupTransposed(int[] wdims, long[] wStrides, int groups) {
        int nd = wdims.length, d = nd - 2;
        long cog = wdims[0] / groups, cig = wdims[nd - 1];
        long[] shape = new long[nd + 1], strides = new long[nd + 1];
        shape[0] = groups;
        strides[0] = cog * wStrides[0];
        shape[1] = cig;
        strides[1] = wStrides[nd - 1];
        for (int i = 0; i < d; i++) {
            shape[i + 2] = wdims[i + 1];
            strides[i + 2] = wStrides[i + 1];
        }
        shape[nd] = cog;
        strides[nd] = wStrides[0];
        return Layout.simplify(shape, strides);
    }

    /** Our output, {@code odims}, as the leading block of a dense temporary of dims {@code tempDims}. */
    static Layout slice(int[] odims, int[] tempDims) {
        return Layout.of(new org.mlx4j.core.Shape(odims), new org.mlx4j.core.Shape(tempDims).strides());
    }

    /** True when a simplified layout is dense row-major (one run of stride 1, or a single element). */
    static boolean dense(Layout l) {
        return l.shape().length == 0 || (l.shape().length == 1 && l.strides()[0] == 1);
    }

    /** cuDNN 9's BAD_PARAM and NOT_SUPPORTED status families: the call was refused, not failed. */
    static boolean refusal(int status) { return status >= 2000 && status < 4000; }

    /** Remembers a spec cuDNN refused (at planning or at the call), so it goes to im2col from now on. */
    private static void decline(Cudnn.ConvSpec spec, String why, boolean atCall) {
        if (DECLINED.size() >= DECLINED_BOUND) DECLINED.clear();
        DECLINED.add(spec);
        if (atCall) LOG.warn("[Convolution] cuDNN refused the call, using im2col for this shape from now on: {}", why);
        else LOG.debug("[Convolution] cuDNN declined, using im2col: {}", why);
    }

    /** This runtime's cuDNN handle on its stream, or null where cuDNN cannot be loaded. */
    private static Dnn dnn(CudaRuntime rt) {
        return HANDLES.computeIfAbsent(rt, r -> {
            try {
                r.makeCurrent();
                Cudnn lib = CudaLibraries.cudnn();
                long h = lib.createHandle();
                lib.setStream(h, r.streamHandle());
                LOG.info("cuDNN {} computes convolutions on {}", lib.versionString(), r);
                return Optional.of(new Dnn(lib, h));
            } catch (RuntimeException e) {
                LOG.info("cuDNN is not available ({}); convolutions use im2col and GEMM", e.getMessage());
                return Optional.empty();
            }
        }).orElse(null);
    }

    /**
     * Queues the convolution {@code node} through cuDNN into {@code out} (dense, sized for the
     * node), or returns false, having queued nothing, when cuDNN is off, absent or declines.
     */
    static boolean run(Array node, CudaRuntime rt, CudaBuffer out) {
        if (!enabled()) return false;
        Convolution p = (Convolution) node.primitive();
        Array x = node.input(0), w = node.input(1);
        int[] xdims = x.shape().dims(), wdims = w.shape().dims();
        Choice c = choose(p, node.dtype(), xdims, x.data().strides(), wdims, w.data().strides(), node.shape().dims(), CudaMatmul.allowTf32());
        if (!c.usable()) {
            LOG.debug("[Convolution] im2col, not cuDNN: {} ({})", c.whyNot(), p);
            return false;
        }
        if (DECLINED.contains(c.spec())) return false;
        Dnn dnn = dnn(rt);
        if (dnn == null) return false;
        Cudnn.ConvPlan plan;
        try {
            plan = dnn.lib().plan(dnn.handle(), c.dir(), c.spec(), MAX_WORKSPACE);
        } catch (Cudnn.Refused r) {
            decline(c.spec(), r.getMessage(), false);
            return false;
        }
        CudaBuffer xDense = null, wDense = null, workspace = null, temp = null;
        try {
            Ptr xp, wp;
            if (c.dir() == Cudnn.Direction.BACKWARD_FILTER || x.data().rowContiguous()) {
                xp = CudaRuntime.ptr(x);
            } else {
                xDense = CudaElementwise.dense(rt, x);
                xp = xDense.ptr();
            }
            if (c.dir() == Cudnn.Direction.BACKWARD_FILTER || (c.dir() == Cudnn.Direction.FORWARD && w.data().rowContiguous())) {
                wp = CudaRuntime.ptr(w);
            } else if (c.dir() == Cudnn.Direction.FORWARD) {
                wDense = CudaElementwise.dense(rt, w);
                wp = wDense.ptr();
            } else {
                Layout f = groupTransposed(wdims, w.data().strides(), p.groups());
                if (dense(f)) {
                    wp = CudaRuntime.ptr(w);
                } else {
                    wDense = rt.allocate(w.nbytes());
                    CudaIndexing.stridedCopy(rt, wDense, CudaRuntime.ptr(w), w.size(), w.dtype().size(), f);
                    wp = wDense.ptr();
                }
            }
            long ws = plan.workspaceBytes();
            if (ws > 0) workspace = rt.allocate(ws);
            long wsp = workspace == null ? 0 : workspace.address();
            int es = node.dtype().size();
            if (c.temp() > 0) temp = rt.allocate(c.temp() * es);
            try {
                plan.run(xp.address(), wp.address(), (temp == null ? out : temp).address(), wsp);
            } catch (CudaException e) {
                // a parameter or support refusal at the call itself queues nothing: im2col computes it instead
                if (!refusal(e.code())) throw e;
                decline(c.spec(), e.getMessage(), true);
                return false;
            }
            count("cudnn " + c.dir());
            if (temp == null) return true;
            CudaIndexing.stridedCopy(rt, out, temp.ptr(), node.size(), es, c.copyOut());
            return true;
        } finally {
            // the stream orders the queued convolution before any reuse of these blocks
            if (xDense != null) xDense.release();
            if (wDense != null) wDense.release();
            if (workspace != null) workspace.release();
            if (temp != null) temp.release();
        }
    }
}
