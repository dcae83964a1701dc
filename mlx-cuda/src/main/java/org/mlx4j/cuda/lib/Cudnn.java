package org.mlx4j.cuda.lib;

import static org.mlx4j.cuda.lib.NativeLib.ADDR;
import static org.mlx4j.cuda.lib.NativeLib.INT;
import static org.mlx4j.cuda.lib.NativeLib.SIZE_T;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import org.mlx4j.cuda.CudaException;

/**
 * cuDNN 9 ({@code libcudnn.so.9}) through {@code java.lang.foreign}: the handle and its stream. The
 * signatures are those of {@code cudnn_graph.h} (cuDNN 9): {@code size_t cudnnGetVersion(void)},
 * {@code cudnnStatus_t cudnnCreate(cudnnHandle_t*)}, {@code cudnnDestroy(cudnnHandle_t)},
 * {@code cudnnSetStream(cudnnHandle_t, cudaStream_t)}, {@code const char* cudnnGetErrorString(cudnnStatus_t)};
 * {@code CUDNN_STATUS_SUCCESS} is 0. Handles are raw addresses ({@code long}).
 */
public final class Cudnn {
    private final NativeLib lib;
    private final NativeLib.Fn getVersion, create, destroy, setStream, getErrorString;

    private Cudnn(NativeLib lib) {
        this.lib = lib;
        getVersion = lib.fn("cudnnGetVersion", FunctionDescriptor.of(SIZE_T));
        create = lib.fn("cudnnCreate", FunctionDescriptor.of(INT, ADDR));
        destroy = lib.fn("cudnnDestroy", FunctionDescriptor.of(INT, ADDR));
        setStream = lib.fn("cudnnSetStream", FunctionDescriptor.of(INT, ADDR, ADDR));
        getErrorString = lib.fn("cudnnGetErrorString", FunctionDescriptor.of(ADDR, INT));
    }

    /**
     * Finds and loads cuDNN.
     *
     * @throws IllegalStateException naming what was searched, or why the library could not be loaded
     */
    public static Cudnn load(LibrarySearch search) {
        return new Cudnn(NativeLib.open(search, CudaLibrary.CUDNN));
    }

    /** The loaded file. */
    public String path() { return lib.where(); }

    /** {@code cudnnGetVersion()}: {@code major * 10000 + minor * 100 + patch} for cuDNN 9, e.g. 90100. */
    public long version() {
        try {
            return (long) getVersion.handle().invokeExact();
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** The version as text, e.g. {@code 9.1.0}. */
    public String versionString() {
        long v = version();
        return (v / 10000) + "." + (v % 10000 / 100) + "." + (v % 100);
    }

    /**
     * A new handle (it binds to the device current on the calling thread).
     *
     * @throws CudaException when cuDNN refuses (e.g. no device: {@code CUDNN_STATUS_NOT_INITIALIZED})
     */
    public long createHandle() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDR);
            check((int) create.handle().invokeExact(out), "cudnnCreate");
            return out.get(ADDR, 0).address();
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** Destroys a handle from {@link #createHandle()}. */
    public void destroyHandle(long handle) {
        try {
            check((int) destroy.handle().invokeExact(MemorySegment.ofAddress(handle)), "cudnnDestroy");
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** Makes the handle queue its work on {@code stream} (a raw {@code CUstream}; 0 = the legacy default stream). */
    public void setStream(long handle, long stream) {
        try {
            check((int) setStream.handle().invokeExact(MemorySegment.ofAddress(handle), MemorySegment.ofAddress(stream)), "cudnnSetStream");
        } catch (Throwable t) {
            throw NativeLib.rethrow(t);
        }
    }

    /** cuDNN's text for a status, e.g. {@code CUDNN_STATUS_BAD_PARAM}. */
    public String errorString(int status) {
        try {
            String s = NativeLib.cString((MemorySegment) getErrorString.handle().invokeExact(status));
            return s != null ? s : "cudnnStatus " + status;
        } catch (Throwable t) {
            return "cudnnStatus " + status;
        }
    }

    /** Throws a {@link CudaException} with cuDNN's name for {@code status} unless it is success. */
    public void check(int status, String call) {
        if (status != 0) throw new CudaException(status, errorString(status), call);
    }

    @Override public String toString() { return "cuDNN (" + path() + ")"; }
}
