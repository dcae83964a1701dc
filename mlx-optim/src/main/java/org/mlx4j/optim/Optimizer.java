package org.mlx4j.optim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.io.SafetensorsFile;

/**
 * The base of all optimizers, after MLX's {@code mlx.optimizers.Optimizer}: per-parameter state,
 * created on first use ({@link #initSingle}) and advanced by one update rule
 * ({@link #applySingle}) applied to every parameter of a tree.
 *
 * <h2>Parameter trees</h2>
 * A tree maps dotted paths ({@code "layers.0.weight"}) to arrays, in order: the maps
 * {@code Module.parameters()} returns. {@link #apply} takes the gradient tree (its keys a subset of
 * the parameters') and returns a new parameter tree with the same keys in the same order, built
 * lazily: nothing is computed until the caller evaluates it. As in MLX, evaluate the optimizer's
 * {@link #state()} together with the new parameters after every step, so the state does not grow
 * into a long graph:
 * <pre>{@code
 * Optimizer opt = new Adam(1e-3);
 * var lossAndGrad = NN.valueAndGrad(model, (m, in) -> Losses.crossEntropy(m.forward(in[0]), in[1]));
 * for (var batch : batches) {
 *     var r = lossAndGrad.apply(batch.x(), batch.y());
 *     model.update(opt.apply(r.grad(), model.trainableParameters()));
 *     MX.eval(model.parameters());
 *     MX.eval(opt.state());
 * }
 * }</pre>
 *
 * <h2>Step and learning rate</h2>
 * The step (updates made so far) is an int32 scalar array and the learning rate a float32 scalar
 * array, so schedules never rebuild anything. A learning rate is a number or a {@link Schedule};
 * a schedule is evaluated at the start of every {@link #apply} from the step before it is
 * incremented (0 for the first update), exactly as MLX does. Some optimizers (Adam with bias
 * correction, Adafactor) read the incremented step (1 for the first update).
 *
 * <h2>State</h2>
 * {@link #state()} is one flat map: {@code "step"}, {@code "learning_rate"} (when the optimizer has
 * one), and {@code "<parameter path>.<name>"} for each per-parameter entry, with MLX's names:
 * {@code "layers.0.weight.m"} and {@code "layers.0.weight.v"} for Adam. {@link #saveState} writes it
 * as safetensors with the {@link #hyperparameters()} as metadata; {@link #loadState} checks those
 * match and restores it, so a resumed run continues bit for bit.
 *
 * <p>Not thread-safe: one optimizer serves one training loop.
 */
public abstract class Optimizer {
    private Array step = MX.scalar(0, DType.INT32);
    private Array learningRate;
    private Schedule schedule;
    private final Map<String, Map<String, Array>> states = new LinkedHashMap<>();
    /** State arrays this optimizer made (not ones handed in through {@link #setState} or gradients). */
    private final Set<Array> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    /** (replaced state array, its replacement) pairs from earlier updates, released once the replacement is computed. */
    private final List<Array[]> retired = new ArrayList<>();

    /** An optimizer without a learning rate (Adafactor's relative step sizes, {@link MultiOptimizer}). */
    protected Optimizer() {}

    /**
     * An optimizer with a constant learning rate.
     *
     * @throws IllegalArgumentException when {@code learningRate} is not finite
     */
    protected Optimizer(double learningRate) {
        this.learningRate = constantRate(learningRate);
    }

    /**
     * An optimizer whose learning rate follows {@code schedule} (evaluated at step 0 at once).
     *
     * @throws IllegalArgumentException when the schedule does not return a scalar
     */
    protected Optimizer(Schedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.learningRate = scheduled(schedule, step);
    }

    /** An optimizer with the learning rate (or none) of {@code builder}. */
    protected Optimizer(Builder<?> builder) {
        if (builder.schedule != null) {
            this.schedule = builder.schedule;
            this.learningRate = scheduled(schedule, step);
        } else if (builder.learningRate != null) {
            this.learningRate = constantRate(builder.learningRate);
        }
    }

    // ------------------------------------------------------------------ the update rule

    /**
     * Creates the state of one parameter (MLX's {@code init_single}), e.g. zeros like it.
     *
     * @param parameter the parameter (or its gradient, on first use in {@link #apply})
     * @param state     an empty map to fill, name to array
     */
    protected abstract void initSingle(Array parameter, Map<String, Array> state);

    /**
     * One update (MLX's {@code apply_single}): returns the new parameter and puts the new state
     * arrays into {@code state}. Must stay lazy. {@link #step()} is already incremented and
     * {@link #learningRate()} already scheduled when it runs.
     *
     * @param gradient  the gradient, shaped like the parameter
     * @param parameter the current parameter
     * @param state     this parameter's state, to read and replace
     * @return the updated parameter
     */
    protected abstract Array applySingle(Array gradient, Array parameter, Map<String, Array> state);

