package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.core.backend.spi.DeviceBuffer;
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

    static void view(Array node, ArrayData src, long offset, long[] strides) {
        DeviceBuffer b = src.buffer().retain();
        node.setData(ArrayData.view(b, offset, strides, node.shape()));
    }

    static void same(Array node) {
        ArrayData d = node.input(0).data();
        view(node, d, d.offset(), d.strides());
    }

    static void broadcast(Array node) {
        Array x = node.input(0);
        ArrayData d = x.data();
        int[] out = node.shape().dims(), in = x.shape().dims();
        int lead = out.length - in.length;
        long[] st = new long[out.length];
        for (int i = lead; i < out.length; i++) {
            st[i] = in[i - lead] == 1 && out[i] != 1 ? 0 : d.strides()[i - lead];
        }
        view(node, d, d.offset(), st);
    }

    static void reshape(Array node) {
        Array x = node.input(0);
        ArrayData d = x.data();
        if (d.rowContiguous()) {
            view(node, d, d.offset(), node.shape().strides());
        } else {
            ArrayData c = CpuElementwise.denseCopy(x);
            node.setData(ArrayData.contiguous(c.buffer(), node.shape()));
        }
    }

    static void transpose(Array node) {
        ArrayData d = node.input(0).data();
        int[] perm = ((Transpose) node.primitive()).perm();
        long[] st = new long[perm.length];
        for (int i = 0; i < perm.length; i++) st[i] = d.strides()[perm[i]];
        view(node, d, d.offset(), st);
    }

    static void slice(Array node) {
        ArrayData d = node.input(0).data();
        Slice s = (Slice) node.primitive();
        long off = d.offset();
        long[] st = new long[s.start().length];
        for (int i = 0; i < st.length; i++) {
            if (node.shape().dims()[i] > 0) off += (long) s.start()[i] * d.strides()[i];
            st[i] = d.strides()[i] * s.step()[i];
        }
        if (node.size() == 0) off = d.offset();
        view(node, d, off, st);
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
                MemorySegment from = span.segment(), to = b.segment();
                int[] idx = new int[dims.length];
                long off = d.offset() - lo;
                for (long i = 0, n = x.size(); i < n; i++) {
                    MemorySegment.copy(from, off * es, to, i * es, es);
                    for (int k = dims.length - 1; k >= 0; k--) {
                        if (++idx[k] < dims[k]) {
                            off += st[k];
                            break;
                        }
                        off -= st[k] * (dims[k] - 1);
                        idx[k] = 0;
                    }
                }
            } finally {
                span.release();
            }
        }
        node.setData(ArrayData.contiguous(b, node.shape()));
    }
}
