package org.mlx4j.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.cuda.kernel.KernelCompiler;
import org.mlx4j.cuda.kernel.KernelSource;
import org.mlx4j.cuda.kernel.KernelSpec;

/**
 * One GPU as the backend drives it, through JCuda's driver API: the primary context, one stream that
 * all work is queued on (so stream order is the only ordering needed), the caching allocator, and
 * the table of loaded kernel modules. Work is asynchronous; the host waits only in
 * {@link #synchronize()} and the downloads behind sync points.
 *
 * <p>Errors: every driver call is checked, and a failure becomes a {@link CudaException} naming the
 * CUDA error and the primitive being computed. Launch errors are reported by the driver at the next
 * synchronization; with {@code -Dmlx4j.cuda.sync=true} every launch synchronizes, so the exception
 * names exactly the failing primitive.
 */
public final class CudaRuntime {
    private static final Logger LOG = LogManager.getLogger(CudaRuntime.class);
    private static final boolean SYNC_EACH = Boolean.getBoolean("mlx4j.cuda.sync");
    private static final ThreadLocal<String> CURRENT = ThreadLocal.withInitial(() -> "(no primitive)");

    private final int index;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final RawStream stream = new RawStream();
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final CudaAllocator allocator;
    private final KernelCompiler compiler;
    private final Map<KernelSpec, CUmodule> modules = new ConcurrentHashMap<>();
    private final Map<KernelSpec, Map<String, CUfunction>> functions = new ConcurrentHashMap<>();
    private final int ccMajor;
    private final int ccMinor;
    private final String name;
    private final long totalMemory;
    /**
     * Whether blocks come from the driver's stream-ordered pool; off where the device lacks pools,
     * with {@code -Dmlx4j.cuda.streamOrderedAlloc=false}, or after the pool refused its first
     * allocation as unsupported (some virtualized drivers).
     */
    private volatile boolean streamOrdered;
    /** Blocks taken from the stream-ordered pool so far: the switch back to cuMemAlloc is safe only before the first. */
    private long pooledBlocks;
    // the last launch, for the message of an asynchronous failure found at the next synchronization
    private volatile String lastPrimitive = "(nothing yet)", lastEntry = "";
    /** cuLaunchKernel through java.lang.foreign, or null for JCuda's launch. */
    private final FfmLauncher ffm = FfmLauncher.forDriver();
    /** Uploads up to this size are memsets (see {@link #upload}). */
    static final long SMALL_UPLOAD = 16;

