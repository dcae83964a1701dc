package org.mlx4j.examples.train;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.nn.Module;

/**
 * One training job for the {@link Trainer}: the model, its minibatches in a reproducible order, the
 * loss, and what to measure after each epoch. Batches depend only on (seed, epoch, index), never
 * on what ran before, so a run resumed from a checkpoint sees exactly the batches the uninterrupted
 * run would have seen.
 */
public interface Task {
    /** Short name used in logs and checkpoints ({@code "mlp"}, {@code "cnn"}, {@code "lm"}, ...). */
    String name();

    /** The model being trained. */
    Module model();

    /** Optimizer steps in one epoch. */
    int stepsPerEpoch();

    /**
     * The inputs of the loss for step {@code index} (0-based) of {@code epoch} (0-based), e.g.
     * {@code {images, labels}} or {@code {tokens, targets}}.
     */
    Array[] batch(long seed, int epoch, int index);

    /** The scalar loss of {@code model} on {@code batch} (mean over the batch), lazy. */
    Array loss(Module model, Array[] batch);

    /**
     * Metrics measured after an epoch, in a stable order (e.g. {@code test_accuracy}, or
     * {@code val_loss}); the model is in evaluation mode while this runs.
     */
    Map<String, Double> evaluate();

    /** Items one step consumes, for throughput (images or tokens). */
    long itemsPerStep();

    /** What {@link #itemsPerStep()} counts: {@code "img"} or {@code "tok"}. */
    String itemUnit();

    /**
     * What identifies the architecture, stored in each checkpoint and compared on load so that a
     * checkpoint of another model gives a clear error (e.g. {@code model=lm, layers=4, dims=128}).
     */
    Map<String, String> architecture();
}
