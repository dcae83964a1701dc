/**
 * CUDA C kernels: their specs ({@link org.mlx4j.cuda.kernel.KernelSpec}), source assembly, NVRTC
 * options and the on-disk cache of compiled modules. Nothing here needs a GPU.
 */
package org.mlx4j.cuda.kernel;
