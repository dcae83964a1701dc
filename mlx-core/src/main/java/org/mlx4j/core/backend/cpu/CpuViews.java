package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.core.backend.spi.DeviceBuffer;
import org.mlx4j.core.backend.spi.Views;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.BroadcastTo;
import org.mlx4j.core.primitive.Identity;
import org.mlx4j.core.primitive.Reshape;
import org.mlx4j.core.primitive.Slice;
import org.mlx4j.core.primitive.SliceUpdate;
import org.mlx4j.core.primitive.StopGradient;
import org.mlx4j.core.primitive.ToDevice;
import org.mlx4j.core.primitive.Transpose;

/** CPU kernels that make views (no copy) or move memory: broadcast, reshape, transpose, slice, copies. */
final class CpuViews {
    private CpuViews() {}

    static void register(CpuBackend.Registry r) {
        r.put(BroadcastTo.class, CpuViews::broadcast);
        r.put(Reshape.class, CpuViews::reshape);
        r.put(Transpose.class, CpuViews::transpose);
        r.put(Slice.class, CpuViews::slice);
        r.put(Identity.class, CpuViews::same);
        r.put(StopGradient.class, CpuViews::same);
        r.put(org.mlx4j.core.primitive.CustomGradient.class, CpuViews::same);
        r.put(SliceUpdate.class, CpuViews::sliceUpdate);
        r.put(ToDevice.class, CpuViews::toDevice);
    }

    static void same(Array node) {
        node.setData(Views.same(node.input(0).data(), node.shape()));
    }

    static void broadcast(Array node) {
        node.setData(Views.broadcast(node.input(0).data(), node.input(0).shape(), node.shape()));
    }

    static void reshape(Array node) {
        Array x = node.input(0);
        ArrayData d = x.data();
        if (d.rowContiguous()) {
            node.setData(Views.view(d, d.offset(), node.shape().strides(), node.shape()));
        } else {
            ArrayData c = CpuElementwise.denseCopy(x);
            node.setData(ArrayData.contiguous(c.buffer(), node.shape()));
        }
    }

    static void transpose(Array node) {
        node.setData(Views.transpose(node.input(0).data(), ((Transpose) node.primitive()).perm(), node.shape()));
    }

    static void slice(Array node) {
        node.setData(Views.slice(node.input(0).data(), (Slice) node.primitive(), node.shape()));
    }

    static void sliceUpdate(Array node) {
        Array x = node.input(0), u = node.input(1);
        SliceUpdate s = (SliceUpdate) node.primitive();
        ArrayData base = CpuElementwise.denseCopy(x);
        MemorySegment os = base.buffer().hostSegment();
        ArrayData ud = u.data();
        MemorySegment us = ud.buffer().hostSegment();
        int es = x.dtype().size();
        long[] xs = x.shape().strides();
        long off = 0;
        long[] st = new long[xs.length];
        for (int i = 0; i < xs.length; i++) {
            off += (long) s.start()[i] * xs[i];
            st[i] = xs[i] * s.step()[i];
        }
        if (u.size() > 0) {
            ElementwiseLoop.run(u.shape().dims(), new long[][] {st, ud.strides()}, new long[] {off, ud.offset()}, (o, stride, len) -> {
                for (int i = 0; i < len; i++) {
                    MemorySegment.copy(us, (o[1] + i * stride[1]) * es, os, (o[0] + i * stride[0]) * es, es);
                }
            });
        }
        node.setData(base);
    }

    static void toDevice(Array node) {
        Array x = node.input(0);
        Backend src = Backends.forDevice(x.device());
        src.synchronize(src.defaultStream(x.device().index()));
        ArrayData d = x.data();
        long bytes = x.nbytes();
        int es = x.dtype().size();
        Buffer b = Allocator.global().allocate(bytes);
        if (d.rowContiguous() || x.size() == 0) {
            src.download(d.buffer(), d.offset() * es, b.segment().asSlice(0, bytes));
        } else {
            // a device view (transpose, slice, broadcast): one download of the span it covers, then
            // the strided walk on the host, so no device kernel is needed for the copy
            int[] dims = x.shape().dims();
            long[] st = d.strides();
            long lo = d.offset(), hi = d.offset();
            for (int i = 0; i < dims.length; i++) {
                long reach = st[i] * (dims[i] - 1);
                if (reach < 0) lo += reach;
                else hi += reach;
            }
            Buffer span = Allocator.global().allocate((hi - lo + 1) * es);
            try {
                src.download(d.buffer(), lo * es, span.segment().asSlice(0, (hi - lo + 1) * es));
                Views.gather(span.segment(), d.offset() - lo, st, dims, es, b.segment());
            } finally {
                span.release();
            }
        }
        node.setData(ArrayData.contiguous(b, node.shape()));
    }
}
