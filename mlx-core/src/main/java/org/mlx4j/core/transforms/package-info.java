/**
 * Evaluation and function transforms (vjp, jvp and the grad family).
 */
package org.mlx4j.core.transforms;