    /**
     * Adds this optimizer's hyperparameters (names in lowerCamelCase, values as exact strings,
     * e.g. {@link Double#toString}) to {@code out}. They are saved with the state and must match on
     * load. The default adds nothing.
     */
    protected void addHyperparameters(Map<String, String> out) {}

    /**
     * Checks that a parameter fits its state before an update, so a state loaded for another model
     * fails clearly instead of broadcasting. The default requires every state array to have the
     * parameter's shape; optimizers with other state shapes override it.
     *
     * @throws IllegalArgumentException naming the parameter and shapes when they do not fit
     */
    protected void checkState(String key, Array parameter, Map<String, Array> state) {
        for (var e : state.entrySet()) {
            if (!e.getValue().shape().equals(parameter.shape())) {
                throw stateMismatch(key, e.getKey(), e.getValue(), parameter);
            }
        }
    }

    /** The error {@link #checkState} throws for state entry {@code name} of {@code key}. */
    protected final IllegalArgumentException stateMismatch(String key, String name, Array stateArray, Array parameter) {
        return new IllegalArgumentException("[" + getClass().getSimpleName() + "] state '" + key + "." + name + "' has shape "
                + stateArray.shape() + " but parameter '" + key + "' has shape " + parameter.shape()
                + "; was the state made for another model?");
    }

    // ------------------------------------------------------------------ public API

    /**
     * Creates the state of every parameter that has none yet (optional: {@link #apply} does it on
     * first use). Useful to see {@link #state()} before the first update.
     *
     * @param parameters the parameter tree
     * @throws IllegalArgumentException for null keys or arrays
     */
    public void init(Map<String, Array> parameters) {
        checkTree(parameters, "parameter");
        for (var e : parameters.entrySet()) {
            if (!states.containsKey(e.getKey())) initState(e.getKey(), e.getValue());
        }
    }

    /**
     * One optimization step: a new parameter tree, with the keys and order of {@code parameters},
     * where each parameter with a gradient is updated and the others are returned unchanged.
     * Schedules the learning rate from the current step, then increments the step. Lazy: evaluates
     * nothing (evaluate the result and {@link #state()} afterwards).
     *
     * @param gradients  gradient tree; its keys must be parameter keys, its shapes theirs
     * @param parameters parameter tree
     * @return the updated parameter tree (a new map)
     * @throws IllegalArgumentException ({@code [Optimizer]}) naming the key when a gradient has no
     *                                  parameter or another shape, or an entry is null
     */
    public Map<String, Array> apply(Map<String, Array> gradients, Map<String, Array> parameters) {
        checkGradients(gradients, parameters);
        for (var e : gradients.entrySet()) {
            String key = e.getKey();
            if (!states.containsKey(key)) initState(key, e.getValue());
            checkState(key, parameters.get(key), states.get(key));
        }
        releaseRetired();
        if (schedule != null) learningRate = scheduled(schedule, step);
        step = step.add(1);
        Map<String, Array> out = new LinkedHashMap<>();
        for (var e : parameters.entrySet()) {
            Array g = gradients.get(e.getKey());
            if (g == null) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            Map<String, Array> st = states.get(e.getKey());
            Map<String, Array> before = new LinkedHashMap<>(st);
            out.put(e.getKey(), applySingle(g, e.getValue(), st));
            for (var b : before.entrySet()) {
                Array neu = st.get(b.getKey());
                if (neu != b.getValue()) {
                    if (neu != null && neu != g && neu != e.getValue()) owned.add(neu);
                    retired.add(new Array[] {b.getValue(), neu});
                }
            }
        }
        return out;
    }

    /**
     * Frees the state arrays replaced by earlier updates whose replacements have been computed: the
     * optimizer owns its state, so a training loop's old moments go back to the allocator at once
     * instead of waiting for the garbage collector (a {@link #state()} map taken before an update
     * is therefore only valid until the update after it is evaluated).
     */
    private void releaseRetired() {
        for (var it = retired.iterator(); it.hasNext(); ) {
            Array[] pair = it.next();
            if (pair[1] == null || pair[1].isEvaluated()) {
                if (owned.remove(pair[0]) && !pair[0].isClosed()) pair[0].close();
                it.remove();
            }
        }
    }

    /** The number of updates made so far: an int32 scalar array (lazy until the state is evaluated). */
    public Array step() { return step; }

    /**
     * The current learning rate, a scalar array (float32 for numbers and the built-in schedules).
     *
     * @throws IllegalStateException when this optimizer has none (Adafactor with relative steps)
     */
    public Array learningRate() {
        if (learningRate == null) {
            throw new IllegalStateException("[" + getClass().getSimpleName() + "] this optimizer has no learning rate.");
        }
        return learningRate;
    }

