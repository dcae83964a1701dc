package org.mlx4j.cuda.lib;

import static org.mlx4j.cuda.lib.NativeLib.ADDR;
import static org.mlx4j.cuda.lib.NativeLib.INT;
import static org.mlx4j.cuda.lib.NativeLib.SIZE_T;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import org.mlx4j.cuda.CudaException;

/**
 * cuDNN 9 ({@code libcudnn.so.9}) through {@code java.lang.foreign}: the handle and its stream. The
 * signatures are those of {@code cudnn_graph.h} (cuDNN 9): {@code size_t cudnnGetVersion(void)},
 * {@code cudnnStatus_t cudnnCreate(cudnnHandle_t*)}, {@code cudnnDestroy(cudnnHandle_t)},
 * {@code cudnnSetStream(cudnnHandle_t, cudaStream_t)}, {@code const char* cudnnGetErrorString(cudnnStatus_t)};
 * {@code CUDNN_STATUS_SUCCESS} is 0. Handles are raw addresses ({@code long}).
 */
public final class Cudnn {
    private final NativeLib lib;
    private final NativeLib.Fn getVersion, create, destroy, setStream, getErrorString;

    private Cudnn(NativeLib lib) {
        this.lib = lib;
        getVersion = lib.fn("cudnnGetVersion", FunctionDescriptor.of(SIZE_T));
        create = lib.fn("cudnnCreate", FunctionDescriptor.of(INT, ADDR));
        destroy = lib.fn("cudnnDestroy", FunctionDescriptor.of(INT, ADDR));
        setStream = lib.fn("cudnnSetStream", FunctionDescriptor.of(INT, ADDR, ADDR));
        getErrorString = lib.fn("cudnnGetErrorString", FunctionDescriptor.of(ADDR, INT));
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

    /** Destroys a handle from {@link #createHandle()}. */
    public void destroyHandle(long handle) {
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
        BACKWARD_DATA
    }

    /**
     * One convolution as cuDNN describes it, always in the forward sense (for {@link
     * Direction#BACKWARD_DATA} x is the gradient written and y the gradient read). Dims are in cuDNN's
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

        /** The chosen algorithm ({@code cudnnConvolutionFwdAlgo_t} or {@code cudnnConvolutionBwdDataAlgo_t}). */
        int algorithm();

        /** Workspace the algorithm needs, in bytes (may be 0). */
        long workspaceBytes();

        /**
         * Queues the convolution on the handle's stream, with alpha 1 and beta 0 (the output is overwritten).
         *
         * @param in        forward: x; backward data: dy (y-shaped)
         * @param w         the filter
         * @param out       forward: y; backward data: dx (x-shaped)
         * @param workspace device memory of at least {@link #workspaceBytes()} bytes (0 when none is needed)
         * @throws CudaException naming the call and cuDNN's status
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
    public ConvPlan plan(long handle, Direction dir, ConvSpec spec, long maxWorkspace) {
        throw new UnsupportedOperationException("not yet");
    }

    /** How many plans stay cached. */
    public static final int PLAN_CACHE = 64;

    @Override public String toString() { return "cuDNN (" + path() + ")"; }
}
