package org.mlx4j.cuda;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.core.backend.spi.DeviceBuffer;
import org.mlx4j.core.backend.spi.Views;
import org.mlx4j.core.primitive.BroadcastTo;
import org.mlx4j.core.primitive.Concatenate;
import org.mlx4j.core.primitive.CustomGradient;
import org.mlx4j.core.primitive.Diagonal;
import org.mlx4j.core.primitive.Identity;
import org.mlx4j.core.primitive.Reshape;
import org.mlx4j.core.primitive.Slice;
import org.mlx4j.core.primitive.SliceUpdate;
import org.mlx4j.core.primitive.StopGradient;
import org.mlx4j.core.primitive.ToDevice;
import org.mlx4j.core.primitive.Transpose;

/**
 * Views (no copy: broadcast, transpose, slice, diagonal, reshape of dense data, identities), the
 * copies that build one array from others (concatenate, slice update) and the explicit host-to-GPU
 * copy. The view arithmetic is the CPU's: offsets and strides in elements over a shared buffer.
 */
final class CudaViews {
    private CudaViews() {}

    static void register(CudaKernels t) {
        t.put(BroadcastTo.class, CudaViews::broadcast);
        t.put(Reshape.class, CudaViews::reshape);
        t.put(Transpose.class, CudaViews::transpose);
        t.put(Slice.class, CudaViews::slice);
        t.put(Diagonal.class, CudaViews::diagonal);
        t.put(Identity.class, CudaViews::same);
        t.put(StopGradient.class, CudaViews::same);
        t.put(CustomGradient.class, CudaViews::same);
        t.put(SliceUpdate.class, CudaViews::sliceUpdate);
        t.put(Concatenate.class, CudaViews::concatenate);
        t.put(ToDevice.class, CudaViews::toDevice);
    }

    static void view(Array node, ArrayData src, long offset, long[] strides) {
        node.setData(Views.view(src, offset, strides, node.shape()));
    }

    static void same(Array node, CudaRuntime rt) {
        node.setData(Views.same(node.input(0).data(), node.shape()));
    }

    static void broadcast(Array node, CudaRuntime rt) {
        node.setData(Views.broadcast(node.input(0).data(), node.input(0).shape(), node.shape()));
    }

    static void reshape(Array node, CudaRuntime rt) {
        Array x = node.input(0);
        ArrayData d = x.data();
        if (d.rowContiguous()) {
            view(node, d, d.offset(), node.shape().strides());
        } else {
            node.setData(ArrayData.contiguous(CudaElementwise.dense(rt, x), node.shape()));
        }
    }

    static void transpose(Array node, CudaRuntime rt) {
        node.setData(Views.transpose(node.input(0).data(), ((Transpose) node.primitive()).perm(), node.shape()));
    }

    static void slice(Array node, CudaRuntime rt) {
        node.setData(Views.slice(node.input(0).data(), (Slice) node.primitive(), node.shape()));
    }

    static void diagonal(Array node, CudaRuntime rt) {
        node.setData(Views.diagonal(node.input(0).data(), (Diagonal) node.primitive(), node.input(0).ndim(), node.shape()));
    }

    /** A dense copy of x with the update written through a strided view of the copy. */
    static void sliceUpdate(Array node, CudaRuntime rt) {
        Array x = node.input(0), u = node.input(1);
        SliceUpdate s = (SliceUpdate) node.primitive();
        CudaBuffer out = rt.allocate(node.nbytes());
        CudaElementwise.copyInto(rt, x, out.ptr(), Layout.contiguous(x.shape()));
        if (u.size() > 0) {
            long[] xs = x.shape().strides();
            long off = 0;
            long[] st = new long[xs.length];
            for (int i = 0; i < xs.length; i++) {
                off += (long) s.start()[i] * xs[i];
                st[i] = xs[i] * s.step()[i];
            }
            CudaElementwise.copyInto(rt, u, out.ptr().plus(off * x.dtype().size()), Layout.of(u.shape(), st));
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    /** Each input copied into its slab of the output. */
    static void concatenate(Array node, CudaRuntime rt) {
        int axis = ((Concatenate) node.primitive()).axis();
        CudaBuffer out = rt.allocate(node.nbytes());
        long[] ost = node.shape().strides();
        long at = 0;
        for (int k = 0, n = node.inputCount(); k < n; k++) {
            Array a = node.input(k);
            if (a.size() > 0) {
                CudaElementwise.copyInto(rt, a, out.ptr().plus(at * ost[axis] * node.dtype().size()), Layout.of(a.shape(), ost));
            }
            at += a.dim(axis);
        }
        node.setData(ArrayData.contiguous(out, node.shape()));
    }

    /**
     * The explicit copy onto this GPU: from the host (densified there first), or a view of the same
     * buffer when the array is already on this device.
     */
    static void toDevice(Array node, CudaRuntime rt) {
        Array x = node.input(0);
        ArrayData d = x.data();
        if (x.device().equals(node.device())) {
            view(node, d, d.offset(), d.strides());
            return;
        }
        if (x.device().type() != Device.Type.CPU) {
            throw new UnsupportedOperationException("[toDevice] copies between GPUs are not supported; got " + x.device() + " -> " + node.device()
                    + ". Go through the CPU: toDevice(toDevice(x, Device.cpu()), target).");
        }
        Backend cpu = Backends.cpu();
        cpu.synchronize(cpu.defaultStream(0));
        long bytes = x.nbytes();
        MemorySegment host = hostDense(x);
        DeviceBuffer b = rt.upload(host, bytes);
        node.setData(ArrayData.contiguous(b, node.shape()));
    }

    /** The host array's bytes in row-major order (a slice of its buffer when already dense). */
    static MemorySegment hostDense(Array x) {
        ArrayData d = x.data();
        int es = x.dtype().size();
        long n = x.size();
        MemorySegment s = d.buffer().hostSegment();
        if (d.rowContiguous()) return s.asSlice(d.offset() * es, n * es);
        MemorySegment out = java.lang.foreign.Arena.ofAuto().allocate(Math.max(1, n * es), 64);
        Views.gather(s, d.offset(), d.strides(), x.shape().dims(), es, out);
        return out;
    }
}
