package org.mlx4j.core.transforms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.core.ops.ShapeOps;
import org.mlx4j.core.primitive.Primitive;

/**
 * Reverse and forward mode over the lazy graph. Both call the user's function on aliases of the
 * primals (so they can be told apart from other arrays), walk the graph it built, and apply each
 * primitive's rule. Rules are written with public ops, so results are lazy graphs that can be
 * differentiated again.
 */
public final class Autodiff {
    private Autodiff() {}

    /** Outputs and input cotangents of {@link #vjp}. */
    public record VjpResult(List<Array> outputs, List<Array> cotangents) {}

    /** Outputs and output tangents of {@link #jvp}. */
    public record JvpResult(List<Array> outputs, List<Array> tangents) {}

    static List<Array> trace(Function<List<Array>, List<Array>> f, List<Array> aliases) {
        Trace.enter();
        try {
            List<Array> out = f.apply(aliases);
            if (out == null || out.isEmpty()) throw new IllegalArgumentException("[vjp] the function returned no arrays.");
            return out;
        } finally {
            Trace.exit();
        }
    }

    static List<Array> aliases(List<Array> primals) {
        List<Array> a = new ArrayList<>(primals.size());
        for (Array p : primals) a.add(ShapeOps.identity(p));
        return a;
    }

    /**
     * Vector-Jacobian product: {@code f(primals)} and the cotangents of the primals given the
     * cotangents of the outputs.
     *
     * @throws IllegalArgumentException when the cotangents do not match the outputs' shapes
     */
    public static VjpResult vjp(Function<List<Array>, List<Array>> f, List<Array> primals, List<Array> cotangents) {
        return vjp(f, primals, outs -> cotangents);
    }

    /**
     * {@link #vjp} with cotangents made from the outputs once they exist (grad uses ones shaped
     * like the output).
     */
    public static VjpResult vjp(Function<List<Array>, List<Array>> f, List<Array> primals,
                                Function<List<Array>, List<Array>> cotangentsFor) {
        List<Array> tracers = aliases(primals);
        List<Array> outs = trace(f, tracers);
        List<Array> cotangents = cotangentsFor.apply(outs);
        if (outs.size() != cotangents.size()) {
            throw new IllegalArgumentException("[vjp] the function has " + outs.size() + " outputs but " + cotangents.size() + " cotangents were given.");
        }
        for (int i = 0; i < outs.size(); i++) {
            if (!outs.get(i).shape().equals(cotangents.get(i).shape())) {
                throw new IllegalArgumentException("[vjp] cotangent " + i + " has shape " + cotangents.get(i).shape() + " but output " + i
                        + " has shape " + outs.get(i).shape() + ".");
            }
        }
        Trace.enter();
        try {
            return new VjpResult(outs, backward(outs, cotangents, tracers));
        } finally {
            Trace.exit();
        }
    }

    private static List<Array> backward(List<Array> outs, List<Array> cotangents, List<Array> tracers) {
        IdentityHashMap<Array, Boolean> isTracer = new IdentityHashMap<>();
        for (Array t : tracers) isTracer.put(t, Boolean.TRUE);
        List<Array> order = dependents(outs, isTracer);
        IdentityHashMap<Array, Boolean> needs = new IdentityHashMap<>();
        for (Array n : order) needs.put(n, Boolean.TRUE);
        Map<Array, Array> cot = new IdentityHashMap<>();
        for (int i = 0; i < outs.size(); i++) {
            Array o = outs.get(i);
            if (needs.containsKey(o)) accumulate(cot, o, MX.astype(cotangents.get(i), o.dtype()));
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Array node = order.get(i);
            Array g = cot.get(node);
            if (g == null || isTracer.containsKey(node)) continue;
            cot.remove(node); // let the graph of cotangents already used be released
            List<Array> in = node.inputs();
            int k = 0;
            int[] argnums = new int[in.size()];
            for (int j = 0; j < in.size(); j++) if (needs.containsKey(in.get(j))) argnums[k++] = j;
            if (k == 0) continue;
            argnums = java.util.Arrays.copyOf(argnums, k);
            Primitive p = node.primitive();
            List<Array> gs = p.vjp(in, g, node, argnums);
            for (int j = 0; j < k; j++) {
                Array gi = gs.get(j);
                if (gi == null) continue;
                Array target = in.get(argnums[j]);
                if (!gi.shape().equals(target.shape())) {
                    throw new IllegalStateException("[vjp] rule of " + p.name() + " returned shape " + gi.shape() + " for an input of shape " + target.shape());
                }
                accumulate(cot, target, gi);
            }
        }
        List<Array> res = new ArrayList<>(tracers.size());
        for (Array t : tracers) {
            Array g = cot.get(t);
            res.add(g == null ? MX.zerosLike(t) : g);
        }
        return res;
    }

