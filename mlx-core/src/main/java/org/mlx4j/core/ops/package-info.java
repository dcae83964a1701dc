/**
 * The op families behind {@link org.mlx4j.core.MX}: argument checks, dtype promotion, broadcasting and node construction.
 */
package org.mlx4j.core.ops;
