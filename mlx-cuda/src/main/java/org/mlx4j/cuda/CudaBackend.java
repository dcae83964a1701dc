package org.mlx4j.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.mlx4j.core.Array;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Capabilities;
import org.mlx4j.core.backend.spi.DeviceBuffer;
import org.mlx4j.core.backend.spi.Stream;
import org.mlx4j.core.primitive.Primitive;
import org.mlx4j.core.primitive.ToDevice;
import org.mlx4j.cuda.kernel.Compilers;

/**
 * The CUDA backend: computes on {@code Device.gpu(i)} for NVIDIA GPUs. Found through ServiceLoader;
 * the constructor loads nothing. The first question about availability probes, in order, the driver
 * (libcuda.so.1, through JCuda), a device, NVRTC (kernels) and cuBLASLt (matmul); any missing piece
 * makes the backend report itself unavailable with a reason naming what was searched, and programs
 * run on the CPU instead of failing.
 *
 * <p>Work is queued on one stream per device; host reads synchronize. Primitives without a CUDA
 * kernel are declared in {@link #unsupported()} and throw {@link UnsupportedOperationException} naming
 * the primitive; there is no silent fallback to the CPU.
 */
public final class CudaBackend implements Backend {
    private static final Logger LOG = LogManager.getLogger(CudaBackend.class);

    private final CudaKernels kernels = CudaKernels.standard();
    private volatile Probe probe;

    /** Made by ServiceLoader; loads nothing until first asked. */
    public CudaBackend() {}

    /** The result of the availability probe: a runtime, or why there is none. */
    private record Probe(CudaRuntime runtime, String reason) {}

    private Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (this) {
                if (probe == null) probe = open();
                p = probe;
            }
        }
        return p;
    }

    private static Probe open() {
        if (Boolean.getBoolean("mlx4j.cuda.disable")) return new Probe(null, "disabled by -Dmlx4j.cuda.disable=true");
        String driver = CudaProbe.driverMissing();
        if (driver != null) return new Probe(null, driver);
        try {
            int count = CudaProbe.deviceCount();
            if (count == 0) return new Probe(null, "the NVIDIA driver reports no CUDA device");
            String libs = CudaProbe.librariesMissing();
            if (libs != null) return new Probe(null, libs);
            return new Probe(new CudaRuntime(0, Compilers::forDevice), "");
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("CUDA probe failed", e);
            return new Probe(null, "CUDA initialization failed: " + e.getMessage());
        }
    }

    /** The runtime of GPU {@code index}. */
    CudaRuntime runtime(int index) {
        Probe p = probe();
        if (p.runtime == null) throw new IllegalStateException("[cuda] backend unavailable: " + p.reason);
        if (index != 0) throw new UnsupportedOperationException("[cuda] only GPU 0 is supported for now; got " + Device.gpu(index));
        return p.runtime;
    }

    @Override public String name() { return "cuda"; }

    @Override public Device.Type deviceType() { return Device.Type.GPU; }

    @Override public boolean isAvailable() { return probe().runtime != null; }

    @Override public String unavailableReason() { return probe().reason; }

    /** float64 works (slowly on most GPUs); float16 and bfloat16 compute in float32. */
    @Override public Capabilities capabilities() { return new Capabilities(true, true, true); }

    /** The kernel table (for the conformance suite): needs no GPU. */
    public CudaKernels kernels() { return kernels; }

    @Override public void eval(Array node, Stream stream) {
        Primitive p = node.primitive();
        CudaKernels.Kernel k = kernels.get(p.getClass());
        if (k == null) {
            String why = kernels.unsupported().get(p.name());
            throw new UnsupportedOperationException("[cuda] no kernel for primitive " + p.name()
                    + (why != null ? ": " + why : "") + ". Compute it on the CPU with MX.toDevice(x, Device.cpu()).");
        }
        CudaRuntime rt = runtime(node.device().index());
        for (int i = 0, n = node.inputCount(); i < n; i++) {
            Array in = node.input(i);
            if (!in.isEvaluated()) throw new IllegalStateException("[cuda] input " + i + " of " + p.name() + " is not evaluated");
            if (!in.device().equals(node.device()) && !(p instanceof ToDevice)) {
                throw new IllegalArgumentException("[" + p.name() + "] input " + i + " is on " + in.device() + ", not " + node.device() + "; use MX.toDevice.");
            }
        }
        CudaRuntime.computing(p.name() + " " + node.shape() + " " + node.dtype());
        k.eval(node, rt);
    }

    @Override public Set<String> unsupported() { return kernels.unsupported().keySet(); }

    @Override public void synchronize(Stream stream) { runtime(stream.device().index()).synchronize(); }

    @Override public DeviceBuffer upload(MemorySegment host, long bytes, Device device) {
        return runtime(device.index()).upload(host, bytes);
    }

    @Override public void download(DeviceBuffer src, long byteOffset, MemorySegment dst) {
        CudaBuffer b = (CudaBuffer) src;
        runtime(b.device().index()).download(b, byteOffset, dst);
    }

    @Override public List<String> diagnostics() {
        List<String> out = new ArrayList<>();
        Probe p = probe;
        if (p != null && p.runtime != null) {
            CudaRuntime rt = p.runtime;
            out.add(String.format(java.util.Locale.ROOT, "device 0: %s, sm_%d, %.1f GiB", rt.name(), rt.computeCapability(), rt.totalMemory() / 1073741824.0));
            out.add("kernels: " + rt.compiler().describe() + "; launched by " + rt.launchPath());
        }
        out.addAll(CudaProbe.libraryReport());
        if (!CudnnConv.counts().isEmpty()) out.add("convolutions so far: " + CudnnConv.counts());
        out.add("kernels declared unsupported on CUDA: " + (kernels.unsupported().isEmpty() ? "none" : String.join(", ", kernels.unsupported().keySet())));
        return out;
    }

    /**
     * How many convolutions each path has computed since start: {@code "cudnn FORWARD"},
     * {@code "cudnn BACKWARD_DATA"}, {@code "cudnn BACKWARD_FILTER"} and {@code "im2col"} (paths not
     * taken yet are absent). For tests and diagnostics.
     */
    public java.util.Map<String, Long> convolutionCounts() { return CudnnConv.counts(); }

    /** Whether cuDNN computes convolutions on GPU 0 (false when unavailable, absent or switched off). */
    public boolean cudnnAvailable() { return isAvailable() && CudnnConv.available(runtime(0)); }

    /** Bytes held by live GPU buffers on GPU 0 (0 when the backend is unavailable). */
    public long activeMemory() { return isAvailable() ? runtime(0).allocator().activeMemory() : 0; }

    /** Highest active GPU bytes since start or the last reset. */
    public long peakMemory() { return isAvailable() ? runtime(0).allocator().peakMemory() : 0; }

    /** GPU bytes cached for reuse. */
    public long cacheMemory() { return isAvailable() ? runtime(0).allocator().cacheMemory() : 0; }

    /** Sets the GPU memory limit; returns the previous one. */
    public long setMemoryLimit(long bytes) { return runtime(0).allocator().setMemoryLimit(bytes); }

    /** Returns cached GPU blocks to the driver. */
    public void clearCache() { if (isAvailable()) runtime(0).allocator().clearCache(); }
}
