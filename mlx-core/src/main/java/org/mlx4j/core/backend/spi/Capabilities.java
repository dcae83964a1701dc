package org.mlx4j.core.backend.spi;

/**
 * What a backend can compute, so ops can reject a dtype before a kernel fails.
 *
 * @param float64  float64 kernels exist
 * @param float16  float16 kernels exist
 * @param bfloat16 bfloat16 kernels exist
 */
public record Capabilities(boolean float64, boolean float16, boolean bfloat16) {}
