package org.mlx4j.core.memory;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference-counted block of host memory from the {@link Allocator}.
 *
 * <p>Views (transpose, broadcast, slices) share one buffer; each holder calls {@link #retain()}
 * and {@link #release()}. When the count reaches zero the block goes back to the allocator's cache.
 */
public final class Buffer implements org.mlx4j.core.backend.spi.DeviceBuffer {
    private final MemorySegment segment;
    private final long capacity;
    private final AtomicInteger refs = new AtomicInteger(1);

    Buffer(MemorySegment segment, long capacity) {
        this.segment = segment;
        this.capacity = capacity;
    }

    /** The memory, sized to the requested byte count. */
    public MemorySegment segment() { return segment; }

    /** Bytes reserved (the size class), at least {@code segment().byteSize()}. */
    public long capacity() { return capacity; }

    @Override public MemorySegment hostSegment() { return segment; }

    @Override public org.mlx4j.core.Device device() { return org.mlx4j.core.Device.cpu(); }

    /** Adds a holder. */
    @Override public Buffer retain() {
        int r = refs.getAndIncrement();
        if (r <= 0) throw new IllegalStateException("[buffer] retain after free");
        return this;
    }

    /** Drops a holder; the last one returns the memory to the allocator. */
    @Override public void release() {
        int r = refs.decrementAndGet();
        if (r == 0) Allocator.global().free(this);
        else if (r < 0) throw new IllegalStateException("[buffer] released more often than retained");
    }

    /** Current number of holders (for tests and diagnostics). */
    public int refCount() { return refs.get(); }
}
