package org.mlx4j.tests.spec;

import static org.mlx4j.core.MX.*;
import static org.mlx4j.tests.spec.ConvRefs.fill;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.mlx4j.core.Array;
import org.mlx4j.tests.spec.OpSpec.ShapeFamily;
import org.mlx4j.tests.spec.ShapeRefs.Dense;

/**
 * Op-spec rows of the convolutions: conv1d/2d/3d with stride, padding and dilation, convGeneral
 * with asymmetric padding, input dilation and a flipped kernel, and the transposed convolutions
 * with output padding. Every row derives its groups from the case as {@code C_in / weight's last
 * axis}, so each row runs with one group, two groups and depthwise (one input channel per group).
 * Inputs are channels-last; values in [-1, 1] keep float32 sums of up to 80 products within the
 * table's tolerance. The ops are bilinear, so every row checks second-order gradients.
 */
final class ConvRows {
    private ConvRows() {}

    static int groups(Array x, Array w) { return x.dim(-1) / w.dim(-1); }

    static int[] ax(int... a) { return a; }

    private static Cases.Case pair(String name, Function<Cases.Maker, Array> x, Function<Cases.Maker, Array> w) {
        return new Cases.Case(name, m -> new Array[] {x.apply(m), w.apply(m)}, false);
    }

    /**
     * The (input, weight) pairs: one group, two groups, depthwise over a non-contiguous input, a
     * weight that is a transposed view, an empty batch, and a case above the kernels' parallel grain.
     * Every row's stride, padding and dilation fit every case of its family.
     */
    static List<Cases.Case> cases(ShapeFamily f) {
        List<Cases.Case> c = new ArrayList<>();
        switch (f) {
            case CONV_1D -> {
                c.add(pair("x(2,9,3),w(4,3,3)", m -> m.make(2, 9, 3), m -> m.make(4, 3, 3)));
                c.add(pair("x(1,10,4),w(6,2,2).groups2", m -> m.make(1, 10, 4), m -> m.make(6, 2, 2)));
                c.add(pair("xPermuted(2,8,4),w(4,3,1).depthwise", m -> m.permuted(2, 8, 4), m -> m.make(4, 3, 1)));
                c.add(pair("x(2,7,2),wTransposed(3,4,2)", m -> m.make(2, 7, 2), m -> transpose(m.make(2, 4, 3), 2, 1, 0)));
                c.add(new Cases.Case("x(0,9,3),w(2,3,3).empty", m -> new Array[] {m.make(0, 9, 3), m.make(2, 3, 3)}, true));
                c.add(pair("x(4,64,16),w(32,5,16).large", m -> m.make(4, 64, 16), m -> m.make(32, 5, 16)));
            }
            case CONV_2D -> {
                c.add(pair("x(2,6,7,3),w(4,3,2,3)", m -> m.make(2, 6, 7, 3), m -> m.make(4, 3, 2, 3)));
                c.add(pair("x(1,7,6,4),w(4,3,3,2).groups2", m -> m.make(1, 7, 6, 4), m -> m.make(4, 3, 3, 2)));
                c.add(pair("xSwapped(2,6,5,2),w(2,2,3,1).depthwise", m -> transpose(m.make(2, 5, 6, 2), 0, 2, 1, 3), m -> m.make(2, 2, 3, 1)));
                c.add(pair("x(1,5,6,2),wTransposed(3,3,3,2)", m -> m.make(1, 5, 6, 2), m -> transpose(m.make(2, 3, 3, 3), 3, 1, 2, 0)));
                c.add(new Cases.Case("x(0,5,5,2),w(3,2,2,2).empty", m -> new Array[] {m.make(0, 5, 5, 2), m.make(3, 2, 2, 2)}, true));
                c.add(pair("x(2,20,20,8),w(16,3,3,8).large", m -> m.make(2, 20, 20, 8), m -> m.make(16, 3, 3, 8)));
            }
            case CONV_3D -> c.add(pair("x(1,4,5,4,2),w(2,2,3,2,2)", m -> m.make(1, 4, 5, 4, 2), m -> m.make(2, 2, 3, 2, 2)));
            default -> throw new IllegalArgumentException("not a family of ConvRows: " + f);
        }
        return c;
    }

    static OpSpec row(String name, BinaryOperator<Array> op, java.util.function.BiFunction<Dense, Dense, Dense> ref, ShapeFamily f) {
        return ReductionRows.row(name, 2, a -> op.apply(a[0], a[1]), xs -> ref.apply(xs[0], xs[1]), -1, 1, OpSpec.FLOATS, f, 2);
    }

