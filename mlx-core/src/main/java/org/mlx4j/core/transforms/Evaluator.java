package org.mlx4j.core.transforms;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;

/**
 * Computes lazy graphs.
 *
 * <p>The walk is iterative (a 100,000-node chain does not overflow the stack). Each node is handed
 * to its device's backend. Memory rules, so graphs never pin memory the program cannot reach:
 * <ul>
 *   <li>targets keep their values and drop their recipe (primitive and inputs), unless a transform
 *       is tracing, in which case the recipe is still needed for differentiation;</li>
 *   <li>intermediates release their values as soon as their last consumer in this evaluation has
 *       run, and keep their recipe, so a program that still holds one can evaluate it again;
 *       intermediates of at most {@value #KEEP_BYTES} bytes (scalars such as a loss) keep their values.</li>
 * </ul>
 */
public final class Evaluator {
    /** Intermediates this small keep their values: recomputing a loss costs more than 64 bytes. */
    public static final int KEEP_BYTES = 64;

    private Evaluator() {}

    /** Evaluates all {@code targets} together (a sync point). */
    public static void eval(Array... targets) { eval(List.of(targets)); }

    /** Evaluates all {@code targets} together (a sync point). */
    public static void eval(Collection<Array> targets) {
        IdentityHashMap<Array, Boolean> isTarget = new IdentityHashMap<>();
        for (Array t : targets) {
            if (t.isClosed() && !t.isEvaluated()) throw new IllegalStateException("[eval] array " + t.id() + " was closed and cannot be evaluated");
            isTarget.put(t, Boolean.TRUE);
        }
        List<Array> order = topoOrder(targets);
        // uses of each node by later nodes of this evaluation, to release intermediates early
        Map<Array, int[]> uses = new IdentityHashMap<>();
        for (Array n : order) {
            for (int i = 0, k = n.inputCount(); i < k; i++) {
                Array in = n.input(i);
                if (!in.isEvaluated()) uses.computeIfAbsent(in, x -> new int[1])[0]++;
            }
        }
        boolean tracing = Trace.active();
        for (Array n : order) {
            Backend b = Backends.forDevice(n.device());
            b.eval(n, b.defaultStream(n.device().index()));
            if (!n.isEvaluated()) throw new IllegalStateException("[eval] backend " + b.name() + " did not compute " + n.primitive().name());
            for (int i = 0, k = n.inputCount(); i < k; i++) {
                Array in = n.input(i);
                int[] u = uses.get(in);
                if (u == null || --u[0] > 0 || isTarget.containsKey(in)) continue;
                if (in.nbytes() > KEEP_BYTES) in.releaseData();
                else if (!tracing) in.detach();
            }
        }
        for (Array n : order) if (n.isEvaluated()) n.track();
        if (!tracing) {
            for (Array t : targets) if (t.isEvaluated() && t.primitive() != null) t.detach();
        }
    }

    /** Nodes without values reachable from {@code targets}, inputs before their consumers. */
    static List<Array> topoOrder(Collection<Array> targets) {
        List<Array> order = new ArrayList<>();
        IdentityHashMap<Array, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Array> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        for (Array t : targets) {
            if (t.isEvaluated() || seen.containsKey(t)) continue;
            seen.put(t, Boolean.TRUE);
            stack.push(t);
            next.push(0);
            while (!stack.isEmpty()) {
                Array top = stack.peek();
                int i = next.pop();
                if (top.primitive() == null) {
                    throw new IllegalStateException("[eval] array " + top.id() + " has neither values nor a recipe (was it closed?)");
                }
                if (i < top.inputCount()) {
                    next.push(i + 1);
                    Array in = top.input(i);
                    if (!in.isEvaluated() && !seen.containsKey(in)) {
                        seen.put(in, Boolean.TRUE);
                        stack.push(in);
                        next.push(0);
                    }
                } else {
                    stack.pop();
                    order.add(top);
                }
            }
        }
        return order;
    }
}
