/**
 * Neural-network building blocks on mlx-core, in the spirit of MLX's {@code mlx.nn}:
 * {@link org.mlx4j.nn.Module} (named parameters and children with dotted paths), layers,
 * activations ({@link org.mlx4j.nn.Activations} as functions, classes such as
 * {@link org.mlx4j.nn.ReLU} as modules), losses ({@link org.mlx4j.nn.Losses}), initializers
 * ({@link org.mlx4j.nn.Init}) and {@link org.mlx4j.nn.NN#valueAndGrad}.
 *
 * <p>Everything here is written with mlx-core's public ops: no kernels, no backend code, so every
 * layer runs on every backend and differentiates to any order. Layers are channels-last like MLX:
 * images are (N, H, W, C) and convolution weights (C_out, kH, kW, C_in).
 */
package org.mlx4j.nn;
