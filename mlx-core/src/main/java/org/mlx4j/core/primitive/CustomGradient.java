package org.mlx4j.core.primitive;

import java.util.ArrayList;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Output {@code index} of a function whose derivative is supplied by the program ({@code customVjp})
 * or recomputed in the backward pass ({@code checkpoint}). Input 0 is the output's value (behind a
 * stop-gradient, so the forward graph is never differentiated); inputs 1.. are the function's
 * inputs. The kernel is a view of input 0.
 *
 * @param rule    computes input cotangents from (inputs, output cotangents, outputs)
 * @param index   which output this node is
 * @param outputs how many outputs the function has
 * @param label   "CustomVjp" or "Checkpoint"
 */
public record CustomGradient(Rule rule, int index, int outputs, String label) implements Primitive {
    /** A user-supplied or recomputing vjp. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param primals    the function's inputs
         * @param cotangents one per output (zeros for outputs not differentiated)
         * @param outputs    the function's outputs
         * @return one cotangent per input (null for zero)
         */
        List<Array> apply(List<Array> primals, List<Array> cotangents, List<Array> outputs);
    }

    @Override public String name() { return label; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        List<Array> inputs = primals.subList(1, primals.size());
        List<Array> outs = new ArrayList<>(outputs);
        List<Array> cots = new ArrayList<>(outputs);
        for (int i = 0; i < outputs; i++) {
            outs.add(i == index ? output : null);
            cots.add(i == index ? cotangent : null);
        }
        List<Array> g = rule.apply(inputs, cots, outs);
        if (g.size() != inputs.size()) {
            throw new IllegalArgumentException("[" + label + "] the vjp returned " + g.size() + " cotangents for " + inputs.size() + " inputs.");
        }
        List<Array> res = new ArrayList<>(argnums.length);
        for (int a : argnums) {
            if (a == 0) {
                res.add(null);
                continue;
            }
            Array gi = g.get(a - 1);
            Array in = inputs.get(a - 1);
            if (gi != null && !gi.shape().equals(in.shape())) {
                throw new IllegalArgumentException("[" + label + "] cotangent " + (a - 1) + " has shape " + gi.shape()
                        + " but the input has shape " + in.shape() + ".");
            }
            res.add(gi == null ? null : MX.astype(gi, in.dtype()));
        }
        return res;
    }
}
