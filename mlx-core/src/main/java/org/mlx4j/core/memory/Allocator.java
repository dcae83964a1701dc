package org.mlx4j.core.memory;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The caching host allocator behind every CPU buffer.
 *
 * <p>Memory comes from the C library ({@code aligned_alloc}/{@code free}) through java.lang.foreign,
 * so freeing is immediate and never waits for a garbage collection. Freed blocks are cached by size
 * class and reused; statistics follow MLX: active, peak and cached bytes.
 *
 * <p>Arrays the program drops without closing are found through phantom references, which this
 * class drains on every allocation. Because the JVM does not see off-heap memory, the allocator
 * also reacts to pressure the way {@code java.nio} does for direct buffers: when active memory
 * passes a threshold it asks for a collection once and drains what it finds, then sets the next
 * threshold to what is still live plus the larger of that and 64 MiB.
 */
public final class Allocator {
    private static final Allocator GLOBAL = new Allocator();
    private static final long ALIGN = 64;
    private static final long PAGE = 16384;
    private static final long MIN_GC_THRESHOLD = Long.getLong("mlx4j.gcThresholdBytes", 64L << 20);

    private final MethodHandle alignedAlloc;
    private final MethodHandle free;
    private final Map<Long, ArrayDeque<MemorySegment>> cache = new HashMap<>();
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    /** Head of the intrusive list that keeps the phantom references reachable (cheaper than a set). */
    private final Tracked trackedHead = new Tracked(null, null, () -> { });
    private long active;
    private long peak;
    private long cached;
    private long memoryLimit = Long.MAX_VALUE;
    private long cacheLimit = Long.getLong("mlx4j.cacheLimitBytes", 2L << 30);
    private long gcThreshold = MIN_GC_THRESHOLD;

