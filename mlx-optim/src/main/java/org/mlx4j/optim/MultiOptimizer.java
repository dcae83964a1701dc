package org.mlx4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import org.mlx4j.core.Array;

/**
 * Several optimizers, each for the parameters its predicate picks, as MLX's
 * {@code mlx.optimizers.MultiOptimizer}.
 *
 * <p>Predicates take a parameter's path and its gradient (its value in {@link #init}) and are tried
 * in order; the first that accepts picks the optimizer. There is one predicate fewer than
 * optimizers: the last optimizer takes every parameter no predicate accepted. Every optimizer makes
 * one step per {@link #apply}, even when it gets no parameter (as in MLX).
 * <pre>{@code
 * Optimizer opt = new MultiOptimizer(
 *         List.of(new Muon(0.02), new AdamW(3e-4)),
 *         List.of((path, g) -> g.ndim() >= 2 && !path.startsWith("embedding")));
 * }</pre>
 *
 * <p>State keys are those of each optimizer prefixed with {@code "optimizers.<i>."}
 * ({@code "optimizers.0.step"}, {@code "optimizers.1.layers.0.bias.m"}); hyperparameters likewise,
 * with {@code "count"} the number of optimizers. {@link #step()} and {@link #learningRate()} are the
 * first optimizer's; {@link #setLearningRate(double)} sets all of them.
 */
public final class MultiOptimizer extends Optimizer {
    private static final String PREFIX = "optimizers.";

    private final List<Optimizer> optimizers;
    private final List<BiPredicate<String, Array>> filters;

    /**
     * @param optimizers at least one optimizer
     * @param filters    {@code optimizers.size() - 1} predicates on (path, array)
     * @throws IllegalArgumentException when the counts do not match or an entry is null
     */
    public MultiOptimizer(List<? extends Optimizer> optimizers, List<? extends BiPredicate<String, Array>> filters) {
        Objects.requireNonNull(optimizers, "optimizers");
        Objects.requireNonNull(filters, "filters");
        if (optimizers.isEmpty()) throw new IllegalArgumentException("[MultiOptimizer] needs at least one optimizer.");
        if (filters.size() != optimizers.size() - 1) {
            throw new IllegalArgumentException("[MultiOptimizer] given " + filters.size() + " filters but " + (optimizers.size() - 1)
                    + " needed (one per optimizer but the last).");
        }
        for (int i = 0; i < optimizers.size(); i++) {
            if (optimizers.get(i) == null) throw new IllegalArgumentException("[MultiOptimizer] optimizer " + i + " is null.");
        }
        for (int i = 0; i < filters.size(); i++) {
            if (filters.get(i) == null) throw new IllegalArgumentException("[MultiOptimizer] filter " + i + " is null.");
        }
        this.optimizers = List.copyOf(optimizers);
        this.filters = List.copyOf(filters);
    }

    /** The optimizers, in order. */
    public List<Optimizer> optimizers() { return optimizers; }

    private List<Map<String, Array>> split(Map<String, Array> tree) {
        List<Map<String, Array>> parts = new ArrayList<>();
        for (int i = 0; i < optimizers.size(); i++) parts.add(new LinkedHashMap<>());
        for (var e : tree.entrySet()) {
            int i = 0;
            while (i < filters.size() && !filters.get(i).test(e.getKey(), e.getValue())) i++;
            parts.get(i).put(e.getKey(), e.getValue());
        }
        return parts;
    }

    @Override public void init(Map<String, Array> parameters) {
        checkTree(parameters, "parameter");
        List<Map<String, Array>> parts = split(parameters);
        for (int i = 0; i < optimizers.size(); i++) optimizers.get(i).init(parts.get(i));
    }

    @Override public Map<String, Array> apply(Map<String, Array> gradients, Map<String, Array> parameters) {
        checkGradients(gradients, parameters);
        List<Map<String, Array>> parts = split(gradients);
        Map<String, Array> out = new LinkedHashMap<>(parameters);
        for (int i = 0; i < optimizers.size(); i++) {
            Map<String, Array> updated = optimizers.get(i).apply(parts.get(i), parameters);
            for (String k : parts.get(i).keySet()) out.put(k, updated.get(k));
        }
        return out;
    }

    /** The first optimizer's step. */
    @Override public Array step() { return optimizers.get(0).step(); }

    /** The first optimizer's learning rate. */
    @Override public Array learningRate() { return optimizers.get(0).learningRate(); }

    @Override public boolean hasLearningRate() { return optimizers.get(0).hasLearningRate(); }

    /** Sets the learning rate of every optimizer. */
    @Override public void setLearningRate(double learningRate) {
        for (Optimizer o : optimizers) o.setLearningRate(learningRate);
    }

    /** Puts every optimizer's learning rate on {@code schedule}. */
    @Override public void setLearningRate(Schedule schedule) {
        for (Optimizer o : optimizers) o.setLearningRate(schedule);
    }

    @Override public Map<String, Array> state() {
        Map<String, Array> out = new LinkedHashMap<>();
        for (int i = 0; i < optimizers.size(); i++) {
            for (var e : optimizers.get(i).state().entrySet()) out.put(PREFIX + i + "." + e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    @Override public void setState(Map<String, Array> state) {
        Objects.requireNonNull(state, "state");
        List<Map<String, Array>> parts = new ArrayList<>();
        for (int i = 0; i < optimizers.size(); i++) parts.add(new LinkedHashMap<>());
        for (var e : state.entrySet()) {
            int i = indexOf(e.getKey());
            parts.get(i).put(e.getKey().substring((PREFIX + i + ".").length()), e.getValue());
        }
        for (int i = 0; i < optimizers.size(); i++) {
            if (!parts.get(i).containsKey("step")) {
                throw new IllegalArgumentException("[MultiOptimizer] the state has no '" + PREFIX + i + ".step' entry.");
            }
        }
        for (int i = 0; i < optimizers.size(); i++) optimizers.get(i).setState(parts.get(i));
    }

    private int indexOf(String key) {
        if (key.startsWith(PREFIX)) {
            int dot = key.indexOf('.', PREFIX.length());
            if (dot > PREFIX.length()) {
                try {
                    int i = Integer.parseInt(key.substring(PREFIX.length(), dot));
                    if (i >= 0 && i < optimizers.size()) return i;
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
        }
        throw new IllegalArgumentException("[MultiOptimizer] state key '" + key + "' is not of the form 'optimizers.<i>.<key>' with i < "
                + optimizers.size() + ".");
    }

    @Override public Map<String, String> hyperparameters() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("optimizer", getClass().getName());
        out.put("count", Integer.toString(optimizers.size()));
        for (int i = 0; i < optimizers.size(); i++) {
            for (var e : optimizers.get(i).hyperparameters().entrySet()) out.put(PREFIX + i + "." + e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    @Override public String toString() {
        List<String> parts = new ArrayList<>();
        for (Optimizer o : optimizers) parts.add(o.toString());
        return "MultiOptimizer(" + String.join(", ", parts) + ")";
    }

    /** Never called: the wrapped optimizers hold the state. */
    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        throw new IllegalStateException("[MultiOptimizer] initSingle is delegated to the wrapped optimizers.");
    }

    /** Never called: the wrapped optimizers make the updates. */
    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        throw new IllegalStateException("[MultiOptimizer] applySingle is delegated to the wrapped optimizers.");
    }
}
