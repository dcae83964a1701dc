package org.mlx4j.core.backend.spi;

import org.mlx4j.core.Device;

/**
 * An ordered queue of work on one device. Kernels submitted to a stream run in order; host reads
 * wait for the stream through {@link Backend#synchronize(Stream)}. The CPU backend runs kernels
 * as they are submitted, so its stream is always synchronized.
 *
 * @param device the device the stream belongs to
 * @param index  the stream's number on that device (0 is the default stream)
 */
public record Stream(Device device, int index) {}
