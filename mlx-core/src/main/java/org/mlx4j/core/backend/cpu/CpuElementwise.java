package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Allocator;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.AsType;
import org.mlx4j.core.primitive.Binary;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.Unary;
import org.mlx4j.core.primitive.UnaryOp;

/** CPU kernels of the unary and binary families, where, astype and copy. */
final class CpuElementwise {
    private CpuElementwise() {}

    static Buffer alloc(Array node) { return Allocator.global().allocate(node.size() * node.dtype().size()); }

    static MemorySegment seg(Array a) { return a.data().buffer().hostSegment(); }

    static void register(CpuBackend.Registry r) {
        r.put(Unary.class, CpuElementwise::unary);
        r.put(Binary.class, CpuElementwise::binary);
        r.put(org.mlx4j.core.primitive.Where.class, CpuElementwise::where);
        r.put(AsType.class, CpuElementwise::astype);
        r.put(org.mlx4j.core.primitive.Copy.class, CpuElementwise::copy);
    }

    // ------------------------------------------------------------------ layout

    /**
     * The strides the output should take so the kernel can walk every operand as one flat run: when
     * each input is either a broadcast scalar (all strides 0) or dense in the same non-row-major
     * order (a transposed weight's gradient, an optimizer state that followed it), the output takes
     * that order too, as MLX does, instead of being walked element by element through strides.
     * Returns {@code null} when the row-major walk applies.
     */
    static long[] sharedDenseLayout(Array node, Array... inputs) {
        long[] shared = null;
        for (Array in : inputs) {
            ArrayData d = in.data();
            if (isBroadcastScalar(d.strides())) continue;
            if (d.rowContiguous() || !in.shape().equals(node.shape())) return null;
            if (shared == null) {
                if (!isDensePermutation(node.shape().dims(), d.strides())) return null;
                shared = d.strides();
            } else if (!java.util.Arrays.equals(shared, d.strides())) {
                return null;
            }
        }
        return shared;
    }

    private static boolean isBroadcastScalar(long[] strides) {
        for (long s : strides) if (s != 0) return false;
        return true;
    }

    /** True when the strides (all non-negative) cover exactly {@code prod(dims)} elements without gaps. */
    static boolean isDensePermutation(int[] dims, long[] strides) {
        int n = dims.length;
        Integer[] axes = new Integer[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (dims[i] == 0) return false;
            if (dims[i] > 1) {
                if (strides[i] <= 0) return false;
                axes[m++] = i;
            }
        }
        java.util.Arrays.sort(axes, 0, m, (a, b) -> Long.compare(strides[a], strides[b]));
        long expect = 1;
        for (int k = 0; k < m; k++) {
            if (strides[axes[k]] != expect) return false;
            expect *= dims[axes[k]];
        }
        return true;
    }

    /**
     * A full-shape operand whose layout would force the scalar strided loop (a transposed gradient
     * meeting a row-major parameter) is first copied row-major by the tiled transpose: one fast copy
     * instead of an element-by-element walk. Others are returned as they are.
     */
    private static ArrayData denseIfStrided(Array x, Array node) {
        ArrayData d = x.data();
        if (d.rowContiguous() || x.size() < 4096 || !x.shape().equals(node.shape())) return d;
        int[] dims = x.shape().dims();
        long[] st = d.strides();
        for (int i = 0; i < dims.length; i++) if (dims[i] > 1 && st[i] == 0) return d; // broadcast: walked with stride 0
        return TiledCopy.dense(x);
    }

    /** Walk strides for a flat run: 1 for the operands in the shared layout, 0 for broadcast scalars. */
    private static long[][] flatStrides(Array... inputs) {
        long[][] st = new long[inputs.length + 1][];
        st[0] = new long[] {1};
        for (int i = 0; i < inputs.length; i++) st[i + 1] = new long[] {isBroadcastScalar(inputs[i].data().strides()) ? 0 : 1};
        return st;
    }

    // ------------------------------------------------------------------ unary

