package org.mlx4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * The base of every layer and model: named parameters and child modules, registered explicitly and
 * kept in registration order, addressed by dotted paths such as {@code layers.0.weight} (the keys
 * MLX and PyTorch checkpoints use).
 *
 * <p>Parameters are immutable {@link Array}s; a module holds the current array for each name and
 * {@link #update(Map)} swaps in new ones (that is how optimizers step). A subclass registers its
 * parameters and children in its constructor and reads them with {@link #param(String)} in its
 * forward pass:
 *
 * <pre>{@code
 * final class Mlp extends UnaryModule {
 *     private final Linear l1, l2;
 *     Mlp() {
 *         l1 = registerModule("l1", new Linear(784, 512));
 *         l2 = registerModule("l2", new Linear(512, 10));
 *     }
 *     @Override public Array forward(Array x) { return l2.forward(Activations.relu(l1.forward(x))); }
 * }
 * }</pre>
 *
 * <p>Frozen parameters stay in {@link #parameters()} (they are saved and loaded) but not in
 * {@link #trainableParameters()}, so {@link NN#valueAndGrad} gives them no gradient. Layers with
 * state that is not learned (BatchNorm's running statistics) register it as frozen parameters.
 *
 * <p>Modules are not thread-safe: a forward pass reads the current parameters, and an update from
 * another thread at the same time is a race.
 */
public abstract class Module {
    private final Map<String, Array> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Set<String> frozen = new HashSet<>();
    /** Names that stay frozen through {@link #unfreeze()} (running statistics, not weights). */
    private final Set<String> alwaysFrozen = new HashSet<>();
    private boolean training = true;

    /** For subclasses: register parameters and children in the constructor. */
    protected Module() {}

    // ------------------------------------------------------------------ registration

    /**
     * Registers a trainable parameter under a local name (no dots) and returns it.
     *
     * @throws IllegalArgumentException if the name is empty, contains a dot, or is already taken
     */
    protected final Array registerParameter(String name, Array value) {
        checkLocalName(name);
        if (value == null) throw new IllegalArgumentException("[Module] parameter '" + name + "' of " + className() + " is null.");
        params.put(name, value);
        return value;
    }

    /**
     * Registers state that is saved and loaded with the weights but never trained (frozen even after
     * {@link #unfreeze()}), such as BatchNorm's running mean.
     */
    protected final Array registerState(String name, Array value) {
        registerParameter(name, value);
        frozen.add(name);
        alwaysFrozen.add(name);
        return value;
    }

    /** Registers a child module under a local name (no dots) and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkLocalName(name);
        if (module == null) throw new IllegalArgumentException("[Module] child '" + name + "' of " + className() + " is null.");
        children.put(name, module);
        return module;
    }

    /**
     * Replaces the registered child {@code name} with {@code module}, keeping its place in the key
     * order (MLX's {@code update_modules} for one child): how a model swaps a {@link Linear} for a
     * {@link LoRALinear}. A subclass that keeps the child in a field assigns the returned module to it.
     *
     * @throws IllegalArgumentException if there is no child {@code name} or {@code module} is null
     */
    protected final <M extends Module> M replaceModule(String name, M module) {
        if (!children.containsKey(name)) {
            throw new IllegalArgumentException("[Module] " + className() + " has no child '" + name + "' to replace (children: " + children.keySet() + ").");
        }
        if (module == null) throw new IllegalArgumentException("[Module] the replacement for child '" + name + "' of " + className() + " is null.");
        children.put(name, module);
        return module;
    }

    /**
     * Registers a list of children as {@code name.0}, {@code name.1}, ... (MLX's and PyTorch's keys
     * for a list of layers) and returns an unmodifiable copy of the list.
     */
    protected final <M extends Module> List<M> registerModules(String name, List<M> modules) {
        checkLocalName(name);
        for (int i = 0; i < modules.size(); i++) {
            if (modules.get(i) == null) throw new IllegalArgumentException("[Module] child '" + name + "." + i + "' of " + className() + " is null.");
            children.put(name + "." + i, modules.get(i));
        }
        return List.copyOf(modules);
    }

    private void checkLocalName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("[Module] a local name must be non-empty and without dots, got '" + name + "' in " + className() + ".");
        }
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("[Module] name '" + name + "' is already registered in " + className() + ".");
        }
    }

    /**
     * The current value of this module's own parameter {@code name}.
     *
     * @throws IllegalArgumentException if there is no such parameter
     */
    protected final Array param(String name) {
        Array a = params.get(name);
        if (a == null) throw new IllegalArgumentException("[Module] " + className() + " has no parameter '" + name + "'; it has " + params.keySet() + ".");
        return a;
    }

    /** True if this module has its own parameter {@code name} (for optional ones like a bias). */
    protected final boolean hasParam(String name) { return params.containsKey(name); }

    /** Replaces this module's own parameter or state {@code name} (keeps its frozen flag). */
    protected final void setParam(String name, Array value) {
        param(name);
        params.put(name, value);
    }

    // ------------------------------------------------------------------ trees

    /** Every parameter and state array, with dotted paths, in registration order (depth first). */
    public Map<String, Array> parameters() { return collect(false); }

    /** The parameters that are not frozen: the ones gradients and optimizers see. */
    public Map<String, Array> trainableParameters() { return collect(true); }

    private Map<String, Array> collect(boolean trainableOnly) {
        Map<String, Array> out = new LinkedHashMap<>();
        collect("", trainableOnly, out);
        return out;
    }

    private void collect(String prefix, boolean trainableOnly, Map<String, Array> out) {
        for (var e : params.entrySet()) {
            if (!trainableOnly || !frozen.contains(e.getKey())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", trainableOnly, out);
    }

    /** The direct children by local name ({@code layers.0} for registered lists), in order. */
    public Map<String, Module> children() { return Collections.unmodifiableMap(children); }

    /** This module and every descendant by dotted path ({@code ""} is this module), depth first. */
    public Map<String, Module> modules() {
        Map<String, Module> out = new LinkedHashMap<>();
        walk("", out);
        return out;
    }

    private void walk(String path, Map<String, Module> out) {
        out.put(path, this);
        for (var e : children.entrySet()) e.getValue().walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
    }

    /** The number of scalars in all parameters (trainable or not). */
    public long parameterCount() { return count(parameters()); }

    /** The number of scalars in the trainable parameters. */
    public long trainableParameterCount() { return count(trainableParameters()); }

    private static long count(Map<String, Array> tree) {
        long n = 0;
        for (Array a : tree.values()) n += a.size();
        return n;
    }

    /**
     * Replaces parameters by dotted path (a subset is fine); shapes must stay the same, dtypes may change.
     *
     * @return this module
     * @throws IllegalArgumentException naming the key if a path is unknown or a shape differs
     */
    public Module update(Map<String, Array> tree) {
        // validate everything first, so a bad key leaves the module unchanged; locate each key once
        List<Target> targets = new ArrayList<>(tree.size());
        for (var e : tree.entrySet()) {
            Target t = locate(e.getKey(), "update");
            Array old = t.module.params.get(t.name);
            Array neu = e.getValue();
            if (neu == null) throw new IllegalArgumentException("[update] the value for '" + e.getKey() + "' is null.");
            if (!old.shape().equals(neu.shape())) {
                throw new IllegalArgumentException("[update] parameter '" + e.getKey() + "' has shape " + old.shape() + ", got " + neu.shape() + ".");
            }
            targets.add(t);
        }
        int i = 0;
        for (Array v : tree.values()) {
            Target t = targets.get(i++);
            t.module.params.put(t.name, v);
        }
        return this;
    }

    /** This module's own parameter and state names (no children's), in registration order. For {@link Checkpoints}. */
    final java.util.Set<String> ownParameterNames() { return Collections.unmodifiableSet(params.keySet()); }

    private record Target(Module module, String name) {}

    private Target locate(String path, String op) {
        Module m = this;
        String rest = path;
        outer:
        while (true) {
            if (m.params.containsKey(rest)) return new Target(m, rest);
            // child keys may themselves contain one dot ("layers.0"): try the longest match first
            for (var e : m.children.entrySet()) {
                String k = e.getKey();
                if (rest.startsWith(k + ".")) {
                    rest = rest.substring(k.length() + 1);
                    m = e.getValue();
                    continue outer;
                }
            }
            throw new IllegalArgumentException("[" + op + "] unknown parameter '" + path + "' in " + className() + ".");
        }
    }

    // ------------------------------------------------------------------ freezing

    /** Freezes every parameter of this module and its descendants. @return this module */
    public Module freeze() {
        for (Module m : modules().values()) m.frozen.addAll(m.params.keySet());
        return this;
    }

    /**
     * Freezes parameters by key: a key without dots ({@code "bias"}) matches that local name in this
     * module and every descendant, like MLX's {@code freeze(keys=...)}; a dotted key
     * ({@code "layers.0.weight"}) names one parameter.
     *
     * @throws IllegalArgumentException if a key matches nothing
     */
    public Module freeze(String... keys) { return setFrozen(true, keys); }

    /** Unfreezes every parameter except registered state (running statistics). @return this module */
    public Module unfreeze() {
        for (Module m : modules().values()) {
            m.frozen.clear();
            m.frozen.addAll(m.alwaysFrozen);
        }
        return this;
    }

    /** Unfreezes parameters by key, with the same key rules as {@link #freeze(String...)}. */
    public Module unfreeze(String... keys) { return setFrozen(false, keys); }

    private Module setFrozen(boolean freeze, String... keys) {
        String op = freeze ? "freeze" : "unfreeze";
        for (String k : keys) {
            if (k == null || k.isEmpty()) throw new IllegalArgumentException("[" + op + "] a key is empty.");
            if (!k.contains(".")) {
                boolean hit = false;
                for (Module m : modules().values()) {
                    if (m.params.containsKey(k)) {
                        hit = true;
                        if (freeze) m.frozen.add(k);
                        else if (!m.alwaysFrozen.contains(k)) m.frozen.remove(k);
                    }
                }
                if (hit) continue;
            }
            Target t = locate(k, op);
            if (freeze) t.module.frozen.add(t.name);
            else if (!t.module.alwaysFrozen.contains(t.name)) t.module.frozen.remove(t.name);
        }
        return this;
    }

    /** True if the parameter at {@code path} is frozen. @throws IllegalArgumentException if unknown */
    public boolean isFrozen(String path) {
        Target t = locate(path, "isFrozen");
        return t.module.frozen.contains(t.name);
    }

    // ------------------------------------------------------------------ mode and dtype

    /** Sets training mode (dropout active, BatchNorm using batch statistics) here and below. */
    public Module train() { return train(true); }

    /** Sets training ({@code true}) or evaluation mode here and below. @return this module */
    public Module train(boolean mode) {
        for (Module m : modules().values()) m.training = mode;
        return this;
    }

    /** Sets evaluation mode here and below (dropout off, BatchNorm using running statistics). */
    public Module eval() { return train(false); }

    /** True in training mode (the default). */
    public boolean isTraining() { return training; }

    /** Casts every floating-point parameter to {@code dtype} (integer ones are left alone). */
    public Module setDtype(DType dtype) { return setDtype(dtype, a -> a.dtype().isFloating()); }

    /** Casts the parameters that {@code which} accepts to {@code dtype}. @return this module */
    public Module setDtype(DType dtype, Predicate<Array> which) {
        if (dtype == null) throw new IllegalArgumentException("[setDtype] dtype is null.");
        for (Module m : modules().values()) {
            for (var e : m.params.entrySet()) {
                if (which.test(e.getValue()) && e.getValue().dtype() != dtype) e.setValue(MX.astype(e.getValue(), dtype));
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ weights files

    /**
     * Saves every parameter (trainable, frozen and state) to {@code .safetensors} or {@code .npz},
     * chosen by the file's extension, under their dotted paths. The write is atomic.
     *
     * @throws IOException naming the file when it cannot be written; nothing is left behind then
     */
    public void saveWeights(Path file) throws IOException {
        MX.eval(parameters());
        MX.save(file, parameters());
    }

    /** Loads weights strictly: see {@link #loadWeights(Path, boolean)}. */
    public Module loadWeights(Path file) throws IOException { return loadWeights(file, true); }

    /**
     * Loads weights from {@code .safetensors} or {@code .npz} by dotted path. Strict mode requires
     * the file to hold exactly this module's keys with its shapes; otherwise keys missing from the
     * file are kept and extra keys ignored (shapes must still match).
     *
     * @throws IllegalArgumentException listing missing, extra and mis-shaped keys by name
     * @throws IOException              when the file cannot be read
     */
    public Module loadWeights(Path file, boolean strict) throws IOException {
        return loadWeights(MX.load(file), strict, file.toString());
    }

    /** Loads weights from a name-to-array map, with the rules of {@link #loadWeights(Path, boolean)}. */
    public Module loadWeights(Map<String, Array> weights, boolean strict) {
        return loadWeights(weights, strict, "the given map");
    }

    private Module loadWeights(Map<String, Array> weights, boolean strict, String source) {
        Map<String, Array> mine = parameters();
        Set<String> missing = new TreeSet<>(mine.keySet());
        missing.removeAll(weights.keySet());
        Set<String> extra = new TreeSet<>(weights.keySet());
        extra.removeAll(mine.keySet());
        List<String> misShaped = new ArrayList<>();
        Map<String, Array> update = new LinkedHashMap<>();
        for (var e : weights.entrySet()) {
            Array cur = mine.get(e.getKey());
            if (cur == null) continue;
            if (!cur.shape().equals(e.getValue().shape())) {
                misShaped.add(e.getKey() + " (expected " + cur.shape() + ", got " + e.getValue().shape() + ")");
            } else {
                update.put(e.getKey(), e.getValue().dtype() == cur.dtype() ? e.getValue() : MX.astype(e.getValue(), cur.dtype()));
            }
        }
        if (!misShaped.isEmpty() || (strict && (!missing.isEmpty() || !extra.isEmpty()))) {
            StringBuilder sb = new StringBuilder("[loadWeights] ").append(source).append(" does not match ").append(className()).append(':');
            if (strict && !missing.isEmpty()) sb.append(" missing keys ").append(missing).append(';');
            if (strict && !extra.isEmpty()) sb.append(" unexpected keys ").append(extra).append(';');
            if (!misShaped.isEmpty()) sb.append(" wrong shapes ").append(misShaped).append(';');
            sb.setLength(sb.length() - 1);
            throw new IllegalArgumentException(sb.append('.').toString());
        }
        update(update);
        MX.eval(update);
        return this;
    }

    // ------------------------------------------------------------------ printing

    /** A one-line description of this module's own settings, for {@link #toString()} (for example {@code "784 -> 512, bias"}). */
    protected String describe() { return ""; }

    private String className() { return getClass().getSimpleName(); }

    /** The module tree with each child's settings, like PyTorch's printout. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        print(sb, "");
        return sb.toString();
    }

    private void print(StringBuilder sb, String indent) {
        sb.append(className()).append('(').append(describe());
        if (children.isEmpty()) {
            sb.append(')');
            return;
        }
        sb.append('\n');
        for (var e : children.entrySet()) {
            sb.append(indent).append("  (").append(e.getKey()).append("): ");
            e.getValue().print(sb, indent + "  ");
            sb.append('\n');
        }
        sb.append(indent).append(')');
    }
}
