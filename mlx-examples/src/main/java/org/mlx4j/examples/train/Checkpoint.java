package org.mlx4j.examples.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.core.io.SafetensorsFile;
import org.mlx4j.nn.Module;
import org.mlx4j.optim.Optimizer;

/**
 * A training checkpoint: one {@code .safetensors} file holding the model's parameters (keys
 * {@code model.<name>}), the optimizer's state ({@code optimizer.<name>}) and, as metadata, the architecture, the position in training (epoch, step,
 * seed), the optimizer's hyperparameters and the metrics so far. One file, written atomically, so a
 * crash never leaves half a checkpoint, and resuming from it continues bit for bit.
 *
 * @param file         where it was read from (or written to)
 * @param architecture what the model is (compared on load: another architecture is an error)
 * @param epoch        epochs completed
 * @param step         optimizer steps completed
 * @param seed         the seed of the data order
 * @param model        parameters, keyed as {@link Module#parameters()}
 * @param optimizer    optimizer state, keyed as {@link Optimizer#state()} (empty for a plain model)
 * @param hyperparameters the optimizer's {@link Optimizer#hyperparameters()} (empty for a plain model)
 * @param metricsCsv   the run's {@code metrics.csv} up to this epoch ("" when unknown)
 */
public record Checkpoint(Path file, Map<String, String> architecture, int epoch, long step, long seed,
                         Map<String, Array> model, Map<String, Array> optimizer, Map<String, String> hyperparameters,
                         String metricsCsv) {
    /** The format tag of a training checkpoint (model and optimizer). */
    public static final String FORMAT = "mlx4j-checkpoint-1";
    /**
     * The format tag of a plain model file ({@code model.safetensors}, {@code merged.safetensors}):
     * parameters under their own keys, so {@link Module#loadWeights(Path)} reads it as it is, plus
     * the architecture as metadata.
     */
    public static final String MODEL_FORMAT = "mlx4j-model-1";
    private static final String MODEL = "model.", OPT = "optimizer.", ARCH = "arch.", HYPER = "opt.";

    /** Where a run's checkpoint after {@code epoch} (1-based) lives: {@code <out>/checkpoints/epoch-NNN.safetensors}. */
    public static Path pathFor(Path outDir, int epoch) {
        return outDir.resolve("checkpoints").resolve(String.format(java.util.Locale.ROOT, "epoch-%03d.safetensors", epoch));
    }

    /**
     * Writes a checkpoint atomically (evaluates the arrays: a sync point).
     *
     * @param optimizer the optimizer, or null for a plain model file ({@link #MODEL_FORMAT}: weights
     *                  under their own keys, architecture and position as metadata)
     */
    public static void write(Path file, Map<String, String> architecture, Module model, Optimizer optimizer,
                             int epoch, long step, long seed, String metricsCsv) throws IOException {
        Map<String, Array> arrays = new LinkedHashMap<>();
        String prefix = optimizer == null ? "" : MODEL;
        model.parameters().forEach((k, v) -> arrays.put(prefix + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", optimizer == null ? MODEL_FORMAT : FORMAT);
        architecture.forEach((k, v) -> meta.put(ARCH + k, v));
        meta.put("epoch", Integer.toString(epoch));
        meta.put("step", Long.toString(step));
        meta.put("seed", Long.toString(seed));
        if (optimizer != null) {
            optimizer.state().forEach((k, v) -> arrays.put(OPT + k, v));
            optimizer.hyperparameters().forEach((k, v) -> meta.put(HYPER + k, v));
        }
        meta.put("metrics", metricsCsv == null ? "" : metricsCsv);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        MX.saveSafetensors(file, arrays, meta);
    }

    /**
     * Reads a checkpoint written by {@link #write}. A directory means the newest
     * {@code checkpoints/epoch-*.safetensors} in it (a run's output directory) or directly in it.
     *
     * @throws IOException naming the file when it is missing, unreadable or not an mlx4j checkpoint
     */
    public static Checkpoint read(Path file) throws IOException {
        Path f = resolve(file);
        SafetensorsFile sf;
        try {
            sf = MX.loadSafetensorsWithMetadata(f);
        } catch (IOException e) {
            throw new IOException("[checkpoint] cannot read " + f + ": " + e.getMessage(), e);
        }
        Map<String, String> meta = sf.metadata();
        boolean plain = MODEL_FORMAT.equals(meta.get("format"));
        if (!plain && !FORMAT.equals(meta.get("format"))) {
            throw new IOException("[checkpoint] " + f + " is not an mlx4j checkpoint or model file (metadata format=" + meta.get("format")
                    + ", expected " + FORMAT + " or " + MODEL_FORMAT + "); other weights load with Module.loadWeights.");
        }
        Map<String, String> arch = new LinkedHashMap<>(), hyper = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(ARCH)) arch.put(k.substring(ARCH.length()), v);
            else if (k.startsWith(HYPER)) hyper.put(k.substring(HYPER.length()), v);
        });
        Map<String, Array> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
        sf.arrays().forEach((k, v) -> {
            if (plain) model.put(k, v);
            else if (k.startsWith(MODEL)) model.put(k.substring(MODEL.length()), v);
            else if (k.startsWith(OPT)) opt.put(k.substring(OPT.length()), v);
        });
        try {
            return new Checkpoint(f, arch, Integer.parseInt(meta.getOrDefault("epoch", "0")), Long.parseLong(meta.getOrDefault("step", "0")),
                    Long.parseLong(meta.getOrDefault("seed", "0")), model, opt, hyper, meta.getOrDefault("metrics", ""));
        } catch (NumberFormatException e) {
            throw new IOException("[checkpoint] " + f + " has a malformed epoch/step/seed entry: " + e.getMessage(), e);
        }
    }

    private static Path resolve(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            if (!Files.isRegularFile(p)) throw new IOException("[checkpoint] " + p + " does not exist.");
            return p;
        }
        Path dir = Files.isDirectory(p.resolve("checkpoints")) ? p.resolve("checkpoints") : p;
        try (var s = Files.list(dir)) {
            return s.filter(x -> x.getFileName().toString().matches("epoch-\\d+\\.safetensors")).max(Path::compareTo)
                    .orElseThrow(() -> new IOException("[checkpoint] no epoch-*.safetensors in " + dir + "."));
        }
    }

    /** True if this checkpoint holds an optimizer state (it was written during training). */
    public boolean hasOptimizerState() { return !optimizer.isEmpty(); }

    /**
     * Checks that this checkpoint's architecture equals {@code expected}.
     *
     * @throws IllegalArgumentException naming each differing entry, e.g. {@code model: checkpoint cnn, expected mlp}
     */
    public void checkArchitecture(Map<String, String> expected) {
        Map<String, String> all = new TreeMap<>(expected);
        architecture.forEach(all::putIfAbsent);
        StringBuilder diff = new StringBuilder();
        for (String k : all.keySet()) {
            String mine = architecture.get(k), want = expected.get(k);
            if (!Objects.equals(mine, want)) diff.append(diff.isEmpty() ? "" : "; ").append(k).append(": checkpoint ").append(mine).append(", expected ").append(want);
        }
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException("[checkpoint] " + file + " is a checkpoint of another architecture (" + diff + ").");
        }
    }

    /** Loads the parameters into {@code model} strictly (every key, every shape). */
    public void restoreModel(Module model) {
        try {
            model.loadWeights(this.model, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[checkpoint] " + file + " does not fit the model: " + e.getMessage(), e);
        }
    }

    /**
     * Restores the optimizer's state, after checking the checkpoint was written by the same
     * optimizer class with the same hyperparameters (otherwise resuming would not continue the run).
     */
    public void restoreOptimizer(Optimizer opt) {
        if (!hasOptimizerState()) throw new IllegalArgumentException("[checkpoint] " + file + " holds no optimizer state (a plain model checkpoint); it cannot be resumed.");
        Map<String, String> mine = opt.hyperparameters();
        if (!mine.equals(hyperparameters)) {
            throw new IllegalArgumentException("[checkpoint] " + file + " was written by " + hyperparameters + ", but this run uses " + mine
                    + "; resume with the same optimizer and settings.");
        }
        opt.setState(optimizer);
    }
}
