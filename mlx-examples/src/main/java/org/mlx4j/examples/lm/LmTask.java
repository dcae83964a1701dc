package org.mlx4j.examples.lm;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.examples.train.Task;
import org.mlx4j.nn.Losses;
import org.mlx4j.nn.Module;
import org.mlx4j.nn.Reduction;

/**
 * Next-byte prediction on a {@link ByteCorpus} with a {@link CharTransformer}, the protocol of
 * ../shared/peers/transformer_lm.py: each step takes B windows of T bytes at uniform random offsets
 * into the training split (targets are the windows shifted by one), the loss is the mean
 * cross-entropy over all B*T positions, and the validation loss is the mean over 16 batches of 32
 * fixed, evenly spaced validation windows.
 *
 * <p>Both splits live on the device once as int32 token arrays; a batch is one {@link MX#take}
 * of offset-plus-position indices, so no per-token Java loop runs in a step.
 */
public final class LmTask implements Task {
    /** Validation batches, as the peer. */
    public static final int VAL_BATCHES = 16;
    /** Windows per validation batch, as the peer (its training batch size). */
    public static final int VAL_BATCH = 32;

    private final CharTransformer model;
    private final ByteCorpus corpus;
    private final int batch, context, stepsPerEpoch;
    private final Array train, val;
    /** (T) positions 0..T-1 and 1..T: added to offsets to index inputs and targets. */
    private final Array inputPositions, targetPositions;
    /** (VAL_BATCHES, VAL_BATCH, T) validation inputs and targets, gathered once. */
    private final Array valInputs, valTargets;

    /**
     * A task training {@code model} on {@code corpus}.
     *
     * @param batch         windows per step (B)
     * @param stepsPerEpoch steps in one epoch (the data are sampled, so an epoch is only a unit of steps)
     * @throws IllegalArgumentException if batch or stepsPerEpoch is not positive, or the corpus splits
     *                                  are shorter than the model's context + 2
     */
    public LmTask(CharTransformer model, ByteCorpus corpus, int batch, int stepsPerEpoch) {
        if (model == null || corpus == null) throw new IllegalArgumentException("[LmTask] model and corpus must not be null.");
        if (batch <= 0 || stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("[LmTask] batch and stepsPerEpoch must be positive, got batch=" + batch + " and stepsPerEpoch=" + stepsPerEpoch + ".");
        }
        if (model.config().vocab() < 256) {
            throw new IllegalArgumentException("[LmTask] byte tokens need a vocabulary of at least 256, got " + model.config().vocab() + ".");
        }
        this.model = model;
        this.corpus = corpus;
        this.batch = batch;
        this.context = model.config().context();
        this.stepsPerEpoch = stepsPerEpoch;
        corpus.checkContext(context);
        train = corpus.trainTokens();
        val = corpus.validationTokens();
        inputPositions = MX.arange(context);
        targetPositions = MX.arange(1, context + 1, 1);
        Array offsets = MX.array(validationOffsets(val.dim(0), context, VAL_BATCHES * VAL_BATCH), VAL_BATCHES, VAL_BATCH, 1);
        valInputs = MX.take(val, MX.add(offsets, inputPositions), 0);
        valTargets = MX.take(val, MX.add(offsets, targetPositions), 0);
        MX.eval(train, val, inputPositions, targetPositions, valInputs, valTargets);
    }

    /**
     * The peer's validation offsets, {@code torch.linspace(0, n - T - 2, count).long()}: float32
     * values computed as PyTorch 1.13's CPU kernel does (the first half forward from 0, the second
     * half back from the end, eight lanes at a time from a fused multiply-add base) and truncated,
     * so the windows are the peer's byte for byte (a double-precision linspace differs in a few).
     */
    static int[] validationOffsets(int n, int context, int count) {
        float start = 0f, end = n - context - 2;
        int[] out = new int[count];
        if (count == 1) return out;
        float step = (end - start) / (count - 1);
        int half = count / 2, lanes = 8, idx = 0;
        for (; idx + lanes <= count; idx += lanes) {
            float base = idx < half ? Math.fma(step, (float) idx, start) : Math.fma(-step, (float) (count - idx - 1), end);
            for (int i = 0; i < lanes; i++) out[idx + i] = (int) (base + (float) i * step);
        }
        for (; idx < count; idx++) {
            out[idx] = (int) (idx < half ? Math.fma(step, (float) idx, start) : Math.fma(-step, (float) (count - idx - 1), end));
        }
        return out;
    }