    static void unary(Array node) {
        UnaryOp op = ((Unary) node.primitive()).op();
        Array x = node.input(0);
        ArrayData xd = x.data();
        Buffer ob = alloc(node);
        MemorySegment xs = seg(x), os = ob.segment();
        DType it = x.dtype(), ot = node.dtype();
        long[] layout = sharedDenseLayout(node, x);
        long[][] strides = layout == null ? new long[][] {node.shape().strides(), xd.strides()} : flatStrides(x);
        int[] dims = layout == null ? node.shape().dims() : new int[] {Math.toIntExact(node.size())};
        long[] offs = {0, xd.offset()};
        if (it == DType.FLOAT32 && ot == DType.FLOAT32) {
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                if (st[1] == 1 && Simd.ENABLED && VecF32.unaryOp(op, xs, off[1], os, off[0], len)) return;
                for (int i = 0; i < len; i++) {
                    os.setAtIndex(Elem.F32, off[0] + i, (float) ScalarMath.unaryF32(op, xs.getAtIndex(Elem.F32, off[1] + i * st[1])));
                }
            });
        } else if (it == DType.FLOAT64 && ot == DType.FLOAT64) {
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                for (int i = 0; i < len; i++) {
                    os.setAtIndex(Elem.F64, off[0] + i, ScalarMath.unary(op, xs.getAtIndex(Elem.F64, off[1] + i * st[1])));
                }
            });
        } else if (it.isIntegral() && (op == UnaryOp.ABS || op == UnaryOp.NEGATIVE || op == UnaryOp.SIGN
                || op == UnaryOp.SQUARE || op == UnaryOp.BITWISE_INVERT || op == UnaryOp.LOGICAL_NOT)) {
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                for (int i = 0; i < len; i++) {
                    long v = Elem.getLong(it, xs, off[1] + i * st[1]);
                    long r = switch (op) {
                        case ABS -> Math.abs(v);
                        case NEGATIVE -> -v;
                        case SIGN -> Long.signum(v);
                        case SQUARE -> v * v;
                        case BITWISE_INVERT -> ~v;
                        default -> v == 0 ? 1 : 0;
                    };
                    Elem.setLong(ot, os, off[0] + i, r);
                }
            });
        } else {
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                for (int i = 0; i < len; i++) {
                    double v = Elem.getDouble(it, xs, off[1] + i * st[1]);
                    Elem.setDouble(ot, os, off[0] + i, ot == DType.FLOAT64 ? ScalarMath.unary(op, v) : ScalarMath.unaryF32(op, v));
                }
            });
        }
        node.setData(layout == null ? ArrayData.contiguous(ob, node.shape()) : new ArrayData(ob, 0, layout, false));
    }

    // ------------------------------------------------------------------ binary

    static void binary(Array node) {
        BinaryOp op = ((Binary) node.primitive()).op();
        Array a = node.input(0), b = node.input(1);
        DType it = a.dtype(), ot = node.dtype();
        long[] layout = sharedDenseLayout(node, a, b);
        boolean vec = layout == null && it == DType.FLOAT32 && ot == DType.FLOAT32 && Simd.ENABLED;
        ArrayData ad = vec ? denseIfStrided(a, node) : a.data(), bd = vec ? denseIfStrided(b, node) : b.data();
        Buffer ob = alloc(node);
        MemorySegment as = ad.buffer().hostSegment(), bs = bd.buffer().hostSegment(), os = ob.segment();
        long[][] strides = layout == null ? new long[][] {node.shape().strides(), ad.strides(), bd.strides()} : flatStrides(a, b);
        long[] offs = {0, ad.offset(), bd.offset()};
        int[] dims = layout == null ? node.shape().dims() : new int[] {Math.toIntExact(node.size())};
        if (it == DType.FLOAT32 && ot == DType.FLOAT32) {
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                if (Simd.ENABLED && st[1] <= 1 && st[2] <= 1 && (st[1] | st[2]) != 0
                        && VecF32.binaryOp(op, as, off[1], st[1], bs, off[2], st[2], os, off[0], len)) {
                    return;
                }
                for (int i = 0; i < len; i++) {
                    float x = as.getAtIndex(Elem.F32, off[1] + i * st[1]), y = bs.getAtIndex(Elem.F32, off[2] + i * st[2]);
                    os.setAtIndex(Elem.F32, off[0] + i, (float) ScalarMath.binary(op, x, y));
                }
            });
        } else if (it == DType.FLOAT32 && ot == DType.BOOL && op.ordinal() >= BinaryOp.EQUAL.ordinal() && op.ordinal() <= BinaryOp.GREATER_EQUAL.ordinal()) {
            // comparisons make the masks of max/min/relu gradients: one monomorphic loop per op
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                if (Simd.ENABLED && VecMask.compare(op, as, off[1], st[1], bs, off[2], st[2], os, off[0], len)) return;
                compareF32(op, as, off[1], st[1], bs, off[2], st[2], os, off[0], len);
            });
        } else if (it == DType.FLOAT64 && ot == DType.FLOAT64) {
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                for (int i = 0; i < len; i++) {
                    double x = as.getAtIndex(Elem.F64, off[1] + i * st[1]), y = bs.getAtIndex(Elem.F64, off[2] + i * st[2]);
                    os.setAtIndex(Elem.F64, off[0] + i, ScalarMath.binary(op, x, y));
                }
            });
        } else if (it.isIntegral() && op != BinaryOp.LOGADDEXP && op != BinaryOp.ARCTAN2 && op != BinaryOp.DIVIDE) {
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                for (int i = 0; i < len; i++) {
                    long x = Elem.getLong(it, as, off[1] + i * st[1]), y = Elem.getLong(it, bs, off[2] + i * st[2]);
                    Elem.setLong(ot, os, off[0] + i, ScalarMath.binaryLong(op, x, y));
                }
            });
        } else {
            ElementwiseLoop.run(dims, strides, offs, (off, st, len) -> {
                for (int i = 0; i < len; i++) {
                    double x = Elem.getDouble(it, as, off[1] + i * st[1]), y = Elem.getDouble(it, bs, off[2] + i * st[2]);
                    Elem.setDouble(ot, os, off[0] + i, ScalarMath.binary(op, x, y));
                }
            });
        }
        if (ad != a.data()) ad.buffer().release();
        if (bd != b.data()) bd.buffer().release();
        node.setData(layout == null ? ArrayData.contiguous(ob, node.shape()) : new ArrayData(ob, 0, layout, false));
    }

    private static void compareF32(BinaryOp op, MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, MemorySegment o, long oo, int len) {
        switch (op) {
            case EQUAL -> { for (int i = 0; i < len; i++) o.set(java.lang.foreign.ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) == b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0)); }
            case NOT_EQUAL -> { for (int i = 0; i < len; i++) o.set(java.lang.foreign.ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) != b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0)); }
            case LESS -> { for (int i = 0; i < len; i++) o.set(java.lang.foreign.ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) < b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0)); }
            case LESS_EQUAL -> { for (int i = 0; i < len; i++) o.set(java.lang.foreign.ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) <= b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0)); }
            case GREATER -> { for (int i = 0; i < len; i++) o.set(java.lang.foreign.ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) > b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0)); }
            case GREATER_EQUAL -> { for (int i = 0; i < len; i++) o.set(java.lang.foreign.ValueLayout.JAVA_BYTE, oo + i, (byte) (a.getAtIndex(Elem.F32, ao + i * as) >= b.getAtIndex(Elem.F32, bo + i * bs) ? 1 : 0)); }
            default -> throw new IllegalStateException("[compare] not a comparison: " + op);
        }
    }

    // ------------------------------------------------------------------ where, astype, copy

    static void where(Array node) {
        Array c = node.input(0), x = node.input(1), y = node.input(2);
        ArrayData cd = c.data(), xd = x.data(), yd = y.data();
        Buffer ob = alloc(node);
        MemorySegment cs = seg(c), xs = seg(x), ys = seg(y), os = ob.segment();
        int es = node.dtype().size();
        long[][] strides = {node.shape().strides(), cd.strides(), xd.strides(), yd.strides()};
        long[] offs = {0, cd.offset(), xd.offset(), yd.offset()};
        if (es == 4) { // float32/int32: element reads instead of one tiny memory copy per element
            ElementwiseLoop.run(node.shape().dims(), strides, offs, (off, st, len) -> {
                if (Simd.ENABLED && VecMask.where4(cs, off[1], st[1], xs, off[2], st[2], ys, off[3], st[3], os, off[0], len)) return;
                for (int i = 0; i < len; i++) {
                    boolean pick = cs.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off[1] + i * st[1]) != 0;
                    os.setAtIndex(Elem.I32, off[0] + i, pick ? xs.getAtIndex(Elem.I32, off[2] + i * st[2]) : ys.getAtIndex(Elem.I32, off[3] + i * st[3]));
                }
            });
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        ElementwiseLoop.run(node.shape().dims(), strides, offs, (off, st, len) -> {
            for (int i = 0; i < len; i++) {
                boolean pick = cs.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off[1] + i * st[1]) != 0;
                MemorySegment src = pick ? xs : ys;
                long so = pick ? off[2] + i * st[2] : off[3] + i * st[3];
                MemorySegment.copy(src, so * es, os, (off[0] + i) * es, es);
            }
        });
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    static void astype(Array node) {
        Array x = node.input(0);
        ArrayData xd = x.data();
        Buffer ob = alloc(node);
        MemorySegment xs = seg(x), os = ob.segment();
        DType it = x.dtype(), ot = node.dtype();
        long[][] strides = {node.shape().strides(), xd.strides()};
        long[] offs = {0, xd.offset()};
        boolean viaLong = it.isIntegral() && ot.isIntegral() || it.isIntegral() && it == DType.INT64;
        if (ot == DType.FLOAT32 && (it == DType.BOOL || it == DType.UINT8 || it == DType.INT32)) {
            // masks and labels to float32: the max/min gradients and accuracy counts take this path
            ElementwiseLoop.run(node.shape().dims(), strides, offs, (off, st, len) -> {
                if (it == DType.INT32) {
                    for (int i = 0; i < len; i++) os.setAtIndex(Elem.F32, off[0] + i, xs.getAtIndex(Elem.I32, off[1] + i * st[1]));
                } else {
                    for (int i = 0; i < len; i++) os.setAtIndex(Elem.F32, off[0] + i, xs.get(java.lang.foreign.ValueLayout.JAVA_BYTE, off[1] + i * st[1]) & 0xff);
                }
            });
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        ElementwiseLoop.run(node.shape().dims(), strides, offs, (off, st, len) -> {
            if (it == DType.FLOAT32 && ot == DType.FLOAT64) {
                for (int i = 0; i < len; i++) os.setAtIndex(Elem.F64, off[0] + i, xs.getAtIndex(Elem.F32, off[1] + i * st[1]));
            } else if (it == DType.FLOAT64 && ot == DType.FLOAT32) {
                for (int i = 0; i < len; i++) os.setAtIndex(Elem.F32, off[0] + i, (float) xs.getAtIndex(Elem.F64, off[1] + i * st[1]));
            } else if (ot == DType.BOOL) {
                for (int i = 0; i < len; i++) Elem.setLong(ot, os, off[0] + i, Elem.getDouble(it, xs, off[1] + i * st[1]) != 0 ? 1 : 0);
            } else if (viaLong) {
                for (int i = 0; i < len; i++) Elem.setLong(ot, os, off[0] + i, Elem.getLong(it, xs, off[1] + i * st[1]));
            } else {
                for (int i = 0; i < len; i++) Elem.setDouble(ot, os, off[0] + i, Elem.getDouble(it, xs, off[1] + i * st[1]));
            }
        });
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    /** A dense copy of input 0 (also used for Copy nodes). */
    static void copy(Array node) {
        node.setData(denseCopy(node.input(0)));
    }

    /** A new dense buffer holding {@code x}'s elements in row-major order. */
    static ArrayData denseCopy(Array x) {
        ArrayData xd = x.data();
        if (!xd.rowContiguous()) return TiledCopy.dense(x);
        int es = x.dtype().size();
        Buffer ob = Allocator.global().allocate(x.size() * es);
        MemorySegment.copy(seg(x), xd.offset() * es, ob.segment(), 0, x.size() * es);
        return ArrayData.contiguous(ob, x.shape());
    }

    /** A dense copy of a strided view, row by row (see {@link TiledCopy} for transposed views). */
    static ArrayData stridedCopy(Array x) {
        ArrayData xd = x.data();
        int es = x.dtype().size();
        Buffer ob = Allocator.global().allocate(x.size() * es);
        MemorySegment xs = seg(x), os = ob.segment();
        long[][] strides = {x.shape().strides(), xd.strides()};
        long[] offs = {0, xd.offset()};
        ElementwiseLoop.run(x.shape().dims(), strides, offs, (off, st, len) -> {
            if (st[1] == 1) {
                MemorySegment.copy(xs, off[1] * es, os, off[0] * es, (long) len * es);
            } else if (es == 4) {
                for (int i = 0; i < len; i++) os.setAtIndex(Elem.I32, off[0] + i, xs.getAtIndex(Elem.I32, off[1] + i * st[1]));
            } else if (es == 8) {
                for (int i = 0; i < len; i++) os.setAtIndex(Elem.I64, off[0] + i, xs.getAtIndex(Elem.I64, off[1] + i * st[1]));
            } else {
                for (int i = 0; i < len; i++) MemorySegment.copy(xs, (off[1] + i * st[1]) * es, os, (off[0] + i) * es, es);
            }
        });
        return ArrayData.contiguous(ob, x.shape());
    }

    /** {@code x}'s data when dense, else a dense copy (caller releases the returned buffer if it differs). */
    static ArrayData dense(Array x) { return TiledCopy.dense(x); }
}
