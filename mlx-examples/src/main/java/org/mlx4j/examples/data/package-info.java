/**
 * Datasets for the examples, tests and benchmarks: Fashion-MNIST's IDX files ({@link
 * org.mlx4j.examples.data.FashionMnist}) and where to find or fetch them, checked by SHA-256
 * ({@link org.mlx4j.examples.data.FashionMnistFiles}).
 */
package org.mlx4j.examples.data;
