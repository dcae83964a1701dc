package org.mlx4j.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import org.mlx4j.core.Array;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Capabilities;
import org.mlx4j.core.backend.spi.DeviceBuffer;
import org.mlx4j.core.backend.spi.Stream;

/** The CUDA backend (work in progress: reports itself unavailable until the runtime lands). */
public final class CudaBackend implements Backend {
    /** Made by ServiceLoader; loads nothing until first asked. */
    public CudaBackend() {}

    @Override public String name() { return "cuda"; }
    @Override public Device.Type deviceType() { return Device.Type.GPU; }
    @Override public boolean isAvailable() { return false; }
    @Override public String unavailableReason() { return "not built yet"; }
    @Override public Capabilities capabilities() { return new Capabilities(true, true, true); }
    @Override public void eval(Array node, Stream stream) { throw new UnsupportedOperationException("[cuda] unavailable"); }
    @Override public Set<String> unsupported() { return Set.of(); }
    @Override public DeviceBuffer upload(MemorySegment host, long bytes, Device device) { throw new UnsupportedOperationException("[cuda] unavailable"); }
    @Override public void download(DeviceBuffer src, long byteOffset, MemorySegment dst) { throw new UnsupportedOperationException("[cuda] unavailable"); }
}
