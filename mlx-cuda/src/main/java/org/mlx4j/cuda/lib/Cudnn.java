package org.mlx4j.cuda.lib;

import static org.mlx4j.cuda.lib.NativeLib.ADDR;
import static org.mlx4j.cuda.lib.NativeLib.INT;
import static org.mlx4j.cuda.lib.NativeLib.SIZE_T;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.mlx4j.cuda.CudaException;

/**
 * cuDNN 9 ({@code libcudnn.so.9}) through {@code java.lang.foreign}: the handle and its stream, and the
 * legacy convolution API ({@link #plan}). The signatures are those of {@code cudnn_graph.h} (cuDNN 9):
 * {@code size_t cudnnGetVersion(void)}, {@code cudnnStatus_t cudnnCreate(cudnnHandle_t*)},
 * {@code cudnnDestroy(cudnnHandle_t)}, {@code cudnnSetStream(cudnnHandle_t, cudaStream_t)},
 * {@code const char* cudnnGetErrorString(cudnnStatus_t)}, the tensor and filter descriptors
 * ({@code cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t*)}, {@code cudnnSetTensorNdDescriptor(desc,
 * cudnnDataType_t, int nbDims, const int dimA[], const int strideA[])}, {@code cudnnCreateFilterDescriptor},
 * {@code cudnnSetFilterNdDescriptor(desc, cudnnDataType_t, cudnnTensorFormat_t, int nbDims, const int
 * filterDimA[])} and their destroyers), and of {@code cudnn_cnn.h}: {@code cudnnSetConvolutionNdDescriptor(desc,
 * int arrayLength, const int padA[], const int filterStrideA[], const int dilationA[], cudnnConvolutionMode_t,
 * cudnnDataType_t computeType)}, {@code cudnnSetConvolutionGroupCount(desc, int)},
 * {@code cudnnSetConvolutionMathType(desc, cudnnMathType_t)}, {@code cudnnGetConvolutionForwardAlgorithm_v7} /
 * {@code cudnnGetConvolutionBackwardDataAlgorithm_v7} / {@code cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle,
 * ..., int requested, int* returned, perf*)}, {@code cudnnConvolutionForward}, {@code cudnnConvolutionBackwardData}
 * and {@code cudnnConvolutionBackwardFilter}.
 *
 * <p>Constants: {@code cudnnStatus_t} SUCCESS = 0 and, since cuDNN 9, categories of a thousand:
 * NOT_INITIALIZED 1001.., BAD_PARAM 2000.., NOT_SUPPORTED 3000.., INTERNAL_ERROR 4000.., EXECUTION_FAILED
 * 5000..; {@code cudnnTensorFormat_t} NCHW = 0, NHWC = 1; {@code cudnnConvolutionMode_t} CONVOLUTION = 0,
 * CROSS_CORRELATION = 1; {@code cudnnConvolutionFwdAlgoPerf_t}, {@code cudnnConvolutionBwdDataAlgoPerf_t} and
 * {@code cudnnConvolutionBwdFilterAlgoPerf_t} are {algo @0, status @4, float time @8, size_t memory @16, determinism @24, mathType @28, int reserved[3]
 * @32}, 48 bytes. Handles and device pointers are raw addresses ({@code long}).
 */