    @Override public String name() { return "lm"; }

    @Override public CharTransformer model() { return model; }

    /** The corpus trained on. */
    public ByteCorpus corpus() { return corpus; }

    /** Windows per step (B). */
    public int batchSize() { return batch; }

    @Override public int stepsPerEpoch() { return stepsPerEpoch; }

    /**
     * B windows at uniform random offsets in {@code [0, len(train) - T - 1)}, from a key that
     * depends only on (seed, epoch, index).
     *
     * @return {tokens (B, T) int32, targets (B, T) int32}, lazy
     */
    @Override public Array[] batch(long seed, int epoch, int index) {
        Array key = MX.key(mix(seed, epoch, index));
        Array offsets = MX.randint(0, train.dim(0) - context - 1, new int[] {batch, 1}, DType.INT32, key);
        return new Array[] {MX.take(train, MX.add(offsets, inputPositions), 0), MX.take(train, MX.add(offsets, targetPositions), 0)};
    }

    /** A 64-bit mix of (seed, epoch, index) (SplitMix64's finalizer on each, chained), so nearby triples give unrelated keys. */
    static long mix(long seed, int epoch, int index) {
        long h = splitMix(seed);
        h = splitMix(h ^ (epoch + 0x9E3779B97F4A7C15L));
        return splitMix(h ^ (index + 0xD1B54A32D192ED03L));
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Mean cross-entropy over all B*T positions of {@code batch = {tokens, targets}}. */
    @Override public Array loss(Module m, Array[] batch) {
        return loss((CharTransformer) m, batch[0], batch[1]);
    }

    /** Mean cross-entropy of {@code model}'s logits for tokens (B, T) against targets (B, T). */
    public static Array loss(CharTransformer model, Array tokens, Array targets) {
        Array logits = model.forward(tokens);
        int v = logits.dim(-1);
        return Losses.crossEntropy(MX.reshape(logits, -1, v), MX.reshape(targets, -1), Reduction.MEAN);
    }

    /**
     * {@code val_loss}: the mean of 16 batch means over 32 fixed, evenly spaced validation windows
     * each, in evaluation mode (restored afterwards). A sync point per batch.
     */
    @Override public Map<String, Double> evaluate() {
        boolean was = model.isTraining();
        model.eval();
        double total = 0;
        try {
            for (int i = 0; i < VAL_BATCHES; i++) {
                Array x = MX.take(valInputs, MX.array(new int[] {i}, 1), 0);
                Array y = MX.take(valTargets, MX.array(new int[] {i}, 1), 0);
                total += loss(model, MX.reshape(x, VAL_BATCH, context), MX.reshape(y, VAL_BATCH, context)).item();
            }
        } finally {
            model.train(was);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("val_loss", total / VAL_BATCHES);
        return out;
    }

    @Override public long itemsPerStep() { return (long) batch * context; }

    @Override public String itemUnit() { return "tok"; }

    @Override public Map<String, String> architecture() {
        var c = model.config();
        Map<String, String> a = new LinkedHashMap<>();
        a.put("model", "lm");
        a.put("layers", Integer.toString(c.layers()));
        a.put("dims", Integer.toString(c.dims()));
        a.put("heads", Integer.toString(c.heads()));
        a.put("context", Integer.toString(c.context()));
        a.put("vocab", Integer.toString(c.vocab()));
        return a;
    }
}
