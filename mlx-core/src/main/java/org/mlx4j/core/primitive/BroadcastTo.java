package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.Shape;

/**
 * A view of its input with broadcast axes of stride zero.
 *
 * @param shape the output shape
 */
public record BroadcastTo(Shape shape) implements Primitive {
    @Override public String name() { return "BroadcastTo"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(sumToShape(cotangent, primals.get(0).shape()));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return broadcastTo(tangents.get(0), shape.dims());
    }

    /** Sums {@code g} over the axes that broadcasting added or stretched, giving shape {@code target}. */
    public static Array sumToShape(Array g, Shape target) {
        if (g.shape().equals(target)) return g;
        int lead = g.ndim() - target.ndim();
        int[] axes = new int[g.ndim()];
        int n = 0;
        for (int i = 0; i < g.ndim(); i++) {
            if (i < lead || (target.dims()[i - lead] == 1 && g.shape().dims()[i] != 1)) axes[n++] = i;
        }
        Array s = sum(g, java.util.Arrays.copyOf(axes, n), true);
        return reshape(s, target.dims());
    }
}
