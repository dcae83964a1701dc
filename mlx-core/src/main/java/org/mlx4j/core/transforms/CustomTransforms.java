package org.mlx4j.core.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.core.primitive.CustomGradient;

/** {@code customVjp} and {@code checkpoint}: functions whose backward pass is not the default one. */
public final class CustomTransforms {
    private CustomTransforms() {}

    /**
     * {@code f} with its vjp replaced by {@code vjp}, which receives (inputs, output cotangents,
     * outputs) and returns one cotangent per input. Outputs not differentiated get null cotangents.
     */
    public static Function<List<Array>, List<Array>> customVjp(Function<List<Array>, List<Array>> f, CustomGradient.Rule vjp) {
        return inputs -> wrap(f.apply(inputs), inputs, (ps, cots, outs) -> vjp.apply(ps, fill(cots, outs, ps, f), outs), "CustomVjp");
    }

    /**
     * {@code f} whose intermediate values are not kept for the backward pass: the backward pass calls
     * {@code f} again. Trades compute for memory.
     */
    public static Function<List<Array>, List<Array>> checkpoint(Function<List<Array>, List<Array>> f) {
        return inputs -> wrap(f.apply(inputs), inputs, (ps, cots, outs) -> {
            List<Array> filled = fill(cots, outs, ps, f);
            return Autodiff.vjp(f, ps, filled).cotangents();
        }, "Checkpoint");
    }

    /** Replaces null cotangents by zeros shaped like the outputs (recomputed shapes when unknown). */
    private static List<Array> fill(List<Array> cots, List<Array> outs, List<Array> ps, Function<List<Array>, List<Array>> f) {
        List<Array> shapes = null;
        List<Array> r = new ArrayList<>(cots.size());
        for (int i = 0; i < cots.size(); i++) {
            Array c = cots.get(i);
            if (c == null) {
                Array o = outs.get(i);
                if (o == null) {
                    if (shapes == null) shapes = f.apply(ps);
                    o = shapes.get(i);
                }
                c = MX.zerosLike(o);
            }
            r.add(c);
        }
        return r;
    }

    private static List<Array> wrap(List<Array> outs, List<Array> inputs, CustomGradient.Rule rule, String label) {
        List<Array> res = new ArrayList<>(outs.size());
        for (int i = 0; i < outs.size(); i++) {
            Array o = outs.get(i);
            Array[] in = new Array[inputs.size() + 1];
            in[0] = MX.stopGradient(o);
            for (int j = 0; j < inputs.size(); j++) in[j + 1] = inputs.get(j);
            res.add(Array.node(o.shape(), o.dtype(), new CustomGradient(rule, i, outs.size(), label), in));
        }
        return res;
    }
}
