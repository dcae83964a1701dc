/**
 * The CUDA libraries the backend calls besides the driver: NVRTC, cuBLASLt and cuDNN, through small
 * hand-written {@code java.lang.foreign} facades that load whichever major version is installed
 * ({@link org.mlx4j.cuda.lib.LibrarySearch} finds the files, {@link org.mlx4j.cuda.lib.CudaLibraries}
 * holds one instance of each and the report for {@code mlx4j doctor}). Nothing here is loaded until
 * first asked for; a missing library is an {@link java.lang.IllegalStateException} naming what was searched.
 */
package org.mlx4j.cuda.lib;
