/** Dataset readers for the end-to-end tests and benchmarks (Fashion-MNIST's IDX files). */
package org.mlx4j.examples.data;
