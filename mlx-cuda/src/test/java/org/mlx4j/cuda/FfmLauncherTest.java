package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlx4j.cuda.lib.FakeLibs;

/**
 * {@link FfmLauncher} against a gcc-built stand-in for the driver's {@code cuLaunchKernel} that
 * records what it was given: the function, the launch shape, the stream, and the bytes behind each
 * parameter pointer, for every parameter kind the kernels take, in the small reused buffer and in a
 * launch too big for it.
 */
class FfmLauncherTest {
    @TempDir static Path tmp;
    static Path lib;
    FfmLauncher launcher;
    MethodHandle expect, function, stream, dim, param, launches;

    @BeforeEach
    void load() throws Exception {
        FakeLibs.assumeGcc();
        if (lib == null) lib = FakeLibs.build("fake_cuda_launch.c", tmp.resolve("cuda"), "libcuda.so.1");
        launcher = new FfmLauncher(SymbolLookup.libraryLookup(lib, Arena.global()));
        expect = FakeLibs.probe(lib, "fake_expect", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        function = FakeLibs.probe(lib, "fake_function", FunctionDescriptor.of(ValueLayout.ADDRESS));
        stream = FakeLibs.probe(lib, "fake_stream", FunctionDescriptor.of(ValueLayout.ADDRESS));
        dim = FakeLibs.probe(lib, "fake_dim", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        param = FakeLibs.probe(lib, "fake_param", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        launches = FakeLibs.probe(lib, "fake_launches", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    /** Tells the fake how many bytes to copy behind each parameter. */
    void expectSizes(Object[] args) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            int[] sizes = new int[args.length];
            for (int i = 0; i < args.length; i++) sizes[i] = FfmLauncher.size(args[i]);
            expect.invokeExact(args.length, a.allocateFrom(ValueLayout.JAVA_INT, sizes));
        }
    }

    MemorySegment recorded(int i) throws Throwable {
        return ((MemorySegment) param.invokeExact(i)).reinterpret(160);
    }

    @Test
    void everyParameterKindArrivesAsTheKernelReadsIt() throws Throwable {
        Layout l = new Layout(new long[] {3, 4}, new long[] {4, 1});
        Object[] args = {new Ptr(0x7f00_1234_5678L), Long.MIN_VALUE + 5, -3, 1.5f, 2.25, l, Long.valueOf(42)};
        expectSizes(args);
        int before = (int) launches.invokeExact();
        assertEquals(0, launcher.launch(0xabcL, new Grid(7, 2, 3, 128, 64), 0xdeadL, args));
        assertEquals(before + 1, (int) launches.invokeExact());
        assertEquals(0xabcL, ((MemorySegment) function.invokeExact()).address());
        assertEquals(0xdeadL, ((MemorySegment) stream.invokeExact()).address());
        int[] dims = new int[7];
        for (int i = 0; i < 7; i++) dims[i] = (int) dim.invokeExact(i);
        assertArrayEquals(new int[] {7, 2, 3, 128, 1, 1, 64}, dims, "grid x y z, block x y z, shared bytes");
        assertEquals(0x7f00_1234_5678L, recorded(0).get(ValueLayout.JAVA_LONG, 0));
        assertEquals(Long.MIN_VALUE + 5, recorded(1).get(ValueLayout.JAVA_LONG, 0));
        assertEquals(-3, recorded(2).get(ValueLayout.JAVA_INT, 0));
        assertEquals(1.5f, recorded(3).get(ValueLayout.JAVA_FLOAT, 0));
        assertEquals(2.25, recorded(4).get(ValueLayout.JAVA_DOUBLE, 0));
        // the Layout struct of common.cuh: ndim, MAX_DIMS extents (1 past ndim), MAX_DIMS strides
        long[] packed = l.pack();
        for (int k = 0; k < packed.length; k++) assertEquals(packed[k], recorded(5).get(ValueLayout.JAVA_LONG, 8L * k), "Layout word " + k);
        assertEquals(42L, recorded(6).get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    void aLaunchBiggerThanTheBufferUsesATemporary() throws Throwable {
        List<Object> a = new ArrayList<>();
        for (int i = 0; i < 30; i++) a.add(new Layout(new long[] {i + 2}, new long[] {i + 1}));
        a.add(99);
        Object[] args = a.toArray();
        assertTrue(FfmLauncher.bytes(args) > FfmLauncher.BUFFER_BYTES);
        expectSizes(args);
        assertEquals(0, launcher.launch(1L, Grid.linear(1000), 2L, args));
        assertEquals(31L, recorded(29).get(ValueLayout.JAVA_LONG, 8));
        assertEquals(30L, recorded(29).get(ValueLayout.JAVA_LONG, 8L * (1 + Layout.MAX_DIMS)));
        assertEquals(99, recorded(30).get(ValueLayout.JAVA_INT, 0));
        assertEquals(4, (int) dim.invokeExact(0), "ceil(1000 / 256) blocks");
    }

    @Test
    void theTablePointsAtAlignedValuesInsideTheBuffer() {
        Object[] args = {1, 2.0, 3, new Ptr(4)};
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256, 16);
            long used = FfmLauncher.write(buf, args);
            assertEquals(FfmLauncher.bytes(args), used);
            assertEquals(4 * 8 + 8 + 8 + 8 + 8, used, "4 pointers, then 4 values in 8-byte slots");
            for (int i = 0; i < args.length; i++) {
                long p = buf.get(ValueLayout.JAVA_LONG, 8L * i);
                assertEquals(0, (p - buf.address()) % 8, "aligned");
                assertTrue(p >= buf.address() + 32 && p < buf.address() + used, "inside the value area");
            }
            assertEquals(2.0, MemorySegment.ofAddress(buf.get(ValueLayout.JAVA_LONG, 8)).reinterpret(8).get(ValueLayout.JAVA_DOUBLE, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> FfmLauncher.size("text"));
    }
}
