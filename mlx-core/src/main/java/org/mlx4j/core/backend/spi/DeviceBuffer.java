package org.mlx4j.core.backend.spi;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Device;

/**
 * Reference-counted memory owned by a backend: host memory for the CPU, device memory for a GPU.
 * Views share one buffer; each holder retains it once and releases it once.
 */
public interface DeviceBuffer {
    /** The device whose memory this is. */
    Device device();

    /** The memory as a host segment, or {@code null} when it is not visible to the host. */
    MemorySegment hostSegment();

    /** Adds a holder; returns this buffer. */
    DeviceBuffer retain();

    /** Drops a holder; the last one frees or caches the memory. */
    void release();
}
