package org.mlx4j.cuda;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.DeviceBuffer;

/**
 * Device memory from the {@link CudaAllocator}: reference-counted, returned to the allocator's cache
 * by the last release (from any thread; the allocator makes the context current).
 */
public final class CudaBuffer implements DeviceBuffer {
    private final CudaAllocator allocator;
    final DevicePointer pointer;
    private final long capacity;
    private final long bytes;
    private final AtomicInteger refs = new AtomicInteger(1);

    CudaBuffer(CudaAllocator allocator, DevicePointer pointer, long capacity, long bytes) {
        this.allocator = allocator;
        this.pointer = pointer;
        this.capacity = capacity;
        this.bytes = bytes;
    }

    /** The device address of byte 0. */
    public long address() { return pointer.address(); }

    /** The address as a kernel argument. */
    public Ptr ptr() { return new Ptr(address()); }

    /** Bytes asked for. */
    public long byteSize() { return bytes; }

    /** Bytes reserved (the size class). */
    long capacity() { return capacity; }

    @Override public Device device() { return Device.gpu(allocator.deviceIndex()); }

    /** Device memory is not visible to the host: always {@code null}. */
    @Override public MemorySegment hostSegment() { return null; }

    @Override public DeviceBuffer retain() {
        if (refs.getAndIncrement() <= 0) throw new IllegalStateException("[cuda] retain of a released buffer");
        return this;
    }

    @Override public void release() {
        int r = refs.decrementAndGet();
        if (r == 0) allocator.free(this);
        else if (r < 0) throw new IllegalStateException("[cuda] buffer released twice");
    }
}