    /**
     * Opens GPU {@code index}: retains its primary context, creates the stream and the allocator.
     *
     * @param compilerFactory makes the kernel compiler for the device's compute capability
     * @throws CudaException when the driver refuses
     */
    CudaRuntime(int index, java.util.function.BiFunction<Integer, Integer, KernelCompiler> compilerFactory) {
        this.index = index;
        check(cuDeviceGet(device, index), "cuDeviceGet(" + index + ")");
        check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        check(cuStreamCreate(stream, jcuda.driver.CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        ccMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        ccMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        streamOrdered = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED) != 0
                && !"false".equalsIgnoreCase(System.getProperty("mlx4j.cuda.streamOrderedAlloc", "true").trim());
        byte[] nameBytes = new byte[256];
        check(cuDeviceGetName(nameBytes, nameBytes.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < nameBytes.length && nameBytes[len] != 0) len++;
        name = new String(nameBytes, 0, len, java.nio.charset.StandardCharsets.US_ASCII);
        long[] total = new long[1];
        check(cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
        totalMemory = total[0];
        // leave a little for the driver, cuBLASLt's workspace and cuDNN's
        allocator = new CudaAllocator(index, new DriverMemory(), (long) (totalMemory * 0.9));
        compiler = compilerFactory.apply(ccMajor, ccMinor);
        LOG.info("CUDA device {}: {} (sm_{}{}), {} MiB, stream-ordered allocation {}", index, name, ccMajor, ccMinor,
                totalMemory >> 20, streamOrdered ? "on" : "off");
    }

    /** The allocations underneath the cache: the driver's stream-ordered pool where supported. */
    private final class DriverMemory implements CudaAllocator.Driver {
        @Override public DevicePointer allocate(long bytes) {
            makeCurrent();
            DevicePointer p = new DevicePointer();
            int r = streamOrdered ? cuMemAllocAsync(p, bytes, stream) : cuMemAlloc(p, bytes);
            if (streamOrdered && pooledBlocks == 0 && r == jcuda.driver.CUresult.CUDA_ERROR_NOT_SUPPORTED) {
                LOG.warn("CUDA device {}: the stream-ordered pool is not supported here (cuMemAllocAsync: CUDA_ERROR_NOT_SUPPORTED); using cuMemAlloc", index);
                streamOrdered = false;
                r = cuMemAlloc(p, bytes);
            }
            if (r == jcuda.driver.CUresult.CUDA_ERROR_OUT_OF_MEMORY) return null;
            if (r == 0 && streamOrdered) pooledBlocks++;
            check(r, streamOrdered ? "cuMemAllocAsync(" + bytes + ")" : "cuMemAlloc(" + bytes + ")");
            return p;
        }

        @Override public void free(DevicePointer block) {
            makeCurrent();
            check(streamOrdered ? cuMemFreeAsync(block, stream) : cuMemFree(block), "cuMemFree");
        }
    }

    private int attribute(int attr) {
        int[] v = new int[1];
        check(cuDeviceGetAttribute(v, attr, device), "cuDeviceGetAttribute(" + attr + ")");
        return v[0];
    }

    /** Makes the primary context current on the calling thread (once per thread). */
    void makeCurrent() {
        if (!current.get()) {
            check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            current.set(Boolean.TRUE);
        }
    }

    /** Names the primitive being computed on this thread, for error messages. */
    static void computing(String primitive) { CURRENT.set(primitive); }

    /** Throws a {@link CudaException} unless {@code result} is {@code CUDA_SUCCESS}. */
    static void check(int result, String call) {
        if (result == 0) return;
        String[] n = new String[1];
        String errorName = cuGetErrorName(result, n) == 0 && n[0] != null ? n[0] : "CUresult " + result;
        throw new CudaException(result, errorName, call + " while computing " + CURRENT.get());
    }

    /** The device ordinal. */
    public int index() { return index; }

    /** The device's name, e.g. {@code NVIDIA H200}. */
    public String name() { return name; }

    /** Compute capability as {@code major * 10 + minor}, e.g. 90. */
    public int computeCapability() { return ccMajor * 10 + ccMinor; }

    /** Total device memory in bytes. */
    public long totalMemory() { return totalMemory; }

    /** The caching allocator. */
    public CudaAllocator allocator() { return allocator; }

    /** What compiles kernels. */
    public KernelCompiler compiler() { return compiler; }

    /** The stream's raw handle, for cuBLASLt and cuDNN. */
    public long streamHandle() { return stream.address(); }

    /** Uninitialized device memory for {@code bytes} bytes (at least one block). */
    public CudaBuffer allocate(long bytes) {
        makeCurrent();
        return allocator.allocate(bytes);
    }

    /** The device address of {@code a}'s first element (its buffer plus its offset). */
    public static Ptr ptr(Array a) {
        ArrayData d = a.data();
        return new Ptr(((CudaBuffer) d.buffer()).address() + d.offset() * a.dtype().size());
    }

    /**
     * Queues kernel {@code entry} of the module {@code spec} compiles to. Arguments, in the kernel's
     * order: {@link Ptr} or {@link CudaBuffer} (a pointer), {@link Long} ({@code long long}),
     * {@link Integer} ({@code int}), {@link Float}, {@link Double}, {@link Layout} (the struct, by value).
     */
    public void launch(KernelSpec spec, String entry, Grid grid, Object... args) {
        makeCurrent();
        CUfunction f = function(spec, entry);
        lastPrimitive = CURRENT.get();
        lastEntry = entry;
        int r;
        if (ffm != null) {
            r = ffm.launch(((RawFunction) f).address(), grid, stream.address(), args);
        } else {
            Pointer[] params = new Pointer[args.length];
            for (int i = 0; i < args.length; i++) params[i] = param(args[i], entry, i);
            r = cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), grid.block(), 1, 1, grid.sharedBytes(), stream, Pointer.to(params), null);
        }
        check(r, "cuLaunchKernel " + entry);
        if (SYNC_EACH) synchronize();
    }

    private static Pointer param(Object a, String entry, int i) {
        return switch (a) {
            case Ptr p -> Pointer.to(new long[] {p.address()});
            case CudaBuffer b -> Pointer.to(new long[] {b.address()});
            case Long l -> Pointer.to(new long[] {l});
            case Integer v -> Pointer.to(new int[] {v});
            case Float v -> Pointer.to(new float[] {v});
            case Double v -> Pointer.to(new double[] {v});
            case Layout l -> Pointer.to(l.pack());
            default -> throw new IllegalArgumentException("[cuda] kernel " + entry + " argument " + i + ": unsupported type " + a.getClass().getSimpleName());
        };
    }

    private CUfunction function(KernelSpec spec, String entry) {
        Map<String, CUfunction> fs = functions.computeIfAbsent(spec, s -> new ConcurrentHashMap<>());
        CUfunction f = fs.get(entry);
        if (f != null) return f;
        CUmodule m = modules.computeIfAbsent(spec, this::load);
        CUfunction nf = new RawFunction();
        check(cuModuleGetFunction(nf, m, entry), "cuModuleGetFunction(" + entry + ") in " + spec.label());
        fs.put(entry, nf);
        return nf;
    }

    private CUmodule load(KernelSpec spec) {
        byte[] image = compiler.compile(KernelSource.text(spec), spec.label());
        CUmodule m = new CUmodule();
        check(cuModuleLoadData(m, image), "cuModuleLoadData " + spec.label());
        return m;
    }

    /** How kernels are launched, for diagnostics. */
    public String launchPath() { return ffm != null ? "cuLaunchKernel through java.lang.foreign" : "JCuda cuLaunchKernel"; }

    /** Waits for all queued work; reports a failed launch with the last primitive queued. */
    public void synchronize() {
        makeCurrent();
        int r = cuStreamSynchronize(stream);
        if (r != 0) check(r, "cuStreamSynchronize after " + lastPrimitive + " (" + lastEntry + ")");
    }

    /** Copies {@code bytes} host bytes into a new device buffer (queued; the host memory may be reused on return). */
    public CudaBuffer upload(MemorySegment host, long bytes) {
        CudaBuffer b = allocate(bytes);
        if (bytes > 0 && bytes <= SMALL_UPLOAD) {
            // scalars (a learning rate, a constant of an op) are written by memsets, which the stream
            // runs in order without the host staging and waiting a pageable copy costs
            for (long at = 0; at < bytes; ) {
                if (bytes - at >= 4) {
                    int word = host.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, at);
                    check(cuMemsetD32Async(b.pointer.withByteOffset(at), word, 1, stream), "cuMemsetD32Async");
                    at += 4;
                } else {
                    check(cuMemsetD8Async(b.pointer.withByteOffset(at), host.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at), 1, stream), "cuMemsetD8Async");
                    at += 1;
                }
            }
            return b;
        }
        if (bytes > 0) check(cuMemcpyHtoDAsync(b.pointer, hostPointer(host, bytes), bytes, stream), "cuMemcpyHtoDAsync(" + bytes + ")");
        // pageable host memory is staged by the driver before the call returns, except for heap segments we pass by array
        if (!host.isNative()) synchronize();
        return b;
    }

    /** Copies device bytes into {@code dst}, waiting for the stream first (a sync point). */
    public void download(CudaBuffer src, long byteOffset, MemorySegment dst) {
        long n = dst.byteSize();
        synchronize();
        if (n == 0) return;
        if (dst.isNative()) {
            check(cuMemcpyDtoH(hostPointer(dst, n), src.pointer.withByteOffset(byteOffset), n), "cuMemcpyDtoH(" + n + ")");
        } else {
            byte[] tmp = new byte[Math.toIntExact(n)];
            check(cuMemcpyDtoH(Pointer.to(tmp), src.pointer.withByteOffset(byteOffset), n), "cuMemcpyDtoH(" + n + ")");
            MemorySegment.copy(MemorySegment.ofArray(tmp), 0, dst, 0, n);
        }
    }

    private static Pointer hostPointer(MemorySegment s, long bytes) {
        if (s.isNative()) {
            ByteBuffer bb = s.asSlice(0, bytes).asByteBuffer();
            return Pointer.to(bb);
        }
        return Pointer.to(s.asSlice(0, bytes).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    /** Queues {@code bytes} zero bytes at {@code dst + byteOffset}. */
    public void zero(CudaBuffer dst, long byteOffset, long bytes) {
        if (bytes == 0) return;
        makeCurrent();
        check(cuMemsetD8Async(dst.pointer.withByteOffset(byteOffset), (byte) 0, bytes, stream), "cuMemsetD8Async(" + bytes + ")");
    }

    /** Queues a device-to-device copy. */
    public void copy(CudaBuffer dst, long dstOffset, CudaBuffer src, long srcOffset, long bytes) {
        if (bytes == 0) return;
        makeCurrent();
        check(cuMemcpyDtoDAsync(dst.pointer.withByteOffset(dstOffset), src.pointer.withByteOffset(srcOffset), bytes, stream),
                "cuMemcpyDtoDAsync(" + bytes + ")");
    }

    @Override public String toString() { return "CudaRuntime[" + index + ": " + name + ", sm_" + ccMajor + ccMinor + "]"; }
}
