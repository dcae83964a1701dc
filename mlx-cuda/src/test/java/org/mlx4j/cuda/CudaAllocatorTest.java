package org.mlx4j.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caching logic of the device allocator, over a fake driver (no GPU needed). */
class CudaAllocatorTest {
    /** Counts driver calls; refuses beyond {@code capacity} bytes like a full device. */
    static final class FakeDriver implements CudaAllocator.Driver {
        final long capacity;
        long used;
        final List<Long> allocations = new ArrayList<>();
        int frees;
        private final java.util.IdentityHashMap<DevicePointer, Long> sizes = new java.util.IdentityHashMap<>();

        FakeDriver(long capacity) { this.capacity = capacity; }

        @Override public DevicePointer allocate(long bytes) {
            if (used + bytes > capacity) return null;
            used += bytes;
            allocations.add(bytes);
            DevicePointer p = new DevicePointer();
            sizes.put(p, bytes);
            return p;
        }

        @Override public void free(DevicePointer block) {
            used -= sizes.remove(block);
            frees++;
        }
    }

    @Test
    void sizeClassesWasteAtMostAQuarter() {
        assertEquals(512, CudaAllocator.sizeClass(0));
        assertEquals(512, CudaAllocator.sizeClass(1));
        assertEquals(512, CudaAllocator.sizeClass(512));
        assertEquals(1024, CudaAllocator.sizeClass(513));
        for (long b = 513; b < 50_000_000; b = b * 13 / 10 + 7) {
            long c = CudaAllocator.sizeClass(b);
            assertTrue(c >= b && c % 512 == 0, b + " -> " + c);
            assertTrue(c - b <= b / 4 + 512, "too much waste: " + b + " -> " + c);
        }
        assertEquals(5L << 20, CudaAllocator.sizeClass((4L << 20) + 1));
    }

    @Test
    void releasedBlocksAreReusedWithoutTheDriver() {
        FakeDriver d = new FakeDriver(1 << 30);
        CudaAllocator a = new CudaAllocator(0, d, 1 << 30);
        CudaBuffer b1 = a.allocate(1000);
        assertEquals(1024, a.activeMemory());
        b1.release();
        assertEquals(0, a.activeMemory());
        assertEquals(1024, a.cacheMemory());
        CudaBuffer b2 = a.allocate(900); // same class
        assertEquals(1, d.allocations.size(), "served from the cache");
        assertSame(b1.pointer, b2.pointer);
        CudaBuffer b3 = a.allocate(5000);
        assertEquals(2, d.allocations.size());
        assertEquals(1024 + 5120, a.peakMemory());
        b2.release();
        b3.release();
        a.clearCache();
        assertEquals(0, d.used, "clearCache returns every block");
        assertEquals(0, a.cacheMemory());
    }

    @Test
    void referenceCountsAreChecked() {
        CudaAllocator a = new CudaAllocator(0, new FakeDriver(1 << 20), 1 << 20);
        CudaBuffer b = a.allocate(10);
        b.retain();
        b.release();
        assertEquals(512, a.activeMemory(), "still held once");
        b.release();
        assertEquals(0, a.activeMemory());
        assertThrows(IllegalStateException.class, b::release);
        assertThrows(IllegalStateException.class, b::retain);
    }

    @Test
    void aFullDeviceEmptiesTheCacheThenFailsWithTheCudaErrorName() {
        FakeDriver d = new FakeDriver(4096);
        CudaAllocator a = new CudaAllocator(0, d, 1 << 30);
        CudaBuffer small = a.allocate(2048);
        small.release(); // cached: the driver still holds 2048
        CudaBuffer big = a.allocate(4096); // needs the cached bytes back
        assertEquals(4096, big.capacity());
        assertEquals(0, a.cacheMemory());
        CudaException e = assertThrows(CudaException.class, () -> a.allocate(4096));
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
        assertTrue(e.getMessage().contains("4096") && e.getMessage().contains("GPU 0"), e.getMessage());
    }

    @Test
    void theCacheLimitSendsBlocksBackToTheDriver() {
        FakeDriver d = new FakeDriver(1 << 30);
        CudaAllocator a = new CudaAllocator(0, d, 1 << 30);
        a.setCacheLimit(1024);
        CudaBuffer x = a.allocate(1024), y = a.allocate(1024);
        x.release();
        y.release();
        assertEquals(1024, a.cacheMemory());
        assertEquals(1, d.frees);
    }
}
