package org.mlx4j.cuda.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.cuda.CudaException;
import org.mlx4j.cuda.lib.Cudnn.ConvPlan;
import org.mlx4j.cuda.lib.Cudnn.ConvSpec;
import org.mlx4j.cuda.lib.Cudnn.DataType;
import org.mlx4j.cuda.lib.Cudnn.Direction;
import org.mlx4j.cuda.lib.Cudnn.Refused;

/**
 * {@link Cudnn#plan} and {@link ConvPlan#run} against a gcc-built fake cuDNN whose "device" memory is
 * host memory: the fake computes the convolution from the descriptors the binding made (dims, strides,
 * filter format, padding, stride, dilation, groups, mode, alpha and beta), so results are checked
 * against a direct loop here. Its heuristics rank a failing algorithm, one needing 1 MiB of workspace
 * and a free one, and refuse as cuDNN 9 does. The real library runs on a GPU machine only.
 */
class CudnnConvFakeTest {
    private static final long BIG_WORKSPACE = 1 << 20;
    private static final int ALGO_BIG = 1, ALGO_FREE = 0;

    @TempDir static Path tmp;
    private static Path lib;
    private static MethodHandle live, lastMathSet, runMath, runAlgo, runWs, runWsBytes, setFreeWorkspace, failGroups, failRun, reset;
    private Cudnn dnn;
    private long handle;
    private Arena arena;

