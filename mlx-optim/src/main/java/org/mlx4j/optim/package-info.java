/**
 * Optimizers, learning-rate schedules and gradient clipping, in the spirit of MLX's
 * {@code mlx.optimizers}. They work on parameter trees (dotted path to array, the maps
 * {@code Module.parameters()} returns) and never depend on mlx-nn.
 *
 * <ul>
 *   <li>{@link org.mlx4j.optim.Optimizer}: the base; {@code apply(gradients, parameters)} returns
 *       the new tree lazily, {@code state()} / {@code saveState} / {@code loadState} keep the
 *       per-parameter state ({@code "step"}, {@code "learning_rate"},
 *       {@code "<parameter path>.<name>"}).</li>
 *   <li>{@link org.mlx4j.optim.SGD}, {@link org.mlx4j.optim.Adam}, {@link org.mlx4j.optim.AdamW},
 *       {@link org.mlx4j.optim.Adamax}, {@link org.mlx4j.optim.RMSprop},
 *       {@link org.mlx4j.optim.Adagrad}, {@link org.mlx4j.optim.AdaDelta},
 *       {@link org.mlx4j.optim.Lion}, {@link org.mlx4j.optim.Adafactor},
 *       {@link org.mlx4j.optim.Muon}: MLX's formulas and defaults; {@code new Adam(1e-3)} or
 *       {@code Adam.builder(1e-3).betas(0.9, 0.98).build()}.</li>
 *   <li>{@link org.mlx4j.optim.MultiOptimizer}: different optimizers for different parameters.</li>
 *   <li>{@link org.mlx4j.optim.Schedule} and {@link org.mlx4j.optim.Schedules}: learning rates as
 *       functions of the step array.</li>
 *   <li>{@link org.mlx4j.optim.ClipGrad}: global-norm clipping.</li>
 * </ul>
 * <pre>{@code
 * Optimizer opt = AdamW.builder(Schedules.cosineDecay(1e-3, 10_000)).weightDecay(0.05).build();
 * var clipped = ClipGrad.clipGradNorm(grads, 1.0);
 * model.update(opt.apply(clipped.gradients(), model.trainableParameters()));
 * MX.eval(model.parameters());
 * MX.eval(opt.state());
 * }</pre>
 */
package org.mlx4j.optim;
