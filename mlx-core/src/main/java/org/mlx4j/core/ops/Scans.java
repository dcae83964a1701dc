package org.mlx4j.core.ops;

import java.util.Locale;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.Scan;
import org.mlx4j.core.primitive.ScanOp;

/** Cumulative ops along an axis: cumsum, cumprod, cummax, cummin, logcumsumexp. See {@link org.mlx4j.core.MX}. */
public final class Scans {
    private Scans() {}

    /** The MLX name of a scan, for messages. */
    static String opName(ScanOp op) {
        return op == ScanOp.LOGADDEXP ? "logcumsumexp" : "cum" + op.name().toLowerCase(Locale.ROOT);
    }

    /**
     * A scan along {@code axis}; with {@code axis == null} the flattened array is scanned.
     * Dtypes: cumsum and cumprod of bool, int8 and int16 accumulate in int32 and of uint8 in uint32
     * (as {@code sum}); cummax and cummin keep the dtype; logcumsumexp of integral input gives float32.
     *
     * @throws IllegalArgumentException when the axis is out of range
     */
    public static Array scan(ScanOp op, Array x, Integer axis, boolean reverse, boolean inclusive) {
        String name = opName(op);
        if (axis == null) return scan(op, ShapeOps.flatten(x), 0, reverse, inclusive);
        if (x.ndim() == 0) {
            throw new IllegalArgumentException("[" + name + "] axis " + axis + " is out of range for an array with 0 dimensions.");
        }
        int a = Shape.normalizeAxis(axis, x.ndim(), name);
        DType t = x.dtype();
        switch (op) {
            case SUM, PROD -> {
                if (t.isIntegral() && t.size() < 4) t = t == DType.UINT8 ? DType.UINT32 : DType.INT32;
            }
            case LOGADDEXP -> t = t.toFloating();
            case MAX, MIN -> { }
        }
        x = Elementwise.astype(x, t);
        return Array.node(x.shape(), t, new Scan(op, a, reverse, inclusive), x);
    }
}
