/**
 * Suites that run against the CUDA backend. Every class is tagged {@code gpu} and skips itself by
 * assumption where no GPU is found, so {@code mvn verify} passes anywhere; on a GPU machine
 * {@code .gpu/run.sh test --include-tag gpu} runs them.
 */
package org.mlx4j.tests.gpu;
