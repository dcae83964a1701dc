package org.mlx4j.core;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import org.mlx4j.core.transforms.Evaluator;

/**
 * Deterministic release for tight loops: every array created on this thread while the scope is
 * open is closed when the scope closes, except those passed to {@link #keep}, which are evaluated
 * first. Scopes nest; an inner scope's kept arrays belong to the outer scope.
 * <pre>{@code
 * for (int step = 0; step < n; step++) {
 *     try (Scope s = MX.scope()) {
 *         var vg = step(params);            // many temporaries
 *         params = s.keep(vg.params());     // survives the scope
 *     }
 * }
 * }</pre>
 * Arrays created inside must not be used after the scope closes unless kept.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Array> created = new ArrayList<>();
    private final IdentityHashMap<Array, Boolean> kept = new IdentityHashMap<>();
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    Scope() {
        STACK.get().push(this);
    }

    static void register(Array a) {
        ArrayDeque<Scope> s = STACK.get();
        if (!s.isEmpty()) s.peek().created.add(a);
    }

    /** Marks {@code arrays} to survive this scope; returns the first for chaining. */
    public Array keep(Array... arrays) {
        for (Array a : arrays) kept.put(a, Boolean.TRUE);
        return arrays.length > 0 ? arrays[0] : null;
    }

    /** Marks every array of {@code arrays} to survive this scope; returns the same collection. */
    public <C extends Iterable<Array>> C keep(C arrays) {
        for (Array a : arrays) kept.put(a, Boolean.TRUE);
        return arrays;
    }

    /** Evaluates the kept arrays, then releases every other array created inside. */
    @Override public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) throw new IllegalStateException("[scope] closed on another thread than the one that opened it");
        closed = true;
        ArrayDeque<Scope> s = STACK.get();
        if (s.peek() != this) throw new IllegalStateException("[scope] scopes must close in the reverse order they opened");
        s.pop();
        List<Array> keep = new ArrayList<>(kept.keySet());
        if (!keep.isEmpty()) Evaluator.eval(keep);
        Scope outer = s.peek();
        for (Array a : created) {
            if (kept.containsKey(a)) {
                if (outer != null) outer.created.add(a);
            } else {
                a.close();
            }
        }
        created.clear();
    }
}
