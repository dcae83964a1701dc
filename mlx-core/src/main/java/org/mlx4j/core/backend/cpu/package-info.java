/**
 * The CPU backend: scalar loops always, Vector API loops when jdk.incubator.vector is present, one Parallel helper.
 */
package org.mlx4j.core.backend.cpu;
