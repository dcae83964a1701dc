package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.ReduceOp;
import org.mlx4j.core.primitive.Scan;
import org.mlx4j.core.primitive.ScanOp;

/**
 * Scans (cumsum, cumprod, cummax, cummin, logcumsumexp) on dense data seen as (outer, n, inner)
 * around the scanned axis. When inner is 1 each line is scanned sequentially, lines in parallel;
 * otherwise float32 sum/prod/max/min step whole rows at once ({@code out[i] = op(out[i-1], x[i])})
 * with vector ops, in parallel over outer indices and column blocks. float32 accumulates in float
 * (like MLX); integers in long (wrapping like C on store); other floating dtypes in double.
 */
final class CpuScan {
    private CpuScan() {}

    static void register(CpuBackend.Registry r) {
        r.put(Scan.class, CpuScan::scan);
    }

    private static final int COL_BLOCK = 1024;

    static void scan(Array node) {
        Scan p = (Scan) node.primitive();
        Array x = node.input(0);
        Buffer ob = CpuElementwise.alloc(node);
        if (node.size() == 0) {
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        ArrayData xd = TiledCopy.dense(x);
        MemorySegment xs = xd.buffer().hostSegment(), os = ob.segment();
        long xo = xd.offset();
        int[] d = x.shape().dims();
        int ax = p.axis(), n = d[ax];
        long outer = x.size() / ((long) n * innerSize(d, ax)), inner = innerSize(d, ax);
        DType t = x.dtype();
        ScanOp op = p.op();
        boolean rev = p.reverse(), incl = p.inclusive();
        long lineLen = (long) n * inner;
        if (inner > 1 && t == DType.FLOAT32 && op != ScanOp.LOGADDEXP && Simd.ENABLED) {
            ReduceOp rop = switch (op) {
                case SUM -> ReduceOp.SUM;
                case PROD -> ReduceOp.PROD;
                case MAX -> ReduceOp.MAX;
                default -> ReduceOp.MIN;
            };
            float id = (float) identityDouble(op);
            long nCol = (inner + COL_BLOCK - 1) / COL_BLOCK;
            Parallel.forRange(outer * nCol, Math.max(1, (1 << 15) / Math.max(1, (long) n * Math.min(inner, COL_BLOCK))), (a, b) -> {
                for (long task = a; task < b; task++) {
                    long o = task / nCol;
                    long c0 = (task % nCol) * COL_BLOCK;
                    int len = (int) Math.min(COL_BLOCK, inner - c0);
                    long base = o * lineLen + c0;
                    for (int s = 0; s < n; s++) {
                        int i = rev ? n - 1 - s : s;
                        long out = base + i * inner;
                        if (s == 0) {
                            if (incl) MemorySegment.copy(xs, (xo + out) * 4, os, out * 4, len * 4L);
                            else for (int j = 0; j < len; j++) os.setAtIndex(Elem.F32, out + j, id);
                            continue;
                        }
                        int prevI = rev ? i + 1 : i - 1;
                        long prev = base + prevI * inner;
                        // inclusive: out[i] = op(out[prev], x[i]); exclusive: out[i] = op(out[prev], x[prev])
                        long src = incl ? out : prev;
                        VecReduce.stepRow(rop, os, prev, xs, xo + src, os, out, len);
                    }
                }
            });
        } else {
            long lines = outer * inner;
            Parallel.forRange(lines, Math.max(1, (1 << 14) / n), (a, b) -> {
                for (long l = a; l < b; l++) {
                    long o = l / inner, k = l % inner;
                    long off = o * lineLen + k;
                    line(op, t, xs, xo + off, os, off, inner, n, rev, incl);
                }
            });
        }
        if (xd != x.data()) xd.buffer().release();
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }

    private static long innerSize(int[] d, int ax) {
        long p = 1;
        for (int i = ax + 1; i < d.length; i++) p *= d[i];
        return p;
    }

    /** Scans one line of {@code n} elements with {@code stride} (input from xOff, output from oOff). */
    static void line(ScanOp op, DType t, MemorySegment xs, long xOff, MemorySegment os, long oOff, long stride, int n,
                     boolean rev, boolean incl) {
        long start = rev ? (n - 1) * stride : 0, step = rev ? -stride : stride;
        if (t == DType.FLOAT32) {
            float acc = (float) identityDouble(op);
            long p = start;
            for (int s = 0; s < n; s++, p += step) {
                float v = xs.getAtIndex(Elem.F32, xOff + p);
                if (!incl) os.setAtIndex(Elem.F32, oOff + p, acc);
                acc = switch (op) {
                    case SUM -> acc + v;
                    case PROD -> acc * v;
                    case MAX -> Math.max(acc, v);
                    case MIN -> Math.min(acc, v);
                    case LOGADDEXP -> (float) logaddexp(acc, v);
                };
                if (incl) os.setAtIndex(Elem.F32, oOff + p, acc);
            }
        } else if (t == DType.FLOAT64 || t.isFloating()) {
            boolean f64 = t == DType.FLOAT64;
            double acc = identityDouble(op);
            long p = start;
            for (int s = 0; s < n; s++, p += step) {
                double v = f64 ? xs.getAtIndex(Elem.F64, xOff + p) : Elem.getDouble(t, xs, xOff + p);
                if (!incl) store(t, os, oOff + p, acc);
                acc = switch (op) {
                    case SUM -> acc + v;
                    case PROD -> acc * v;
                    case MAX -> Math.max(acc, v);
                    case MIN -> Math.min(acc, v);
                    case LOGADDEXP -> logaddexp(acc, v);
                };
                if (incl) store(t, os, oOff + p, acc);
            }
        } else {
            long acc = identityLong(op, t);
            long p = start;
            for (int s = 0; s < n; s++, p += step) {
                long v = Elem.getLong(t, xs, xOff + p);
                if (!incl) Elem.setLong(t, os, oOff + p, acc);
                acc = switch (op) {
                    case SUM -> acc + v;
                    case PROD -> acc * v;
                    case MAX -> Math.max(acc, v);
                    case MIN -> Math.min(acc, v);
                    case LOGADDEXP -> throw new IllegalStateException("[logcumsumexp] integral dtype " + t.mlxName());
                };
                if (incl) Elem.setLong(t, os, oOff + p, acc);
            }
        }
    }

    private static void store(DType t, MemorySegment os, long i, double v) {
        if (t == DType.FLOAT64) os.setAtIndex(Elem.F64, i, v);
        else Elem.setDouble(t, os, i, v);
    }

    /** log(e^a + e^b) without overflow; -inf is the identity, NaN propagates. */
    static double logaddexp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        if (a == b) return a + Math.log(2); // also +inf with +inf
        double m = Math.max(a, b);
        return m + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    static double identityDouble(ScanOp op) {
        return switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX, LOGADDEXP -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    /** The identity of an integral scan: the dtype's lowest (max) or highest (min) value. */
    static long identityLong(ScanOp op, DType t) {
        return switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX, LOGADDEXP -> switch (t) {
                case BOOL, UINT8, UINT32 -> 0;
                case INT8 -> Byte.MIN_VALUE;
                case INT16 -> Short.MIN_VALUE;
                case INT32 -> Integer.MIN_VALUE;
                default -> Long.MIN_VALUE;
            };
            case MIN -> switch (t) {
                case BOOL -> 1;
                case UINT8 -> 255;
                case UINT32 -> 0xffffffffL;
                case INT8 -> Byte.MAX_VALUE;
                case INT16 -> Short.MAX_VALUE;
                case INT32 -> Integer.MAX_VALUE;
                default -> Long.MAX_VALUE;
            };
        };
    }
}
