/**
 * The backend SPI: what a device backend (CPU built in; CUDA and Metal found through ServiceLoader) implements. For backend modules, not for applications.
 */
package org.mlx4j.core.backend.spi;
