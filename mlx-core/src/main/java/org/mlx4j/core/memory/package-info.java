/**
 * The caching off-heap allocator and reference-counted host buffers.
 */
package org.mlx4j.core.memory;
