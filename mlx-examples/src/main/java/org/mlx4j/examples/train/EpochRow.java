package org.mlx4j.examples.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch of a training run, as a row of {@code metrics.csv}.
 *
 * @param epoch          the epoch number, as the trainer counts it
 * @param step           optimizer steps taken when the epoch ended (over the whole run)
 * @param trainLoss      mean training loss over the epoch's steps
 * @param metrics        what the task measured after the epoch, by name, in a stable order
 *                       (e.g. {@code test_accuracy}); kept in the given order, unmodifiable
 * @param epochSeconds   wall time of the epoch
 * @param itemsPerSecond training throughput (images or tokens per second)
 */
public record EpochRow(int epoch, long step, double trainLoss, Map<String, Double> metrics, double epochSeconds,
        double itemsPerSecond) {
    /**
     * Checks the values and keeps an unmodifiable copy of {@code metrics} in its order.
     *
     * @throws IllegalArgumentException if epoch or step is negative, or a metric name or value is null
     */
    public EpochRow {
        if (epoch < 0 || step < 0) {
            throw new IllegalArgumentException("[EpochRow] epoch and step must be >= 0. Got epoch " + epoch + ", step " + step + ".");
        }
        LinkedHashMap<String, Double> copy = new LinkedHashMap<>();
        for (var e : metrics.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("[EpochRow] metric names and values must not be null. Got " + metrics + ".");
            }
            copy.put(e.getKey(), e.getValue());
        }
        metrics = Collections.unmodifiableMap(copy);
    }
}