    private Allocator() {
        Linker linker = Linker.nativeLinker();
        var lookup = linker.defaultLookup();
        alignedAlloc = linker.downcallHandle(lookup.find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        free = linker.downcallHandle(lookup.find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    /** The process-wide allocator. */
    public static Allocator global() { return GLOBAL; }

    static long sizeClass(long bytes) {
        if (bytes <= 0) return ALIGN;
        if (bytes <= PAGE) return Long.highestOneBit(bytes - 1) << 1 < ALIGN ? ALIGN : Long.highestOneBit(bytes - 1) << 1;
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    /**
     * A buffer of at least {@code bytes} bytes, contents undefined, reference count one.
     *
     * @throws OutOfMemoryError when the C library has no memory left even after the cache is cleared
     */
    public Buffer allocate(long bytes) {
        drainQueue();
        long cls = sizeClass(bytes);
        MemorySegment seg = null;
        boolean collect;
        synchronized (this) {
            ArrayDeque<MemorySegment> q = cache.get(cls);
            if (q != null && !q.isEmpty()) {
                seg = q.pop();
                cached -= cls;
            }
            if (seg == null && active + cls > memoryLimit) clearCacheLocked();
            collect = active + cls > gcThreshold || active + cls > memoryLimit;
        }
        if (collect) relievePressure();
        if (seg == null) seg = mallocOrRetry(cls);
        synchronized (this) {
            active += cls;
            peak = Math.max(peak, active);
        }
        return new Buffer(seg.reinterpret(Math.max(bytes, 0)), cls);
    }

    private MemorySegment mallocOrRetry(long cls) {
        MemorySegment seg = malloc(cls);
        if (seg.address() == 0) {
            clearCache();
            collect();
            seg = malloc(cls);
            if (seg.address() == 0) throw new OutOfMemoryError("[malloc] could not allocate " + cls + " bytes of host memory");
        }
        return seg.reinterpret(cls);
    }

    private MemorySegment malloc(long bytes) {
        try {
            return (MemorySegment) alignedAlloc.invokeExact(ALIGN, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("[malloc] aligned_alloc failed", t);
        }
    }

    void free(Buffer b) {
        long cls = b.capacity();
        MemorySegment seg = MemorySegment.ofAddress(b.segment().address()).reinterpret(cls);
        boolean toOs;
        synchronized (this) {
            active -= cls;
            toOs = cached + cls > cacheLimit;
            if (!toOs) {
                cache.computeIfAbsent(cls, k -> new ArrayDeque<>()).push(seg);
                cached += cls;
            }
        }
        if (toOs) osFree(seg);
    }

    private void osFree(MemorySegment seg) {
        try {
            free.invokeExact(seg);
        } catch (Throwable t) {
            throw new IllegalStateException("[free] failed", t);
        }
    }

    /**
     * Asks the JVM for a collection and releases the buffers of arrays it found unreachable. Waits
     * for a sentinel reference so the threshold is computed from what is really still live. The next
     * threshold lets garbage grow to the live memory or {@code mlx4j.gcThresholdBytes} (64 MiB by
     * default), whichever is larger, so collections get rarer as the working set grows.
     */
    private void relievePressure() {
        Object sentinel = new Object();
        Tracked s = new Tracked(sentinel, queue, () -> { });
        link(s);
        sentinel = null;
        System.gc();
        long deadline = System.nanoTime() + 200_000_000L;
        try {
            boolean seen = false;
            while (System.nanoTime() < deadline) {
                // after the sentinel, keep draining until the reference handler has been quiet for 10 ms
                Reference<?> r = queue.remove(seen ? 10 : 5);
                if (r == null) {
                    if (seen) break;
                    continue;
                }
                release((Tracked) r);
                if (r == s) seen = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainQueue();
        synchronized (this) {
            gcThreshold = active + Math.max(MIN_GC_THRESHOLD, active);
        }
    }

    private int drainQueue() {
        int n = 0;
        Reference<?> r;
        while ((r = queue.poll()) != null) {
            release((Tracked) r);
            n++;
        }
        return n;
    }

    private void release(Tracked t) {
        if (unlink(t)) t.action.run();
    }

    private void link(Tracked t) {
        synchronized (trackedHead) {
            t.next = trackedHead.next;
            t.prev = trackedHead;
            if (trackedHead.next != null) trackedHead.next.prev = t;
            trackedHead.next = t;
        }
    }

    /** Removes {@code t}; false when it was already removed (its action has run). */
    private boolean unlink(Tracked t) {
        synchronized (trackedHead) {
            if (t.prev == null) return false;
            t.prev.next = t.next;
            if (t.next != null) t.next.prev = t.prev;
            t.prev = null;
            t.next = null;
            return true;
        }
    }

    /**
     * Runs {@code action} once after {@code owner} becomes unreachable; the action must not refer to
     * the owner. Used by arrays to release their buffers when the program drops them.
     *
     * @return a handle whose {@link Runnable#run()} runs the action now (at most once overall)
     */
    public Runnable track(Object owner, Runnable action) {
        Tracked t = new Tracked(owner, queue, action);
        link(t);
        return () -> release(t);
    }

    private static final class Tracked extends PhantomReference<Object> {
        final Runnable action;
        Tracked prev;
        Tracked next;

        Tracked(Object referent, ReferenceQueue<Object> q, Runnable action) {
            super(referent, q);
            this.action = action;
        }
    }

    /** Bytes held by live buffers. */
    public synchronized long activeMemory() { return active; }

    /** The highest {@link #activeMemory()} since start or the last {@link #resetPeakMemory()}. */
    public synchronized long peakMemory() { return peak; }

    /** Resets the peak to the current active memory. */
    public synchronized void resetPeakMemory() { peak = active; }

    /** Bytes kept in the cache for reuse. */
    public synchronized long cacheMemory() { return cached; }

    /** Sets the soft limit on active memory; returns the previous one. */
    public synchronized long setMemoryLimit(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("[setMemoryLimit] limit must be positive, got " + bytes + ".");
        long old = memoryLimit;
        memoryLimit = bytes;
        return old;
    }

    /** Sets how many bytes the cache may hold; returns the previous value. */
    public synchronized long setCacheLimit(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("[setCacheLimit] limit must be non-negative, got " + bytes + ".");
        long old = cacheLimit;
        cacheLimit = bytes;
        return old;
    }

    /** Returns every cached block to the C library. */
    public void clearCache() {
        synchronized (this) {
            clearCacheLocked();
        }
    }

    private void clearCacheLocked() {
        for (ArrayDeque<MemorySegment> q : cache.values()) {
            for (MemorySegment s : q) osFree(s);
        }
        cache.clear();
        cached = 0;
    }

    /** Releases the buffers of arrays the program has dropped, after asking the JVM for a collection. */
    public void collect() { relievePressure(); }
}
