/**
 * The public API: {@link org.mlx4j.core.Array}, {@link org.mlx4j.core.MX} (every op), {@link org.mlx4j.core.DType}, {@link org.mlx4j.core.Shape}, {@link org.mlx4j.core.Device} and {@link org.mlx4j.core.Scope}.
 */
package org.mlx4j.core;