    private static void accumulate(Map<Array, Array> cot, Array node, Array g) {
        if (g.dtype() != node.dtype() && node.dtype().isFloating()) g = MX.astype(g, node.dtype());
        Array prev = cot.get(node);
        cot.put(node, prev == null ? g : MX.add(prev, g));
    }

    /**
     * Unevaluated nodes reachable from {@code outs} that depend on a tracer, inputs before consumers
     * (iterative: deep graphs do not overflow the stack).
     */
    static List<Array> dependents(Collection<Array> outs, IdentityHashMap<Array, Boolean> isTracer) {
        IdentityHashMap<Array, Boolean> dep = new IdentityHashMap<>();
        IdentityHashMap<Array, Boolean> seen = new IdentityHashMap<>();
        List<Array> order = new ArrayList<>();
        java.util.ArrayDeque<Array> stack = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> next = new java.util.ArrayDeque<>();
        for (Array o : outs) {
            if (seen.containsKey(o)) continue;
            seen.put(o, Boolean.TRUE);
            stack.push(o);
            next.push(0);
            while (!stack.isEmpty()) {
                Array top = stack.peek();
                int i = next.pop();
                if (!isTracer.containsKey(top) && i < top.inputCount()) {
                    next.push(i + 1);
                    Array in = top.input(i);
                    if (!seen.containsKey(in)) {
                        seen.put(in, Boolean.TRUE);
                        stack.push(in);
                        next.push(0);
                    }
                } else {
                    stack.pop();
                    boolean d = isTracer.containsKey(top);
                    for (int j = 0; !d && j < top.inputCount(); j++) d = dep.containsKey(top.input(j));
                    if (d) {
                        dep.put(top, Boolean.TRUE);
                        order.add(top);
                    }
                }
            }
        }
        return order;
    }

    /**
     * Jacobian-vector product: {@code f(primals)} and the output tangents given primal tangents.
     *
     * @throws IllegalArgumentException when a tangent does not match its primal's shape
     */
    public static JvpResult jvp(Function<List<Array>, List<Array>> f, List<Array> primals, List<Array> tangents) {
        if (primals.size() != tangents.size()) {
            throw new IllegalArgumentException("[jvp] " + primals.size() + " primals but " + tangents.size() + " tangents.");
        }
        for (int i = 0; i < primals.size(); i++) {
            if (!primals.get(i).shape().equals(tangents.get(i).shape())) {
                throw new IllegalArgumentException("[jvp] tangent " + i + " has shape " + tangents.get(i).shape() + " but primal " + i
                        + " has shape " + primals.get(i).shape() + ".");
            }
        }
        List<Array> tracers = aliases(primals);
        List<Array> outs = trace(f, tracers);
        Trace.enter();
        try {
            IdentityHashMap<Array, Boolean> isTracer = new IdentityHashMap<>();
            Map<Array, Array> tan = new IdentityHashMap<>();
            for (int i = 0; i < tracers.size(); i++) {
                isTracer.put(tracers.get(i), Boolean.TRUE);
                tan.put(tracers.get(i), MX.astype(tangents.get(i), primals.get(i).dtype()));
            }
            for (Array node : dependents(outs, isTracer)) {
                if (isTracer.containsKey(node)) continue;
                List<Array> in = node.inputs();
                List<Array> ts = new ArrayList<>(in.size());
                for (Array x : in) ts.add(tan.get(x));
                tan.put(node, node.primitive().jvp(in, ts, node));
            }
            List<Array> res = new ArrayList<>(outs.size());
            for (Array o : outs) {
                Array t = tan.get(o);
                res.add(t == null ? MX.zerosLike(o) : t);
            }
            return new JvpResult(outs, res);
        } finally {
            Trace.exit();
        }
    }
}
