/**
 * Optimizers, learning-rate schedules and gradient clipping, in the spirit of MLX's
 * {@code mlx.optimizers}. They work on parameter trees (dotted path to array, the maps
 * {@code Module.parameters()} returns) and never depend on mlx-nn.
 */
package org.mlx4j.optim;
