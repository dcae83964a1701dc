/**
 * The CUDA backend, found through {@link java.util.ServiceLoader}: the driver API through JCuda,
 * cuBLASLt, cuDNN and NVRTC through {@code java.lang.foreign}, kernels compiled at run time by NVRTC.
 * Where no driver, device or library is found the backend reports itself unavailable and costs nothing.
 */
package org.mlx4j.cuda;