    /** True when this optimizer has a learning rate. */
    public boolean hasLearningRate() { return learningRate != null; }

    /**
     * Sets a constant learning rate (and drops any schedule).
     *
     * @throws IllegalArgumentException when {@code learningRate} is not finite
     */
    public void setLearningRate(double learningRate) {
        Array lr = constantRate(learningRate);
        this.schedule = null;
        this.learningRate = lr;
    }

    /**
     * Puts the learning rate on {@code schedule}, evaluated (lazily) at the current step now and
     * at the start of every update.
     *
     * @throws IllegalArgumentException when the schedule does not return a scalar
     */
    public void setLearningRate(Schedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        Array lr = scheduled(schedule, step);
        this.schedule = schedule;
        this.learningRate = lr;
    }

    /**
     * The state as one flat map (a snapshot, in order): {@code "step"}, {@code "learning_rate"}
     * when there is one, then {@code "<parameter path>.<name>"} per parameter and state entry
     * (names as in MLX: {@code m}, {@code v}, {@code u}, {@code exp_avg_sq_row}, ...).
     */
    public Map<String, Array> state() {
        Map<String, Array> out = new LinkedHashMap<>();
        out.put("step", step);
        if (learningRate != null) out.put("learning_rate", learningRate);
        for (var e : states.entrySet()) {
            for (var s : e.getValue().entrySet()) out.put(e.getKey() + "." + s.getKey(), s.getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Replaces the whole state with {@code state}, a map shaped like {@link #state()} (the schedule,
     * being code, stays). Parameters it does not cover get fresh state on their next update.
     *
     * @throws IllegalArgumentException when {@code "step"} is missing or not an integer scalar,
     *                                  {@code "learning_rate"} is not a scalar, or a key has no
     *                                  {@code "<parameter>.<name>"} form
     */
    public void setState(Map<String, Array> state) {
        String me = "[" + getClass().getSimpleName() + "] ";
        Objects.requireNonNull(state, "state");
        Array s = state.get("step");
        if (s == null) throw new IllegalArgumentException(me + "the state has no 'step' entry (keys: " + state.keySet() + ").");
        if (s.size() != 1 || !s.dtype().isInteger()) {
            throw new IllegalArgumentException(me + "'step' must be an integer scalar, got " + s.dtype().mlxName() + " of shape " + s.shape() + ".");
        }
        Array lr = state.get("learning_rate");
        if (lr != null && lr.size() != 1) {
            throw new IllegalArgumentException(me + "'learning_rate' must be a scalar, got shape " + lr.shape() + ".");
        }
        Map<String, Map<String, Array>> parsed = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            String k = e.getKey();
            if (k.equals("step") || k.equals("learning_rate")) continue;
            int dot = k.lastIndexOf('.');
            if (dot <= 0 || dot == k.length() - 1) {
                throw new IllegalArgumentException(me + "state key '" + k + "' is not of the form '<parameter>.<name>'.");
            }
            if (e.getValue() == null) throw new IllegalArgumentException(me + "state entry '" + k + "' is null.");
            parsed.computeIfAbsent(k.substring(0, dot), x -> new LinkedHashMap<>()).put(k.substring(dot + 1), e.getValue());
        }
        Array newStep = s.dtype() == DType.INT32 ? s : s.astype(DType.INT32);
        step = newStep.ndim() == 0 ? newStep : newStep.reshape();
        if (lr != null) learningRate = lr.ndim() == 0 ? lr : lr.reshape();
        states.clear();
        states.putAll(parsed);
        retired.clear();
        owned.clear();
    }

    /**
     * The hyperparameters that define this optimizer's update, as strings: {@code "optimizer"} (the
     * class name) and one entry per setting (e.g. {@code "betas" -> "0.9,0.999"}). The learning
     * rate is state, not a hyperparameter.
     */
    public Map<String, String> hyperparameters() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("optimizer", getClass().getName());
        addHyperparameters(out);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Saves {@link #state()} as safetensors with {@link #hyperparameters()} as metadata. Evaluates
     * the state (a sync point).
     *
     * @throws IOException naming the file when it cannot be written
     */
    public void saveState(Path file) throws IOException {
        MX.saveSafetensors(file, state(), hyperparameters());
    }

    /**
     * Restores a state written by {@link #saveState}: checks the optimizer class and every
     * hyperparameter match this optimizer's, then {@link #setState}. The next update then equals,
     * bit for bit, the one the saving optimizer would have made.
     *
     * @throws IllegalArgumentException when the file is not an optimizer state or was saved by
     *                                  another optimizer or with other hyperparameters (naming them)
     * @throws IOException              naming the file when it cannot be read
     */
    public void loadState(Path file) throws IOException {
        SafetensorsFile f = MX.loadSafetensorsWithMetadata(file);
        checkHyperparameters(f.metadata(), "'" + file + "'");
        setState(f.arrays());
    }

    @Override public String toString() {
        List<String> parts = new ArrayList<>();
        hyperparameters().forEach((k, v) -> { if (!k.equals("optimizer")) parts.add(k + "=" + v); });
        return getClass().getSimpleName() + "(" + String.join(", ", parts) + ")";
    }

    // ------------------------------------------------------------------ helpers

    /** Formats values for {@link #addHyperparameters}: doubles exactly, joined by commas. */
    protected static String format(double... values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(values[i]);
        }
        return sb.toString();
    }

    /** {@code a - x}, with {@code a} typed as a Python scalar next to {@code x} (MLX's {@code 1 - x}). */
    static Array rsub(double a, Array x) {
        return MX.subtract(MX.scalarLike(a, x), x);
    }

    void checkHyperparameters(Map<String, String> found, String source) {
        Map<String, String> mine = hyperparameters();
        String saved = found.get("optimizer");
        if (saved == null) {
            throw new IllegalArgumentException("[Optimizer] " + source + " is not an optimizer state: its metadata has no 'optimizer' entry.");
        }
        if (!saved.equals(mine.get("optimizer"))) {
            throw new IllegalArgumentException("[Optimizer] " + source + " holds the state of " + saved + ", not of " + mine.get("optimizer") + ".");
        }
        Set<String> keys = new LinkedHashSet<>(mine.keySet());
        keys.addAll(found.keySet());
        for (String k : keys) {
            String a = found.get(k);
            String b = mine.get(k);
            if (!Objects.equals(a, b)) {
                throw new IllegalArgumentException("[Optimizer] " + source + " was saved with " + k + "=" + a
                        + " but this optimizer has " + k + "=" + b + ".");
            }
        }
    }

    private void initState(String key, Array like) {
        Map<String, Array> s = new LinkedHashMap<>();
        initSingle(like, s);
        for (Array a : s.values()) if (a != like) owned.add(a);
        states.put(key, s);
    }

    private static Array constantRate(double lr) {
        if (!Double.isFinite(lr)) throw new IllegalArgumentException("[Optimizer] the learning rate must be finite, got " + lr + ".");
        return MX.array(lr);
    }

    private static Array scheduled(Schedule schedule, Array step) {
        Array lr = schedule.apply(step);
        if (lr == null) throw new IllegalArgumentException("[Optimizer] the learning-rate schedule returned null.");
        if (lr.size() != 1) {
            throw new IllegalArgumentException("[Optimizer] the learning-rate schedule must return a scalar, got shape " + lr.shape() + ".");
        }
        return lr.ndim() == 0 ? lr : lr.reshape();
    }

    static void checkTree(Map<String, Array> tree, String what) {
        if (tree == null) throw new IllegalArgumentException("[Optimizer] the " + what + " tree is null.");
        for (var e : tree.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("[Optimizer] the " + what + " tree has a null key.");
            if (e.getValue() == null) throw new IllegalArgumentException("[Optimizer] " + what + " '" + e.getKey() + "' is null.");
        }
    }

    static void checkGradients(Map<String, Array> gradients, Map<String, Array> parameters) {
        checkTree(gradients, "gradient");
        checkTree(parameters, "parameter");
        for (var e : gradients.entrySet()) {
            Array p = parameters.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("[Optimizer] gradient '" + e.getKey() + "' has no parameter of that name (parameters: "
                        + parameters.keySet() + ").");
            }
            if (!p.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("[Optimizer] gradient '" + e.getKey() + "' has shape " + e.getValue().shape()
                        + " but the parameter has shape " + p.shape() + ".");
            }
        }
    }

    /**
     * The base of the optimizers' builders: holds the learning rate (a number, a schedule or none).
     *
     * @param <B> the concrete builder, returned by the setters for chaining
     */
    public abstract static class Builder<B extends Builder<B>> {
        private Double learningRate;
        private Schedule schedule;

        /** A builder without a learning rate. */
        protected Builder() {}

        /** A builder with a constant learning rate. */
        protected Builder(double learningRate) { this.learningRate = learningRate; }

        /** A builder with a scheduled learning rate. */
        protected Builder(Schedule schedule) { this.schedule = Objects.requireNonNull(schedule, "schedule"); }

        /** Sets a constant learning rate (replacing a schedule). */
        public B learningRate(double learningRate) {
            this.learningRate = learningRate;
            this.schedule = null;
            return self();
        }

        /** Puts the learning rate on {@code schedule} (replacing a constant). */
        public B learningRate(Schedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            this.learningRate = null;
            return self();
        }

        /** True when a learning rate (number or schedule) was given. */
        protected boolean hasLearningRate() { return learningRate != null || schedule != null; }

        /** This builder, typed. */
        @SuppressWarnings("unchecked")
        protected final B self() { return (B) this; }
    }
}