    /** Every convolution row. */
    static List<OpSpec> rows() {
        List<OpSpec> r = new ArrayList<>();
        ShapeFamily c1 = ShapeFamily.CONV_1D, c2 = ShapeFamily.CONV_2D, c3 = ShapeFamily.CONV_3D;

        // ---- 1-d
        r.add(row("conv1d", (x, w) -> conv1d(x, w, 1, 0, 1, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, ax(1), ax(0), ax(1)), c1));
        r.add(row("conv1d.s2.p1", (x, w) -> conv1d(x, w, 2, 1, 1, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, ax(2), ax(1), ax(1)), c1));
        r.add(row("conv1d.d2.p2", (x, w) -> conv1d(x, w, 1, 2, 2, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, ax(1), ax(2), ax(2)), c1));
        r.add(row("conv1d.s3.p1.d2", (x, w) -> conv1d(x, w, 3, 1, 2, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, ax(3), ax(1), ax(2)), c1));
        r.add(row("convGeneral.1d.s2.lo2.hi0.inDil2", (x, w) -> convGeneral(x, w, ax(2), ax(2), ax(0), ax(1), ax(2), groups(x, w), false),
                (x, w) -> ConvRefs.conv(x, w, ax(2), ax(2), ax(0), ax(1), ax(2), false), c1));
        r.add(row("convGeneral.1d.lo0.hi3.kDil2.inDil3.flip", (x, w) -> convGeneral(x, w, ax(1), ax(0), ax(3), ax(2), ax(3), groups(x, w), true),
                (x, w) -> ConvRefs.conv(x, w, ax(1), ax(0), ax(3), ax(2), ax(3), true), c1));
        r.add(row("convTranspose1d", (x, w) -> convTranspose1d(x, w, 1, 0, 1, 0, groups(x, w)),
                (x, w) -> ConvRefs.convTranspose(x, w, ax(1), ax(0), ax(1), ax(0)), c1));
        r.add(row("convTranspose1d.s2.p1.op1", (x, w) -> convTranspose1d(x, w, 2, 1, 1, 1, groups(x, w)),
                (x, w) -> ConvRefs.convTranspose(x, w, ax(2), ax(1), ax(1), ax(1)), c1));
        r.add(row("convTranspose1d.s3.p2.d2.op2", (x, w) -> convTranspose1d(x, w, 3, 2, 2, 2, groups(x, w)),
                (x, w) -> ConvRefs.convTranspose(x, w, ax(3), ax(2), ax(2), ax(2)), c1));
        // padding beyond the kernel span crops the output (a negative padding of the equivalent convolution)
        r.add(row("convTranspose1d.s3.p3", (x, w) -> convTranspose1d(x, w, 3, 3, 1, 0, groups(x, w)),
                (x, w) -> ConvRefs.convTranspose(x, w, ax(3), ax(3), ax(1), ax(0)), c1));

        // ---- 2-d
        r.add(row("conv2d", (x, w) -> conv2d(x, w, 1, 0, 1, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, ax(1, 1), ax(0, 0), ax(1, 1)), c2));
        r.add(row("conv2d.s2.p1", (x, w) -> conv2d(x, w, 2, 1, 1, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, ax(2, 2), ax(1, 1), ax(1, 1)), c2));
        r.add(row("conv2d.d2.p1", (x, w) -> conv2d(x, w, 1, 1, 2, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, ax(1, 1), ax(1, 1), ax(2, 2)), c2));
        r.add(row("conv2d.s3.p2", (x, w) -> conv2d(x, w, 3, 2, 1, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, ax(3, 3), ax(2, 2), ax(1, 1)), c2));
        r.add(row("conv2d.s(2,1).p(1,0).d(1,2)", (x, w) -> conv2d(x, w, ax(2, 1), ax(1, 0), ax(1, 2), groups(x, w)),
                (x, w) -> ConvRefs.conv(x, w, ax(2, 1), ax(1, 0), ax(1, 2)), c2));
        r.add(row("convGeneral.2d.s(1,2).lo(1,0).hi(0,2).kDil(1,2).inDil(2,1)",
                (x, w) -> convGeneral(x, w, ax(1, 2), ax(1, 0), ax(0, 2), ax(1, 2), ax(2, 1), groups(x, w), false),
                (x, w) -> ConvRefs.conv(x, w, ax(1, 2), ax(1, 0), ax(0, 2), ax(1, 2), ax(2, 1), false), c2));
        r.add(row("convGeneral.2d.s(2,1).lo(2,1).hi(1,2).inDil(1,3).flip",
                (x, w) -> convGeneral(x, w, ax(2, 1), ax(2, 1), ax(1, 2), ax(1, 1), ax(1, 3), groups(x, w), true),
                (x, w) -> ConvRefs.conv(x, w, ax(2, 1), ax(2, 1), ax(1, 2), ax(1, 1), ax(1, 3), true), c2));
        r.add(row("convTranspose2d", (x, w) -> convTranspose2d(x, w, 1, 0, 1, 0, groups(x, w)),
                (x, w) -> ConvRefs.convTranspose(x, w, ax(1, 1), ax(0, 0), ax(1, 1), ax(0, 0)), c2));
        r.add(row("convTranspose2d.s2.p1.op1", (x, w) -> convTranspose2d(x, w, 2, 1, 1, 1, groups(x, w)),
                (x, w) -> ConvRefs.convTranspose(x, w, ax(2, 2), ax(1, 1), ax(1, 1), ax(1, 1)), c2));
        r.add(row("convTranspose2d.s(2,3).p(0,1).d(2,1).op(1,2)",
                (x, w) -> convTranspose2d(x, w, ax(2, 3), ax(0, 1), ax(2, 1), ax(1, 2), groups(x, w)),
                (x, w) -> ConvRefs.convTranspose(x, w, ax(2, 3), ax(0, 1), ax(2, 1), ax(1, 2)), c2));

        // ---- 3-d (one small case)
        r.add(row("conv3d", (x, w) -> conv3d(x, w, 1, 0, 1, groups(x, w)), (x, w) -> ConvRefs.conv(x, w, fill(3, 1), fill(3, 0), fill(3, 1)), c3));
        r.add(row("conv3d.s(1,2,1).p(1,0,1).d(1,1,2)", (x, w) -> conv3d(x, w, ax(1, 2, 1), ax(1, 0, 1), ax(1, 1, 2), groups(x, w)),
                (x, w) -> ConvRefs.conv(x, w, ax(1, 2, 1), ax(1, 0, 1), ax(1, 1, 2)), c3));
        r.add(row("convTranspose3d.s2.p1.op1", (x, w) -> convTranspose3d(x, w, 2, 1, 1, 1, groups(x, w)),
                (x, w) -> ConvRefs.convTranspose(x, w, fill(3, 2), fill(3, 1), fill(3, 1), fill(3, 1)), c3));
        return r;
    }
}