public final class Cudnn implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Cudnn.class);

    // cudnn_graph.h: cudnnTensorFormat_t
    static final int CUDNN_TENSOR_NCHW = 0, CUDNN_TENSOR_NHWC = 1;
    // cudnn_cnn.h: cudnnConvolutionMode_t
    static final int CUDNN_CONVOLUTION = 0, CUDNN_CROSS_CORRELATION = 1;
    // cudnn_graph.h: the BAD_PARAM and NOT_SUPPORTED categories (CUDNN_STATUS_CATEGORY(s) = s / 1000 * 1000)
    static final int STATUS_BAD_PARAM = 2000, STATUS_NOT_SUPPORTED = 3000, STATUS_INTERNAL_ERROR = 4000;
    // cudnn_cnn.h: the perf structs (all three directions share the layout)
    static final long PERF_BYTES = 48, PERF_STATUS = 4, PERF_MEMORY = 16, PERF_MATH = 28;
    /** How many ranked algorithms to ask the heuristic for; the first usable one is taken. */
    static final int ALGO_REQUEST = 8;

    // alpha = 1 and beta = 0, read by cuDNN on the host during the call: float for float, half and
    // bfloat16 data, double for double data. Global, so they outlive every call.
    private static final MemorySegment ONE_F = Arena.global().allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
    private static final MemorySegment ZERO_F = Arena.global().allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
    private static final MemorySegment ONE_D = Arena.global().allocateFrom(ValueLayout.JAVA_DOUBLE, 1d);
    private static final MemorySegment ZERO_D = Arena.global().allocateFrom(ValueLayout.JAVA_DOUBLE, 0d);

    private final NativeLib lib;
    private final NativeLib.Fn getVersion, create, destroy, setStream, getErrorString;
    private final NativeLib.Fn tensorCreate, tensorSet, tensorDestroy, filterCreate, filterSet, filterDestroy;
    private final NativeLib.Fn convCreate, convSet, convGroups, convMath, convDestroy;
    private final NativeLib.Fn forwardAlgo, backwardDataAlgo, backwardFilterAlgo, forward, backwardData, backwardFilter;
    private final LinkedHashMap<PlanKey, Plan> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<PlanKey, Plan> eldest) {
            if (size() <= PLAN_CACHE) return false;
            eldest.getValue().destroy();
            return true;
        }
    };
    private int planMisses;

    private Cudnn(NativeLib lib) {
        this.lib = lib;
        FunctionDescriptor oneAddr = FunctionDescriptor.of(INT, ADDR);
        getVersion = lib.fn("cudnnGetVersion", FunctionDescriptor.of(SIZE_T));
        create = lib.fn("cudnnCreate", oneAddr);
        destroy = lib.fn("cudnnDestroy", oneAddr);
        setStream = lib.fn("cudnnSetStream", FunctionDescriptor.of(INT, ADDR, ADDR));
        getErrorString = lib.fn("cudnnGetErrorString", FunctionDescriptor.of(ADDR, INT));
        tensorCreate = lib.fn("cudnnCreateTensorDescriptor", oneAddr);
        // (desc, cudnnDataType_t, int nbDims, const int dimA[], const int strideA[])
        tensorSet = lib.fn("cudnnSetTensorNdDescriptor", FunctionDescriptor.of(INT, ADDR, INT, INT, ADDR, ADDR));
        tensorDestroy = lib.fn("cudnnDestroyTensorDescriptor", oneAddr);
        filterCreate = lib.fn("cudnnCreateFilterDescriptor", oneAddr);
        // (desc, cudnnDataType_t, cudnnTensorFormat_t, int nbDims, const int filterDimA[])
        filterSet = lib.fn("cudnnSetFilterNdDescriptor", FunctionDescriptor.of(INT, ADDR, INT, INT, INT, ADDR));
        filterDestroy = lib.fn("cudnnDestroyFilterDescriptor", oneAddr);
        convCreate = lib.fn("cudnnCreateConvolutionDescriptor", oneAddr);
        // (desc, int arrayLength, const int padA[], const int filterStrideA[], const int dilationA[],
        //  cudnnConvolutionMode_t, cudnnDataType_t computeType)
        convSet = lib.fn("cudnnSetConvolutionNdDescriptor", FunctionDescriptor.of(INT, ADDR, INT, ADDR, ADDR, ADDR, INT, INT));
        convGroups = lib.fn("cudnnSetConvolutionGroupCount", FunctionDescriptor.of(INT, ADDR, INT));
        convMath = lib.fn("cudnnSetConvolutionMathType", FunctionDescriptor.of(INT, ADDR, INT));
        convDestroy = lib.fn("cudnnDestroyConvolutionDescriptor", oneAddr);
        // (handle, xDesc, wDesc, convDesc, yDesc, int requested, int* returned, cudnnConvolutionFwdAlgoPerf_t*)
        forwardAlgo = lib.fn("cudnnGetConvolutionForwardAlgorithm_v7",
                FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, INT, ADDR, ADDR));
        // (handle, wDesc, dyDesc, convDesc, dxDesc, int requested, int* returned, cudnnConvolutionBwdDataAlgoPerf_t*)
        backwardDataAlgo = lib.fn("cudnnGetConvolutionBackwardDataAlgorithm_v7",
                FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, INT, ADDR, ADDR));
        // (handle, xDesc, dyDesc, convDesc, dwDesc, int requested, int* returned, cudnnConvolutionBwdFilterAlgoPerf_t*)
        backwardFilterAlgo = lib.fn("cudnnGetConvolutionBackwardFilterAlgorithm_v7",
                FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, INT, ADDR, ADDR));
        // (handle, alpha, xDesc, x, dyDesc, dy, convDesc, algo, workSpace, size_t, beta, dwDesc, dw)
        backwardFilter = lib.fn("cudnnConvolutionBackwardFilter",
                FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, INT, ADDR, SIZE_T, ADDR, ADDR, ADDR));
        // (handle, alpha, xDesc, x, wDesc, w, convDesc, algo, workSpace, size_t, beta, yDesc, y)
        forward = lib.fn("cudnnConvolutionForward",
                FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, INT, ADDR, SIZE_T, ADDR, ADDR, ADDR));
        // (handle, alpha, wDesc, w, dyDesc, dy, convDesc, algo, workSpace, size_t, beta, dxDesc, dx)
        backwardData = lib.fn("cudnnConvolutionBackwardData",
                FunctionDescriptor.of(INT, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, ADDR, INT, ADDR, SIZE_T, ADDR, ADDR, ADDR));
    }

    /**
     * Finds and loads cuDNN.
     *
     * @throws IllegalStateException naming what was searched, or why the library could not be loaded
     */
    public static Cudnn load(LibrarySearch search) {
        return new Cudnn(NativeLib.open(search, CudaLibrary.CUDNN));
    }

    /** The loaded file. */
    public String path() { return lib.where(); }

    /** {@code cudnnGetVersion()}: {@code major * 10000 + minor * 100 + patch} for cuDNN 9, e.g. 90100. */
    public long version() {
        try {
            return (long) getVersion.handle().invokeExact();
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** The version as text, e.g. {@code 9.1.0}. */
    public String versionString() {
        long v = version();
        return (v / 10000) + "." + (v % 10000 / 100) + "." + (v % 100);
    }

    /**
     * A new handle (it binds to the device current on the calling thread).
     *
     * @throws CudaException when cuDNN refuses (e.g. no device: {@code CUDNN_STATUS_NOT_INITIALIZED})
     */
    public long createHandle() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDR);
            check((int) create.handle().invokeExact(out), "cudnnCreate");
            return out.get(ADDR, 0).address();
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** Destroys a handle from {@link #createHandle()}, and the cached plans made with it. */
    public void destroyHandle(long handle) {
        synchronized (this) {
            plans.entrySet().removeIf(e -> {
                if (e.getKey().handle() != handle) return false;
                e.getValue().destroy();
                return true;
            });
        }
        try {
            check((int) destroy.handle().invokeExact(MemorySegment.ofAddress(handle)), "cudnnDestroy");
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** Makes the handle queue its work on {@code stream} (a raw {@code CUstream}; 0 = the legacy default stream). */
    public void setStream(long handle, long stream) {
        try {
            check((int) setStream.handle().invokeExact(MemorySegment.ofAddress(handle), MemorySegment.ofAddress(stream)), "cudnnSetStream");
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** cuDNN's text for a status, e.g. {@code CUDNN_STATUS_BAD_PARAM}. */
    public String errorString(int status) {
        try {
            String s = NativeLib.cString((MemorySegment) getErrorString.handle().invokeExact(status));
            return s != null ? s : "cudnnStatus " + status;
        } catch (Throwable t) {
            return "cudnnStatus " + status;
        }
    }

    /** Throws a {@link CudaException} with cuDNN's name for {@code status} unless it is success. */
    public void check(int status, String call) {
        if (status != 0) throw new CudaException(status, errorString(status), call);
    }

    // ---------------------------------------------------------------- convolutions (cudnn_cnn.h, legacy API)

    /** cuDNN's element types ({@code cudnnDataType_t}) for the convolutions the backend runs. */
    public enum DataType {
        /** {@code CUDNN_DATA_FLOAT}. */
        FLOAT(0, 4),
        /** {@code CUDNN_DATA_DOUBLE}: alpha and beta are doubles. */
        DOUBLE(1, 8),
        /** {@code CUDNN_DATA_HALF}. */
        HALF(2, 2),
        /** {@code CUDNN_DATA_BFLOAT16}. */
        BFLOAT16(9, 2);

        /** The enum's value in {@code cudnn_graph.h}. */
        public final int code;
        /** Bytes per element. */
        public final int bytes;

        DataType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }
    }

    /** {@code cudnnMathType_t}: cuDNN picks (TF32 allowed for float data on Ampere and later). */
    public static final int DEFAULT_MATH = 0;
    /** {@code cudnnMathType_t}: tensor cores (float16/bfloat16 data). */
    public static final int TENSOR_OP_MATH = 1;
    /** {@code cudnnMathType_t}: plain FMA, no tensor cores: float32 stays float32 (no TF32). */
    public static final int FMA_MATH = 3;

    /** Which cuDNN call a {@link ConvPlan} makes. */
    public enum Direction {
        /** {@code cudnnConvolutionForward}: y = conv(x, w). */
        FORWARD,
        /** {@code cudnnConvolutionBackwardData}: dx = the transpose of the forward conv applied to dy. */
        BACKWARD_DATA,
        /** {@code cudnnConvolutionBackwardFilter}: dw = the forward conv's gradient in its filter, from x and dy. */
        BACKWARD_FILTER
    }

    /**
     * One convolution as cuDNN describes it, always in the forward sense (for {@link
     * Direction#BACKWARD_DATA} x is the gradient written and y the gradient read; for {@link
     * Direction#BACKWARD_FILTER} the filter is written from x and y). Dims are in cuDNN's
     * logical order, 4 or 5 of them: x {@code (N, C, spatial...)} and y {@code (N, K, spatial...)}
     * with element strides (any layout; channels-last is {@code C} stride 1); the filter
     * {@code (K, C/groups, spatial...)} lies packed channels-last ({@code CUDNN_TENSOR_NHWC}:
     * {@code (K, spatial..., C/groups)} row-major, the layout of mlx4j's weights).
     *
     * @param type     element type of x, w and y (arithmetic in float32 for HALF and BFLOAT16)
     * @param xDims    x dims (N, C, spatial...)
     * @param xStrides x element strides, same order
     * @param wDims    filter dims (K, C/groups, spatial...)
     * @param yDims    y dims (N, K, spatial...)
     * @param yStrides y element strides
     * @param pad      zero padding per spatial axis, the same on both sides
     * @param stride   step per spatial axis
     * @param dilation kernel dilation per spatial axis
     * @param groups   channel groups ({@code cudnnSetConvolutionGroupCount})
     * @param flip     {@code CUDNN_CONVOLUTION} (kernel flipped) rather than {@code CUDNN_CROSS_CORRELATION}
     * @param mathType {@link #DEFAULT_MATH}, {@link #TENSOR_OP_MATH} or {@link #FMA_MATH}
     */
    public record ConvSpec(DataType type, int[] xDims, int[] xStrides, int[] wDims, int[] yDims, int[] yStrides,
                           int[] pad, int[] stride, int[] dilation, int groups, boolean flip, int mathType) {
        /** Copies the arrays and checks that the ranks agree. */
        public ConvSpec {
            xDims = xDims.clone();
            xStrides = xStrides.clone();
            wDims = wDims.clone();
            yDims = yDims.clone();
            yStrides = yStrides.clone();
            pad = pad.clone();
            stride = stride.clone();
            dilation = dilation.clone();
            int nd = xDims.length;
            if (nd < 4 || nd > 5 || xStrides.length != nd || wDims.length != nd || yDims.length != nd || yStrides.length != nd
                    || pad.length != nd - 2 || stride.length != nd - 2 || dilation.length != nd - 2) {
                throw new IllegalArgumentException("[cudnn conv] 4 or 5 dims with matching strides and nd-2 pads, strides, dilations; got x "
                        + java.util.Arrays.toString(xDims) + ", w " + java.util.Arrays.toString(wDims) + ", y " + java.util.Arrays.toString(yDims)
                        + ", pad " + java.util.Arrays.toString(pad));
            }
        }

        @Override public boolean equals(Object o) {
            return o instanceof ConvSpec c && type == c.type && groups == c.groups && flip == c.flip && mathType == c.mathType
                    && java.util.Arrays.equals(xDims, c.xDims) && java.util.Arrays.equals(xStrides, c.xStrides)
                    && java.util.Arrays.equals(wDims, c.wDims) && java.util.Arrays.equals(yDims, c.yDims)
                    && java.util.Arrays.equals(yStrides, c.yStrides) && java.util.Arrays.equals(pad, c.pad)
                    && java.util.Arrays.equals(stride, c.stride) && java.util.Arrays.equals(dilation, c.dilation);
        }

        @Override public int hashCode() {
            int h = java.util.Objects.hash(type, groups, flip, mathType);
            for (int[] a : new int[][] {xDims, xStrides, wDims, yDims, yStrides, pad, stride, dilation}) h = h * 31 + java.util.Arrays.hashCode(a);
            return h;
        }

        @Override public String toString() {
            return "ConvSpec[" + type + " x=" + java.util.Arrays.toString(xDims) + "/" + java.util.Arrays.toString(xStrides)
                    + " w=" + java.util.Arrays.toString(wDims) + " y=" + java.util.Arrays.toString(yDims) + "/" + java.util.Arrays.toString(yStrides)
                    + " pad=" + java.util.Arrays.toString(pad) + " stride=" + java.util.Arrays.toString(stride)
                    + " dilation=" + java.util.Arrays.toString(dilation) + " groups=" + groups + (flip ? " convolution" : " cross-correlation")
                    + " math=" + mathType + "]";
        }
    }

    /**
     * cuDNN declined a convolution it cannot express or has no algorithm for (a status of the
     * {@code BAD_PARAM} or {@code NOT_SUPPORTED} families, or no algorithm within the workspace cap):
     * the caller computes it another way.
     */
    public static final class Refused extends RuntimeException {
        /** @param message the call, the status and the spec */
        public Refused(String message) { super(message); }
    }

    /**
     * A prepared convolution: its descriptors on one handle and the algorithm chosen for it. Plans
     * are cached by {@link #plan} and destroyed when evicted from the cache or on {@link Cudnn#close()};
     * callers do not close them.
     */
    public interface ConvPlan {
        /** The call this plan makes. */
        Direction direction();

        /** The chosen algorithm ({@code cudnnConvolutionFwdAlgo_t}, {@code ...BwdDataAlgo_t} or {@code ...BwdFilterAlgo_t}). */
        int algorithm();

        /** Workspace the algorithm needs, in bytes (may be 0). */
        long workspaceBytes();

        /**
         * Queues the convolution on the handle's stream, with alpha 1 and beta 0 (the output is overwritten).
         *
         * @param in        forward and backward filter: x; backward data: dy (y-shaped)
         * @param w         forward and backward data: the filter; backward filter: dy (y-shaped)
         * @param out       forward: y; backward data: dx (x-shaped); backward filter: dw (packed NHWC)
         * @param workspace device memory of at least {@link #workspaceBytes()} bytes (0 when none is needed)
         * @throws CudaException naming the call and cuDNN's status
         * @throws IllegalArgumentException when the algorithm needs workspace and {@code workspace} is 0
         * @throws IllegalStateException when the plan was evicted from the cache or closed since {@link #plan} returned it
         */
        void run(long in, long w, long out, long workspace);
    }

    /**
     * The plan for {@code spec} on {@code handle} in direction {@code dir}: cached (an LRU of
     * {@value #PLAN_CACHE}); on a miss the descriptors are made and the algorithm is the first of
     * cuDNN's heuristic ranking ({@code cudnnGet...Algorithm_v7}) whose status is success and whose
     * workspace is at most {@code maxWorkspace} bytes.
     *
     * @throws Refused    when cuDNN declines the spec (see {@link Refused})
     * @throws CudaException on any other cuDNN failure
     */
    public synchronized ConvPlan plan(long handle, Direction dir, ConvSpec spec, long maxWorkspace) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(spec, "spec");
        if (maxWorkspace < 0) throw new IllegalArgumentException("[cudnn conv] maxWorkspace " + maxWorkspace + " < 0");
        PlanKey key = new PlanKey(handle, dir, spec, maxWorkspace);
        Plan p = plans.get(key);
        if (p == null) {
            p = newPlan(key);
            plans.put(key, p);
            planMisses++;
        }
        return p;
    }

    /** How many plans stay cached. */
    public static final int PLAN_CACHE = 64;

    /** How many plans were made (cache misses, refusals not counted) so far; for tests and diagnostics. */
    public synchronized int planMisses() { return planMisses; }

    /** How many plans are cached now. */
    public synchronized int cachedPlans() { return plans.size(); }

    /** Destroys every cached plan's descriptors (handles stay; destroy them with {@link #destroyHandle}). */
    @Override public synchronized void close() {
        for (Plan p : plans.values()) p.destroy();
        plans.clear();
    }

    /** Makes the descriptors for {@code key} and asks the heuristic for an algorithm; nothing survives a failure. */
    private Plan newPlan(PlanKey key) {
        ConvSpec spec = key.spec();
        DataType type = spec.type();
        int nd = spec.xDims().length;
        Plan p = new Plan(key);
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment out = tmp.allocate(ADDR);
            // each descriptor is stored in the plan as soon as it exists, so p.destroy() below frees it
            setup((int) tensorCreate.handle().invokeExact(out), "cudnnCreateTensorDescriptor", spec);
            p.x = out.get(ADDR, 0);
            setup((int) tensorSet.handle().invokeExact(p.x, type.code, nd, ints(tmp, spec.xDims()), ints(tmp, spec.xStrides())),
                    "cudnnSetTensorNdDescriptor(x)", spec);
            setup((int) tensorCreate.handle().invokeExact(out), "cudnnCreateTensorDescriptor", spec);
            p.y = out.get(ADDR, 0);
            setup((int) tensorSet.handle().invokeExact(p.y, type.code, nd, ints(tmp, spec.yDims()), ints(tmp, spec.yStrides())),
                    "cudnnSetTensorNdDescriptor(y)", spec);
            setup((int) filterCreate.handle().invokeExact(out), "cudnnCreateFilterDescriptor", spec);
            p.w = out.get(ADDR, 0);
            // the dims stay in logical (K, C/groups, spatial...) order; NHWC says how they lie in memory
            setup((int) filterSet.handle().invokeExact(p.w, type.code, CUDNN_TENSOR_NHWC, nd, ints(tmp, spec.wDims())),
                    "cudnnSetFilterNdDescriptor", spec);
            setup((int) convCreate.handle().invokeExact(out), "cudnnCreateConvolutionDescriptor", spec);
            p.conv = out.get(ADDR, 0);
            // half and bfloat16 data accumulate in float32 (as PyTorch does): a half compute type would
            // round every partial sum to 11 bits
            int computeType = type == DataType.DOUBLE ? DataType.DOUBLE.code : DataType.FLOAT.code;
            setup((int) convSet.handle().invokeExact(p.conv, nd - 2, ints(tmp, spec.pad()), ints(tmp, spec.stride()),
                    ints(tmp, spec.dilation()), spec.flip() ? CUDNN_CONVOLUTION : CUDNN_CROSS_CORRELATION, computeType),
                    "cudnnSetConvolutionNdDescriptor", spec);
            setup((int) convGroups.handle().invokeExact(p.conv, spec.groups()), "cudnnSetConvolutionGroupCount", spec);
            // set before the heuristic, which ranks only what the math type allows (FMA: no tensor cores)
            setup((int) convMath.handle().invokeExact(p.conv, spec.mathType()), "cudnnSetConvolutionMathType", spec);

            MemorySegment perf = tmp.allocate(PERF_BYTES * ALGO_REQUEST, 8);
            MemorySegment returned = tmp.allocateFrom(INT, 0);
            MemorySegment h = MemorySegment.ofAddress(key.handle());
            String query = switch (key.dir()) {
                case FORWARD -> "cudnnGetConvolutionForwardAlgorithm_v7";
                case BACKWARD_DATA -> "cudnnGetConvolutionBackwardDataAlgorithm_v7";
                case BACKWARD_FILTER -> "cudnnGetConvolutionBackwardFilterAlgorithm_v7";
            };
            int status = switch (key.dir()) {
                case FORWARD -> (int) forwardAlgo.handle().invokeExact(h, p.x, p.w, p.conv, p.y, ALGO_REQUEST, returned, perf);
                case BACKWARD_DATA -> (int) backwardDataAlgo.handle().invokeExact(h, p.w, p.y, p.conv, p.x, ALGO_REQUEST, returned, perf);
                case BACKWARD_FILTER -> (int) backwardFilterAlgo.handle().invokeExact(h, p.x, p.y, p.conv, p.w, ALGO_REQUEST, returned, perf);
            };
            setup(status, query, spec);
            int count = Math.min(returned.get(INT, 0), ALGO_REQUEST);
            StringBuilder ranked = new StringBuilder();
            MemorySegment chosen = null;
            for (int i = 0; i < count && chosen == null; i++) {
                MemorySegment r = perf.asSlice(i * PERF_BYTES, PERF_BYTES);
                long memory = r.get(ValueLayout.JAVA_LONG, PERF_MEMORY);
                if (r.get(INT, PERF_STATUS) == 0 && memory <= key.maxWorkspace()) {
                    chosen = r;
                } else {
                    ranked.append(ranked.isEmpty() ? "" : ", ").append("algo ").append(r.get(INT, 0)).append(": ")
                            .append(errorString(r.get(INT, PERF_STATUS))).append(", ").append(memory).append(" bytes");
                }
            }
            if (chosen == null) {
                throw new Refused("[cudnn] " + query + " found no algorithm with at most " + key.maxWorkspace() + " bytes of workspace among "
                        + count + " (" + ranked + ") for " + spec);
            }
            // the heuristic's choice is an (algorithm, math type) pair: run it with its math type, except
            // that FMA asked for stays FMA (float32 that must not drop to TF32)
            if (spec.mathType() != FMA_MATH) {
                setup((int) convMath.handle().invokeExact(p.conv, chosen.get(INT, PERF_MATH)), "cudnnSetConvolutionMathType", spec);
            }
            p.algo = chosen.get(INT, 0);
            p.workspace = chosen.get(ValueLayout.JAVA_LONG, PERF_MEMORY);
            return p;
        } catch (Throwable t) {
            p.destroy();
            throw NativeLib.rethrow(t);
        }
    }

    /**
     * Checks a status of plan-making: the BAD_PARAM and NOT_SUPPORTED families mean cuDNN cannot take this
     * spec ({@link Refused}: the caller computes it another way); anything else is a failure.
     */
    private void setup(int status, String call, ConvSpec spec) {
        if (status >= STATUS_BAD_PARAM && status < STATUS_INTERNAL_ERROR) {
            throw new Refused("[cudnn] " + call + ": " + errorString(status) + " (" + status + ") for " + spec);
        }
        check(status, call + " for " + spec);
    }

    private static MemorySegment ints(Arena arena, int[] values) {
        return arena.allocateFrom(ValueLayout.JAVA_INT, values);
    }

    /** What a plan depends on: the handle (descriptors and algorithms are per device), the call, the spec and the cap. */
    record PlanKey(long handle, Direction dir, ConvSpec spec, long maxWorkspace) {}

    /** The descriptors and the chosen algorithm of one cached plan. */
    private final class Plan implements ConvPlan {
        final PlanKey key;
        MemorySegment x, y, w, conv;
        int algo;
        long workspace;
        boolean destroyed;

        Plan(PlanKey key) { this.key = key; }

        @Override public Direction direction() { return key.dir(); }

        @Override public int algorithm() { return algo; }

        @Override public long workspaceBytes() { return workspace; }

        @Override public void run(long in, long wPtr, long out, long workspacePtr) {
            if (workspace > 0 && workspacePtr == 0) {
                throw new IllegalArgumentException("[cudnn conv] algorithm " + algo + " needs " + workspace + " bytes of workspace; got none, for " + key.spec());
            }
            boolean dbl = key.spec().type() == DataType.DOUBLE;
            MemorySegment one = dbl ? ONE_D : ONE_F, zero = dbl ? ZERO_D : ZERO_F;
            // under the cache's lock: an eviction cannot destroy the descriptors while they are in use
            synchronized (Cudnn.this) {
                if (destroyed) {
                    throw new IllegalStateException("[cudnn conv] this plan was evicted or closed; ask plan() again, for " + key.spec());
                }
                try {
                    MemorySegment h = MemorySegment.ofAddress(key.handle());
                    MemorySegment ws = MemorySegment.ofAddress(workspacePtr);
                    MemorySegment a = MemorySegment.ofAddress(in), b = MemorySegment.ofAddress(wPtr), o = MemorySegment.ofAddress(out);
                    int status = switch (key.dir()) {
                        case FORWARD -> (int) forward.handle().invokeExact(h, one, x, a, w, b, conv, algo, ws, workspace, zero, y, o);
                        case BACKWARD_DATA -> (int) backwardData.handle().invokeExact(h, one, w, b, y, a, conv, algo, ws, workspace, zero, x, o);
                        case BACKWARD_FILTER -> (int) backwardFilter.handle().invokeExact(h, one, x, a, y, b, conv, algo, ws, workspace, zero, w, o);
                    };
                    String call = switch (key.dir()) {
                        case FORWARD -> "cudnnConvolutionForward";
                        case BACKWARD_DATA -> "cudnnConvolutionBackwardData";
                        case BACKWARD_FILTER -> "cudnnConvolutionBackwardFilter";
                    };
                    check(status, call + " (algo " + algo + ") for " + key.spec());
                } catch (Throwable t) {
                    throw NativeLib.rethrow(t);
                }
            }
        }

        /** Destroys whichever descriptors exist; failures are logged (nothing can be done about them). */
        void destroy() {
            destroyed = true;
            List<String> failures = new ArrayList<>();
            try {
                if (x != null) note(failures, "x", (int) tensorDestroy.handle().invokeExact(x));
                if (y != null) note(failures, "y", (int) tensorDestroy.handle().invokeExact(y));
                if (w != null) note(failures, "w", (int) filterDestroy.handle().invokeExact(w));
                if (conv != null) note(failures, "conv", (int) convDestroy.handle().invokeExact(conv));
            } catch (Throwable t) {
                failures.add(t.toString());
            }
            x = y = w = conv = null;
            if (!failures.isEmpty()) LOG.warn("destroying cuDNN descriptors of {}: {}", key.spec(), failures);
        }

        private void note(List<String> failures, String what, int status) {
            if (status != 0) failures.add(what + ": " + errorString(status));
        }

        @Override public String toString() {
            return "ConvPlan[" + key.dir() + " algo " + algo + ", " + workspace + " bytes, " + key.spec() + "]";
        }
    }

    @Override public String toString() { return "cuDNN (" + path() + ")"; }
}
