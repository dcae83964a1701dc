/**
 * The training loop of the examples and the command line: tasks, checkpoints, metrics, plots, progress.
 *
 * <p>A run's output directory holds {@code metrics.csv} (one row per epoch, {@link
 * org.mlx4j.examples.train.MetricsCsv}), {@code steps.csv} (one row per optimizer step, {@link
 * org.mlx4j.examples.train.StepsCsv}) and {@code plot.png} ({@link org.mlx4j.examples.train.Plots}).
 * Files rewritten as a whole are replaced atomically (a temporary file in the same directory, then
 * one rename), so an interrupted run never leaves a half-written file under the final name.
 */
package org.mlx4j.examples.train;
