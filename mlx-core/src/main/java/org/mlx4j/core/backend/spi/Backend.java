package org.mlx4j.core.backend.spi;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import org.mlx4j.core.Array;
import org.mlx4j.core.Device;

/**
 * A compute backend for one kind of device, found through {@link java.util.ServiceLoader}
 * (the CPU backend is built in). Backends are shaped for asynchronous devices: kernels are
 * submitted to a {@link Stream}, device memory is a {@link DeviceBuffer}, and data moves between
 * devices only through the explicit {@link #upload} and {@link #download} copies.
 *
 * <p>A backend must either compute a primitive or declare it in {@link #unsupported()}; the
 * conformance suite in tests/ holds every backend to that declaration.
 */
public interface Backend {
    /** A short name, e.g. {@code "cpu"} or {@code "cuda"}. */
    String name();

    /** The device type this backend serves. */
    Device.Type deviceType();

    /** True when the backend can run here (libraries and a device present). */
    boolean isAvailable();

    /** Why the backend is unavailable, or an empty string. */
    default String unavailableReason() { return ""; }

    /**
     * Lines a diagnostic report (such as {@code mlx4j doctor}) prints for this backend: libraries
     * found and where, versions, devices. Must not fail and must not need the device; empty by default.
     */
    default java.util.List<String> diagnostics() { return java.util.List.of(); }

    /** What the backend computes. */
    Capabilities capabilities();

    /** The default stream of device {@code index}. */
    default Stream defaultStream(int index) { return new Stream(new Device(deviceType(), index), 0); }

    /**
     * Computes {@code node} from its (already evaluated) inputs and stores the result with
     * {@link Array#setData}. On asynchronous devices the work may still be in flight on return.
     *
     * @throws UnsupportedOperationException naming the primitive and the backend when there is no kernel
     */
    void eval(Array node, Stream stream);

    /** Names of primitives ({@link org.mlx4j.core.primitive.Primitive#name()}) this backend declares unsupported. */
    Set<String> unsupported();

    /**
     * Whether this backend computes {@code p}. The default consults {@link #unsupported()}; either way
     * {@link #eval} must compute every primitive for which this returns true and throw
     * {@link UnsupportedOperationException} for the others (the conformance suite checks both).
     */
    default boolean supports(org.mlx4j.core.primitive.Primitive p) { return !unsupported().contains(p.name()); }

    /** Waits until all work submitted to {@code stream} has finished. */
    default void synchronize(Stream stream) {}

    /** Copies {@code bytes} host bytes into new device memory of {@code device}. */
    DeviceBuffer upload(MemorySegment host, long bytes, Device device);

    /** Copies {@code dst.byteSize()} bytes from {@code src} at {@code byteOffset} into host memory. */
    void download(DeviceBuffer src, long byteOffset, MemorySegment dst);
}
