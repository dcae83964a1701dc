package org.mlx4j.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.mlx4j.core.memory.Allocator;

/**
 * The caching device allocator. Sizes round up to a class (quarter steps between powers of two, so
 * at most 25% is wasted); freed blocks wait in per-class free lists and serve later requests of the
 * same class without a driver call. Underneath, memory comes from the driver's stream-ordered pool
 * ({@code cuMemAllocAsync}) where the device supports it, else {@code cuMemAlloc}. All work runs on one
 * stream, so a block reused from the cache is ordered after every kernel that used it before.
 *
 * <p>Statistics and limit mirror the CPU allocator: active, peak and cached bytes, a memory limit
 * (beyond it the cache is emptied, then the JVM is asked to drop unreachable arrays, then the
 * allocation fails with {@code CUDA_ERROR_OUT_OF_MEMORY}), and a cache limit.
 */
public final class CudaAllocator {
    /** Smallest block: 512 bytes keeps every block aligned for any vector load. */
    static final long MIN_BLOCK = 512;

    /** The driver calls underneath, so the caching logic is testable without a GPU. */
    interface Driver {
        DevicePointer allocate(long bytes);   // null when the device is out of memory
        void free(DevicePointer block);
    }

    private final int deviceIndex;
    private final Driver driver;
    private final Map<Long, ArrayDeque<DevicePointer>> cache = new HashMap<>();
    private long active;
    private long peak;
    private long cached;
    private long memoryLimit;
    private long cacheLimit;

    CudaAllocator(int deviceIndex, Driver driver, long memoryLimit) {
        this.deviceIndex = deviceIndex;
        this.driver = driver;
        this.memoryLimit = memoryLimit;
        this.cacheLimit = memoryLimit;
    }

    int deviceIndex() { return deviceIndex; }

    /** The block size serving a request of {@code bytes}: 512, then quarter steps between powers of two. */
    static long sizeClass(long bytes) {
        if (bytes <= MIN_BLOCK) return MIN_BLOCK;
        long p = Long.highestOneBit(bytes - 1); // p < bytes <= 2p
        long q = Math.max(p / 4, MIN_BLOCK);
        return (bytes + q - 1) / q * q;
    }

    /** A block of at least {@code bytes}; contents undefined; reference count one. */
    CudaBuffer allocate(long bytes) {
        long cls = sizeClass(bytes);
        DevicePointer addr = null;
        synchronized (this) {
            ArrayDeque<DevicePointer> q = cache.get(cls);
            if (q != null && !q.isEmpty()) {
                addr = q.pop();
                cached -= cls;
            } else if (active + cached + cls > memoryLimit) {
                clearCacheLocked();
            }
        }
        if (addr == null && active + cls > memoryLimit) {
            // arrays the program dropped still hold blocks until their references are processed
            Allocator.global().collect();
        }
        if (addr == null) addr = driver.allocate(cls);
        if (addr == null) {
            clearCache();
            Allocator.global().collect();
            addr = driver.allocate(cls);
        }
        if (addr == null) {
            throw new CudaException(2, "CUDA_ERROR_OUT_OF_MEMORY", "could not allocate " + cls + " bytes on GPU " + deviceIndex
                    + " (active " + active + ", cached " + cached + ", limit " + memoryLimit + " bytes)");
        }
        synchronized (this) {
            active += cls;
            peak = Math.max(peak, active);
        }
        return new CudaBuffer(this, addr, cls, bytes);
    }

    void free(CudaBuffer b) {
        long cls = b.capacity();
        boolean toDriver;
        synchronized (this) {
            active -= cls;
            toDriver = cached + cls > cacheLimit;
            if (!toDriver) {
                cache.computeIfAbsent(cls, k -> new ArrayDeque<>()).push(b.pointer);
                cached += cls;
            }
        }
        if (toDriver) driver.free(b.pointer);
    }

    /** Returns every cached block to the driver. */
    public void clearCache() {
        synchronized (this) {
            clearCacheLocked();
        }
    }

    private void clearCacheLocked() {
        for (ArrayDeque<DevicePointer> q : cache.values()) {
            while (!q.isEmpty()) driver.free(q.pop());
        }
        cache.clear();
        cached = 0;
    }

    /** Bytes held by live buffers. */
    public synchronized long activeMemory() { return active; }

    /** The highest active bytes since start or the last reset. */
    public synchronized long peakMemory() { return peak; }

    /** Starts a new peak window. */
    public synchronized void resetPeakMemory() { peak = active; }

    /** Bytes kept in the cache for reuse. */
    public synchronized long cacheMemory() { return cached; }

    /** Sets the memory limit; returns the previous one. */
    public synchronized long setMemoryLimit(long bytes) {
        long old = memoryLimit;
        memoryLimit = bytes;
        return old;
    }

    /** Sets the cache limit; returns the previous one. */
    public synchronized long setCacheLimit(long bytes) {
        long old = cacheLimit;
        cacheLimit = bytes;
        if (cached > cacheLimit) clearCacheLocked();
        return old;
    }
}
