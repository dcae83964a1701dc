package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.ops.Gathering;

/**
 * Scatter along an axis ({@code putAlongAxis}, and with {@code add} PyTorch's {@code scatter_add}):
 * inputs {@code (x, indices, updates)}; indices and updates share one shape, which agrees with x's on
 * every axis but {@code axis}. The output is a copy of x with
 * {@code out[..., indices[..., j, ...], ...] = updates[..., j, ...]} (or {@code +=} when {@code add}).
 *
 * <p>Repeated indices: with {@code add} they accumulate; without, the update with the largest
 * {@code j} wins. Indices wrap and clamp as in {@link Gather}.
 *
 * @param axis the scattered axis, non-negative
 * @param add  accumulate instead of replace
 */
public record Scatter(int axis, boolean add) implements Primitive {
    @Override public String name() { return add ? "ScatterAdd" : "Scatter"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        Array idx = primals.get(1), upd = primals.get(2);
        List<Array> out = new ArrayList<>(argnums.length);
        for (int a : argnums) {
            switch (a) {
                // replaced positions no longer depend on x
                case 0 -> out.add(add ? cotangent : Gathering.scatterAlongAxis(cotangent, idx, zerosLike(upd), axis, false));
                case 2 -> out.add(add ? Gathering.gatherAlongAxis(cotangent, idx, axis) : winnersOnly(cotangent, idx, upd));
                default -> out.add(null);
            }
        }
        return out;
    }

    /**
     * For replace: only the update that won its position (the last one along the axis) receives the
     * cotangent. Found by scattering each update's position j and gathering it back.
     */
    private Array winnersOnly(Array cotangent, Array idx, Array upd) {
        int[] js = new int[upd.ndim()];
        java.util.Arrays.fill(js, 1);
        js[axis] = upd.dim(axis);
        Array j = broadcastTo(reshape(toDevice(arange(upd.dim(axis)), upd.device()), js), upd.shape().dims());
        Array none = toDevice(full(cotangent.shape().dims(), -1, DType.INT32), cotangent.device());
        Array winner = Gathering.scatterAlongAxis(none, idx, j, axis, false);
        Array won = equal(Gathering.gatherAlongAxis(winner, idx, axis), j);
        Array g = Gathering.gatherAlongAxis(cotangent, idx, axis);
        return where(won, g, zerosLike(g));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array tx = tangents.get(0) == null ? zerosLike(primals.get(0)) : tangents.get(0);
        Array tu = tangents.get(2) == null ? zerosLike(primals.get(2)) : tangents.get(2);
        return Gathering.scatterAlongAxis(tx, primals.get(1), tu, axis, add);
    }
}
