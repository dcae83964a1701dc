/**
 * Benchmark programs: mlx4j's side of the standard workloads in ../shared/peers, printing the peers' RESULT lines.
 */
package org.mlx4j.examples.bench;
