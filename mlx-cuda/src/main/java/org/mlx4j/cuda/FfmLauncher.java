package org.mlx4j.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code cuLaunchKernel} called through {@code java.lang.foreign} with the kernel's parameters
 * written into one reused native buffer: JCuda's launch marshals each parameter as its own Java
 * array behind a pointer (native copies per parameter per launch), which costs microseconds on
 * launch-bound workloads. Signature ({@code cuda.h}): {@code CUresult cuLaunchKernel(CUfunction f,
 * unsigned gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, unsigned sharedMemBytes,
 * CUstream hStream, void** kernelParams, void** extra)}; the driver copies the parameters during the
 * call, so the buffer is reused by the next launch. Parameters as {@link CudaRuntime#launch} takes
 * them: pointers and {@code long long} as 8 bytes, {@code int} and {@code float} as 4,
 * {@code double} as 8, a {@link Layout} as its packed struct. {@code -Dmlx4j.cuda.ffmLaunch=false}
 * keeps JCuda's launch.
 */
final class FfmLauncher {
    /** Bytes of the reused buffer: the pointer table, then the values (a bigger launch uses a temporary). */
    static final int BUFFER_BYTES = 4096;

    private final MethodHandle launch;
    private final MemorySegment buffer = Arena.ofAuto().allocate(BUFFER_BYTES, 16);

    FfmLauncher(SymbolLookup driver) {
        MemorySegment fn = driver.find("cuLaunchKernel").orElseThrow(() -> new IllegalStateException("[cuda] cuLaunchKernel not found in the driver"));
        ValueLayout.OfInt u = ValueLayout.JAVA_INT;
        launch = Linker.nativeLinker().downcallHandle(fn, FunctionDescriptor.of(u, ValueLayout.ADDRESS, u, u, u, u, u, u, u,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    /** The launcher over the process's {@code libcuda.so.1}, or null when it is switched off or cannot bind. */
    static FfmLauncher forDriver() {
        if ("false".equalsIgnoreCase(System.getProperty("mlx4j.cuda.ffmLaunch", "true").trim())) return null;
        try {
            return new FfmLauncher(SymbolLookup.libraryLookup("libcuda.so.1", Arena.global()));
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Bytes {@code arg} occupies as a kernel parameter (8-byte aligned slots). */
    static int size(Object arg) {
        return switch (arg) {
            case Layout l -> 8 * (1 + 2 * Layout.MAX_DIMS);
            case Integer v -> 4;
            case Float v -> 4;
            case Ptr p -> 8;
            case CudaBuffer b -> 8;
            case Long v -> 8;
            case Double v -> 8;
            default -> throw new IllegalArgumentException("[cuda] unsupported kernel argument type " + arg.getClass().getSimpleName());
        };
    }

    /**
     * Writes {@code args} into {@code buf}: the table of {@code args.length} pointers at 0, each
     * pointing at its value, values from the end of the table on 8-byte boundaries.
     *
     * @return the bytes used
     */
    static long write(MemorySegment buf, Object[] args) {
        long at = 8L * args.length;
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            buf.set(ValueLayout.JAVA_LONG, 8L * i, buf.address() + at);
            switch (a) {
                case Ptr p -> buf.set(ValueLayout.JAVA_LONG, at, p.address());
                case CudaBuffer b -> buf.set(ValueLayout.JAVA_LONG, at, b.address());
                case Long v -> buf.set(ValueLayout.JAVA_LONG, at, v);
                case Integer v -> buf.set(ValueLayout.JAVA_INT, at, v);
                case Float v -> buf.set(ValueLayout.JAVA_FLOAT, at, v);
                case Double v -> buf.set(ValueLayout.JAVA_DOUBLE, at, v);
                case Layout l -> MemorySegment.copy(l.pack(), 0, buf, ValueLayout.JAVA_LONG, at, 1 + 2 * Layout.MAX_DIMS);
                default -> throw new IllegalArgumentException("[cuda] kernel argument " + i + ": unsupported type " + a.getClass().getSimpleName());
            }
            at += (size(a) + 7) & ~7;
        }
        return at;
    }

    /** Bytes {@link #write} needs for {@code args}. */
    static long bytes(Object[] args) {
        long n = 8L * args.length;
        for (Object a : args) n += (size(a) + 7) & ~7;
        return n;
    }

    /**
     * Launches {@code function} (a raw {@code CUfunction}) on {@code stream} (a raw {@code CUstream}).
     *
     * @return the driver's {@code CUresult}
     */
    synchronized int launch(long function, Grid g, long stream, Object... args) {
        long need = bytes(args);
        try (Arena big = need > BUFFER_BYTES ? Arena.ofConfined() : null) {
            MemorySegment buf = big == null ? buffer : big.allocate(need, 16);
            write(buf, args);
            return (int) launch.invokeExact(MemorySegment.ofAddress(function), g.x(), g.y(), g.z(), g.block(), 1, 1, g.sharedBytes(),
                    MemorySegment.ofAddress(stream), buf, MemorySegment.NULL);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("[cuda] cuLaunchKernel: " + t, t);
        }
    }
}