    @BeforeEach void load() throws Throwable {
        FakeLibs.assumeGcc();
        if (lib == null) {
            lib = FakeLibs.build("fake_cudnn.c", tmp.resolve("dnn"), "libcudnn.so.9");
            FunctionDescriptor toInt = FunctionDescriptor.of(ValueLayout.JAVA_INT), toLong = FunctionDescriptor.of(ValueLayout.JAVA_LONG);
            live = FakeLibs.probe(lib, "fake_live", toInt);
            lastMathSet = FakeLibs.probe(lib, "fake_last_math_set", toInt);
            runMath = FakeLibs.probe(lib, "fake_run_math", toInt);
            runAlgo = FakeLibs.probe(lib, "fake_run_algo", toInt);
            runWs = FakeLibs.probe(lib, "fake_run_ws", toLong);
            runWsBytes = FakeLibs.probe(lib, "fake_run_ws_bytes", toLong);
            setFreeWorkspace = FakeLibs.probe(lib, "fake_set_free_workspace", FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
            failGroups = FakeLibs.probe(lib, "fake_fail_groups", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            failRun = FakeLibs.probe(lib, "fake_fail_run", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            reset = FakeLibs.probe(lib, "fake_reset", FunctionDescriptor.ofVoid());
        }
        reset.invokeExact();
        dnn = Cudnn.load(new LibrarySearch(List.of(tmp.resolve("dnn"))));
        handle = dnn.createHandle();
        arena = Arena.ofConfined();
        assertEquals(0, live(), "no descriptors before the test");
    }

    @AfterEach void close() throws Throwable {
        if (dnn == null) return;
        dnn.close();
        assertEquals(0, live(), "close destroys every descriptor");
        dnn.destroyHandle(handle);
        arena.close();
    }

    private static int live() throws Throwable { return (int) live.invokeExact(); }

    // ------------------------------------------------------------------ results

    @Test void crossCorrelationAndConvolutionOnAHandWorkedCase() throws Throwable {
        // x = 1..9 as 3x3, w = [[1, 0], [0, -1]]: cross-correlation gives x[i][j] - x[i+1][j+1] = -4;
        // convolution flips w to [[-1, 0], [0, 1]] and gives +4
        MemorySegment x = put(DataType.FLOAT, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        MemorySegment w = put(DataType.FLOAT, new double[] {1, 0, 0, -1});
        for (boolean flip : new boolean[] {false, true}) {
            ConvSpec s = new ConvSpec(DataType.FLOAT, new int[] {1, 1, 3, 3}, new int[] {9, 9, 3, 1}, new int[] {1, 1, 2, 2},
                    new int[] {1, 1, 2, 2}, new int[] {4, 4, 2, 1}, new int[] {0, 0}, new int[] {1, 1}, new int[] {1, 1}, 1, flip, Cudnn.FMA_MATH);
            MemorySegment y = put(DataType.FLOAT, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            dnn.plan(handle, Direction.FORWARD, s, 0).run(x.address(), w.address(), y.address(), 0);
            double v = flip ? 4 : -4;
            assertEquals(Arrays.toString(new double[] {v, v, v, v}), Arrays.toString(get(DataType.FLOAT, y, 4)), s.toString());
        }
    }

    @Test void forwardChannelsLastPaddedAndStrided() throws Throwable {
        int[] xDims = {2, 3, 7, 6};
        ConvSpec s = spec(DataType.FLOAT, xDims, channelsLast(xDims), 4, new int[] {3, 3},
                new int[] {1, 1}, new int[] {2, 2}, new int[] {1, 1}, 1, false, Cudnn.FMA_MATH);
        assertEquals("[2, 4, 4, 3]", Arrays.toString(s.yDims()), "floor((7 + 2 - 3) / 2) + 1, floor((6 + 2 - 3) / 2) + 1");
        checkAgainstLoop(s, Direction.FORWARD, 1);
    }

    @Test void forwardGroupedDilatedConvolutionOnAStridedInput() throws Throwable {
        // x: every other column of a channels-last buffer twice as wide (the gaps hold values that must
        // not count); y: NCHW, unlike x; groups 2, dilation 2, unequal pads and strides, kernel flipped
        int n = 2, c = 4, h = 9, wd = 9;
        int[] xDims = {n, c, h, wd};
        int[] xStrides = {h * 2 * wd * c, 1, 2 * wd * c, 2 * c};
        ConvSpec cl = spec(DataType.FLOAT, xDims, xStrides, 6, new int[] {3, 2},
                new int[] {2, 1}, new int[] {1, 2}, new int[] {2, 2}, 2, true, Cudnn.DEFAULT_MATH);
        ConvSpec s = new ConvSpec(cl.type(), cl.xDims(), cl.xStrides(), cl.wDims(), cl.yDims(), contiguous(cl.yDims()),
                cl.pad(), cl.stride(), cl.dilation(), cl.groups(), cl.flip(), cl.mathType());
        assertEquals("[6, 2, 3, 2]", Arrays.toString(s.wDims()));
        checkAgainstLoop(s, Direction.FORWARD, 2);
    }

    @Test void forwardThreeDimensionalInDoubleReadsDoubleAlphaAndBeta() throws Throwable {
        // double data: alpha and beta must reach cuDNN as doubles, or the result is garbage or NaN
        int[] xDims = {1, 2, 4, 5, 3};
        ConvSpec s = spec(DataType.DOUBLE, xDims, channelsLast(xDims), 3, new int[] {2, 3, 2},
                new int[] {1, 1, 0}, new int[] {2, 1, 1}, new int[] {1, 2, 1}, 1, false, Cudnn.DEFAULT_MATH);
        assertEquals(5, s.yDims().length);
        checkAgainstLoop(s, Direction.FORWARD, 3);
    }

    @Test void backwardDataIsTheTransposedConvolutionInBothModes() throws Throwable {
        int[] xDims = {2, 4, 8, 7};
        for (boolean flip : new boolean[] {false, true}) {
            ConvSpec s = spec(DataType.FLOAT, xDims, channelsLast(xDims), 6, new int[] {3, 2},
                    new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 2}, 2, flip, Cudnn.FMA_MATH);
            double[][] bwd = checkAgainstLoop(s, Direction.BACKWARD_DATA, 4); // {dy, w, dx}
            // the adjoint identity <dy, conv(x)> = <conv^T(dy), x> ties the two directions of the fake
            // (and of the loop above) to each other
            double[] x = random(bufferLength(s.xDims(), s.xStrides()), 5);
            double[] y = run(s, Direction.FORWARD, x, bwd[1], 0);
            assertEquals(dot(s.yDims(), s.yStrides(), bwd[0], y), dot(s.xDims(), s.xStrides(), bwd[2], x), 1e-3, s.toString());
        }
    }

    @Test void backwardFilterIsTheGradientInTheFilter() throws Throwable {
        // strided x (channels-first in memory), groups 2, padding, stride 2, dilation 2, both modes
        int[] xDims = {2, 4, 9, 8};
        for (boolean flip : new boolean[] {false, true}) {
            ConvSpec s = spec(DataType.FLOAT, xDims, contiguous(xDims), 6, new int[] {3, 2},
                    new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 1}, 2, flip, Cudnn.FMA_MATH);
            double[] x = random(bufferLength(s.xDims(), s.xStrides()), 8), dy = random(bufferLength(s.yDims(), s.yStrides()), 9);
            int wCount = count(s.wDims());
            MemorySegment xs = put(s.type(), x), dys = put(s.type(), dy), dws = put(s.type(), nans(wCount));
            ConvPlan p = dnn.plan(handle, Direction.BACKWARD_FILTER, s, 0);
            assertEquals(Direction.BACKWARD_FILTER, p.direction());
            p.run(xs.address(), dys.address(), dws.address(), 0);
            double[] dw = get(s.type(), dws, wCount);
            // dw[i] = <dy, conv(x, e_i)>: the forward loop with each unit filter
            int yLength = bufferLength(s.yDims(), s.yStrides());
            for (int i = 0; i < wCount; i++) {
                double[] unit = new double[wCount];
                unit[i] = 1;
                double expected = dot(s.yDims(), s.yStrides(), dy, reference(s, Direction.FORWARD, x, unit, yLength));
                assertEquals(expected, dw[i], 1e-4, "dw[" + i + "] of " + s);
            }
        }
    }

    // ------------------------------------------------------------------ the algorithm and its workspace

    @Test void theWorkspaceCapChoosesTheAlgorithm() throws Throwable {
        int[] xDims = {1, 2, 5, 5};
        ConvSpec s = spec(DataType.FLOAT, xDims, channelsLast(xDims), 2, new int[] {3, 3},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false, Cudnn.FMA_MATH);
        // the first ranked result failed; the 1 MiB one is taken when it fits, the free one otherwise
        ConvPlan small = dnn.plan(handle, Direction.FORWARD, s, BIG_WORKSPACE - 1);
        assertEquals(ALGO_FREE, small.algorithm());
        assertEquals(0, small.workspaceBytes());
        ConvPlan big = dnn.plan(handle, Direction.FORWARD, s, BIG_WORKSPACE);
        assertEquals(ALGO_BIG, big.algorithm());
        assertEquals(BIG_WORKSPACE, big.workspaceBytes());

        double[] x = random(bufferLength(s.xDims(), s.xStrides()), 6), w = random(count(s.wDims()), 7);
        int yLength = bufferLength(s.yDims(), s.yStrides());
        MemorySegment xs = put(s.type(), x), ws = put(s.type(), w), ys = put(s.type(), nans(yLength));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> big.run(xs.address(), ws.address(), ys.address(), 0));
        assertTrue(e.getMessage().contains("needs " + BIG_WORKSPACE + " bytes"), e.getMessage());
        MemorySegment scratch = arena.allocate(BIG_WORKSPACE, 256);
        big.run(xs.address(), ws.address(), ys.address(), scratch.address());
        assertEquals(ALGO_BIG, (int) runAlgo.invokeExact());
        assertEquals(scratch.address(), (long) runWs.invokeExact());
        assertEquals(BIG_WORKSPACE, (long) runWsBytes.invokeExact());
        assertEquals((byte) 0x5a, scratch.get(ValueLayout.JAVA_BYTE, BIG_WORKSPACE - 1), "the fake used all of it");
        assertLogicalEquals(s.yDims(), s.yStrides(), reference(s, Direction.FORWARD, x, w, yLength), get(s.type(), ys, yLength), 1e-4);

        // no algorithm within the cap: refused, naming the ranking it saw
        setFreeWorkspace.invokeExact(64L);
        Refused r = assertThrows(Refused.class, () -> dnn.plan(handle, Direction.FORWARD, s, 63));
        assertTrue(r.getMessage().contains("cudnnGetConvolutionForwardAlgorithm_v7 found no algorithm with at most 63 bytes"), r.getMessage());
        assertTrue(r.getMessage().contains("algo 6: CUDNN_STATUS_NOT_SUPPORTED") && r.getMessage().contains("algo 0: CUDNN_STATUS_SUCCESS, 64 bytes"),
                r.getMessage());
        assertEquals(8, live(), "the refused plan's four descriptors are gone, the two cached plans' eight remain");
    }

    // ------------------------------------------------------------------ refusals and failures

    @Test void halfIsRefusedAsNotSupported() throws Throwable {
        int[] xDims = {1, 2, 5, 5};
        ConvSpec s = spec(DataType.HALF, xDims, channelsLast(xDims), 2, new int[] {3, 3},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false, Cudnn.TENSOR_OP_MATH);
        Refused r = assertThrows(Refused.class, () -> dnn.plan(handle, Direction.FORWARD, s, 0));
        assertTrue(r.getMessage().contains("cudnnGetConvolutionForwardAlgorithm_v7: CUDNN_STATUS_NOT_SUPPORTED (3000)"), r.getMessage());
        assertTrue(r.getMessage().contains(s.toString()), r.getMessage());
        assertEquals(0, live());
        assertEquals(0, dnn.planMisses());
        assertEquals(0, dnn.cachedPlans());
    }

    @Test void badShapesAreRefusedAsBadParam() throws Throwable {
        int[] xDims = {1, 4, 6, 6};
        ConvSpec good = spec(DataType.FLOAT, xDims, channelsLast(xDims), 2, new int[] {3, 3},
                new int[] {0, 0}, new int[] {1, 1}, new int[] {1, 1}, 1, false, Cudnn.FMA_MATH);
        int[] yDims = good.yDims().clone();
        yDims[3]++; // 5 where floor((6 - 3) / 1) + 1 = 4
        ConvSpec wrongY = new ConvSpec(good.type(), good.xDims(), good.xStrides(), good.wDims(), yDims, channelsLast(yDims),
                good.pad(), good.stride(), good.dilation(), 1, false, good.mathType());
        Refused r = assertThrows(Refused.class, () -> dnn.plan(handle, Direction.BACKWARD_DATA, wrongY, 0));
        assertTrue(r.getMessage().contains("cudnnGetConvolutionBackwardDataAlgorithm_v7: CUDNN_STATUS_BAD_PARAM (2000)"), r.getMessage());
        assertTrue(r.getMessage().contains(wrongY.toString()), r.getMessage());

        int[] oddX = {1, 3, 6, 6}; // 3 channels in 2 groups
        ConvSpec oddGroups = new ConvSpec(DataType.FLOAT, oddX, channelsLast(oddX), new int[] {2, 1, 3, 3}, good.yDims(), good.yStrides(),
                good.pad(), good.stride(), good.dilation(), 2, false, Cudnn.FMA_MATH);
        r = assertThrows(Refused.class, () -> dnn.plan(handle, Direction.FORWARD, oddGroups, 0));
        assertTrue(r.getMessage().contains("CUDNN_STATUS_BAD_PARAM"), r.getMessage());
        assertEquals(0, live(), "refusals leave no descriptor behind");
        dnn.plan(handle, Direction.FORWARD, good, 0); // the same calls succeed on a good spec
        assertEquals(4, live());
    }

    @Test void otherStatusesAreCudaExceptionsAndLeakNothing() throws Throwable {
        int[] xDims = {1, 2, 5, 5};
        ConvSpec s = spec(DataType.FLOAT, xDims, channelsLast(xDims), 2, new int[] {3, 3},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false, Cudnn.FMA_MATH);
        // a failure at the heuristic (the fake knows only its own handle)
        CudaException e = assertThrows(CudaException.class, () -> dnn.plan(0x999L, Direction.FORWARD, s, 0));
        assertEquals(1001, e.code());
        assertEquals("CUDNN_STATUS_NOT_INITIALIZED", e.errorName());
        assertTrue(e.getMessage().contains("cudnnGetConvolutionForwardAlgorithm_v7 for " + s), e.getMessage());
        assertEquals(0, live());
        // a failure halfway through the descriptors: INTERNAL_ERROR fails, a NOT_SUPPORTED sub-code refuses
        failGroups.invokeExact(4000);
        e = assertThrows(CudaException.class, () -> dnn.plan(handle, Direction.FORWARD, s, 0));
        assertTrue(e.getMessage().contains("cudnnSetConvolutionGroupCount"), e.getMessage());
        assertEquals(0, live());
        failGroups.invokeExact(3001);
        Refused r = assertThrows(Refused.class, () -> dnn.plan(handle, Direction.FORWARD, s, 0));
        assertTrue(r.getMessage().contains("cudnnSetConvolutionGroupCount: CUDNN_STATUS_OTHER (3001)"), r.getMessage());
        assertEquals(0, live());
        failGroups.invokeExact(0);
        // a failure at run time names the call and the spec
        MemorySegment buf = arena.allocate(4096, 256);
        failRun.invokeExact(5000);
        for (Direction d : Direction.values()) {
            ConvPlan p = dnn.plan(handle, d, s, 0);
            e = assertThrows(CudaException.class, () -> p.run(buf.address(), buf.address(), buf.address(), 0));
            assertEquals("CUDNN_STATUS_EXECUTION_FAILED", e.errorName());
            String call = switch (d) {
                case FORWARD -> "cudnnConvolutionForward";
                case BACKWARD_DATA -> "cudnnConvolutionBackwardData";
                case BACKWARD_FILTER -> "cudnnConvolutionBackwardFilter";
            };
            assertTrue(e.getMessage().contains(call + " (algo 0) for " + s), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ the plan cache

    @Test void plansAreCachedPerKeyAndEvictedLeastRecentlyUsed() throws Throwable {
        ConvSpec s = batch(1);
        ConvPlan first = dnn.plan(handle, Direction.FORWARD, s, 0);
        assertSame(first, dnn.plan(handle, Direction.FORWARD, batch(1), 0), "an equal spec is a hit");
        ConvPlan backward = dnn.plan(handle, Direction.BACKWARD_DATA, s, 0);
        assertNotSame(first, dnn.plan(handle, Direction.FORWARD, s, BIG_WORKSPACE), "the cap is part of the key");
        assertEquals(3, dnn.planMisses());
        assertEquals(12, live(), "four descriptors a plan");

        // 62 more fill the cache; the forward plan, used all along, stays; the backward one, never
        // used again, is the eldest by the 64th and is evicted, its descriptors destroyed
        for (int n = 2; n <= 63; n++) {
            dnn.plan(handle, Direction.FORWARD, batch(n), 0);
            assertSame(first, dnn.plan(handle, Direction.FORWARD, s, 0));
        }
        assertEquals(3 + 62, dnn.planMisses());
        assertEquals(Cudnn.PLAN_CACHE, dnn.cachedPlans());
        assertEquals(4 * Cudnn.PLAN_CACHE, live());
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> backward.run(1, 1, 1, 0));
        assertTrue(gone.getMessage().contains("evicted"), gone.getMessage());
        assertSame(first, dnn.plan(handle, Direction.FORWARD, s, 0));
        assertEquals(3 + 62, dnn.planMisses());
        dnn.plan(handle, Direction.BACKWARD_DATA, s, 0);
        assertEquals(3 + 63, dnn.planMisses(), "the evicted plan is made again");
        assertEquals(4 * Cudnn.PLAN_CACHE, live());
    }

    @Test void closeAndDestroyHandleDestroyTheDescriptors() throws Throwable {
        for (int n = 1; n <= 3; n++) dnn.plan(handle, Direction.FORWARD, batch(n), 0);
        ConvPlan p = dnn.plan(handle, Direction.BACKWARD_DATA, batch(1), 0);
        assertEquals(16, live());
        dnn.close();
        assertEquals(0, live());
        assertEquals(0, dnn.cachedPlans());
        assertThrows(IllegalStateException.class, () -> p.run(1, 1, 1, 0));
        // usable after close; destroying the handle drops its plans
        dnn.plan(handle, Direction.FORWARD, batch(1), 0);
        assertEquals(4, live());
        dnn.destroyHandle(handle);
        assertEquals(0, live());
        assertEquals(0, dnn.cachedPlans());
        handle = dnn.createHandle();
    }

    @Test void fmaIsKeptOtherMathTypesTakeTheHeuristicsPair() throws Throwable {
        // the fake pairs every algorithm with TENSOR_OP_ALLOW_CONVERSION (2), even when FMA was set
        MemorySegment buf = arena.allocate(1 << 16, 256);
        int[] expected = {2, 2, 3};
        int[] maths = {Cudnn.DEFAULT_MATH, Cudnn.TENSOR_OP_MATH, Cudnn.FMA_MATH};
        for (int i = 0; i < maths.length; i++) {
            int[] xDims = {1, 2, 5, 5};
            ConvSpec s = spec(DataType.FLOAT, xDims, channelsLast(xDims), 2, new int[] {3, 3},
                    new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false, maths[i]);
            dnn.plan(handle, Direction.FORWARD, s, 0).run(buf.address(), buf.address(), buf.address(), 0);
            assertEquals(expected[i], (int) runMath.invokeExact(), "math " + maths[i]);
            assertEquals(expected[i], (int) lastMathSet.invokeExact(), "math " + maths[i]);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A small forward spec with batch {@code n} (distinct plans for the cache tests). */
    private static ConvSpec batch(int n) {
        int[] xDims = {n, 2, 4, 4};
        return spec(DataType.FLOAT, xDims, channelsLast(xDims), 2, new int[] {3, 3},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false, Cudnn.FMA_MATH);
    }

    /** A spec with the forward output size and a channels-last y. */
    private static ConvSpec spec(DataType t, int[] xDims, int[] xStrides, int k, int[] kernel, int[] pad, int[] stride, int[] dil,
                                 int groups, boolean flip, int math) {
        int m = kernel.length;
        int[] wDims = new int[m + 2], yDims = new int[m + 2];
        wDims[0] = k;
        wDims[1] = xDims[1] / groups;
        yDims[0] = xDims[0];
        yDims[1] = k;
        for (int j = 0; j < m; j++) {
            wDims[2 + j] = kernel[j];
            yDims[2 + j] = (xDims[2 + j] + 2 * pad[j] - ((kernel[j] - 1) * dil[j] + 1)) / stride[j] + 1;
        }
        return new ConvSpec(t, xDims, xStrides, wDims, yDims, channelsLast(yDims), pad, stride, dil, groups, flip, math);
    }

    /** Strides of (N, C, spatial...) stored as (N, spatial..., C). */
    private static int[] channelsLast(int[] dims) {
        int[] s = new int[dims.length];
        int step = 1;
        s[1] = step;
        step *= dims[1];
        for (int j = dims.length - 1; j >= 2; j--) {
            s[j] = step;
            step *= dims[j];
        }
        s[0] = step;
        return s;
    }

    /** Row-major strides. */
    private static int[] contiguous(int[] dims) {
        int[] s = new int[dims.length];
        int step = 1;
        for (int j = dims.length - 1; j >= 0; j--) {
            s[j] = step;
            step *= dims[j];
        }
        return s;
    }

    private static int count(int[] dims) { return Arrays.stream(dims).reduce(1, (a, b) -> a * b); }

    /** Elements a buffer needs: the largest offset plus one. */
    private static int bufferLength(int[] dims, int[] strides) {
        int last = 0;
        for (int j = 0; j < dims.length; j++) last += (dims[j] - 1) * strides[j];
        return last + 1;
    }

    /** The offsets of every logical element. */
    private static int[] offsets(int[] dims, int[] strides) {
        int[] out = new int[count(dims)];
        for (int i = 0; i < out.length; i++) {
            int rest = i, at = 0;
            for (int j = dims.length - 1; j >= 0; j--) {
                at += rest % dims[j] * strides[j];
                rest /= dims[j];
            }
            out[i] = at;
        }
        return out;
    }

    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(7) - 3; // small integers: exact sums in float
        return v;
    }

    private static double[] nans(int n) {
        double[] v = new double[n];
        Arrays.fill(v, Double.NaN); // beta is 0: cuDNN overwrites without reading
        return v;
    }

    private MemorySegment put(DataType t, double[] v) {
        MemorySegment s = arena.allocate(Math.max(8L, (long) v.length * t.bytes), 256);
        for (int i = 0; i < v.length; i++) {
            if (t == DataType.DOUBLE) s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v[i]);
            else s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v[i]);
        }
        return s;
    }

    private static double[] get(DataType t, MemorySegment s, long n) {
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) v[i] = t == DataType.DOUBLE ? s.getAtIndex(ValueLayout.JAVA_DOUBLE, i) : s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
        return v;
    }

    /** Runs {@code s} through the fake: forward maps x to y, backward data dy to dx; the output starts as NaN. */
    private double[] run(ConvSpec s, Direction d, double[] in, double[] w, long maxWorkspace) {
        boolean fwd = d == Direction.FORWARD;
        int outLength = fwd ? bufferLength(s.yDims(), s.yStrides()) : bufferLength(s.xDims(), s.xStrides());
        MemorySegment ins = put(s.type(), in), ws = put(s.type(), w), outs = put(s.type(), nans(outLength));
        ConvPlan p = dnn.plan(handle, d, s, maxWorkspace);
        assertEquals(d, p.direction());
        p.run(ins.address(), ws.address(), outs.address(), 0);
        return get(s.type(), outs, outLength);
    }

    /** Random input and filter through the fake and through {@link #reference}; returns {in, w, out}. */
    private double[][] checkAgainstLoop(ConvSpec s, Direction d, long seed) {
        boolean fwd = d == Direction.FORWARD;
        double[] in = fwd ? random(bufferLength(s.xDims(), s.xStrides()), seed) : random(bufferLength(s.yDims(), s.yStrides()), seed);
        double[] w = random(count(s.wDims()), seed + 100);
        double[] out = run(s, d, in, w, 0);
        double[] expected = reference(s, d, in, w, out.length);
        assertLogicalEquals(fwd ? s.yDims() : s.xDims(), fwd ? s.yStrides() : s.xStrides(), expected, out, s.type() == DataType.DOUBLE ? 1e-12 : 1e-4);
        return new double[][] {in, w, out};
    }

    private static void assertLogicalEquals(int[] dims, int[] strides, double[] expected, double[] actual, double tolerance) {
        boolean nonzero = false;
        for (int at : offsets(dims, strides)) {
            assertEquals(expected[at], actual[at], tolerance, "at offset " + at);
            nonzero |= expected[at] != 0;
        }
        assertTrue(nonzero, "a test whose expected result is all zeros checks little");
    }

    private static double dot(int[] dims, int[] strides, double[] a, double[] b) {
        double s = 0;
        for (int at : offsets(dims, strides)) s += a[at] * b[at];
        return s;
    }

    /**
     * The convolution as a direct loop: y[n, k, o] = sum over c in k's group and kernel taps r of
     * x[n, c, o * stride - pad + tap * dilation] w[k, c, r], tap = r (cross-correlation) or size - 1 - r
     * (convolution), the filter packed (K, spatial..., C/groups); backward data scatters dy back the same way.
     */
    private static double[] reference(ConvSpec s, Direction d, double[] in, double[] w, long outLength) {
        double[] out = new double[(int) outLength];
        int m = s.xDims().length - 2, cg = s.wDims()[1], kg = s.wDims()[0] / s.groups();
        int[] os = Arrays.copyOfRange(s.yDims(), 2, m + 2), ks = Arrays.copyOfRange(s.wDims(), 2, m + 2);
        int oCount = count(os), kCount = count(ks);
        int[] xs = s.xStrides(), ys = s.yStrides();
        for (int n = 0; n < s.yDims()[0]; n++) {
            for (int k = 0; k < s.yDims()[1]; k++) {
                int g = k / kg;
                for (int oi = 0; oi < oCount; oi++) {
                    int[] o = unflatten(oi, os);
                    int yAt = n * ys[0] + k * ys[1];
                    for (int j = 0; j < m; j++) yAt += o[j] * ys[2 + j];
                    for (int c = 0; c < cg; c++) {
                        taps:
                        for (int ri = 0; ri < kCount; ri++) {
                            int[] r = unflatten(ri, ks);
                            int xAt = n * xs[0] + (g * cg + c) * xs[1];
                            for (int j = 0; j < m; j++) {
                                int tap = s.flip() ? ks[j] - 1 - r[j] : r[j];
                                int i = o[j] * s.stride()[j] - s.pad()[j] + tap * s.dilation()[j];
                                if (i < 0 || i >= s.xDims()[2 + j]) continue taps;
                                xAt += i * xs[2 + j];
                            }
                            double wv = w[(k * kCount + ri) * cg + c];
                            if (d == Direction.FORWARD) out[yAt] += in[xAt] * wv;
                            else out[xAt] += in[yAt] * wv;
                        }
                    }
                }
            }
        }
        return out;
    }

    private static int[] unflatten(int i, int[] dims) {
        int[] idx = new int[dims.length];
        for (int j = dims.length - 1; j >= 0; j--) {
            idx[j] = i % dims[j];
            i /= dims[j];
        }
        return idx;
    }
}
