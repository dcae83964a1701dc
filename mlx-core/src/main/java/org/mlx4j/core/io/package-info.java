/**
 * Saving and loading arrays: NumPy {@code .npy} and {@code .npz}, and Hugging Face
 * {@code .safetensors} with string metadata, for every {@link org.mlx4j.core.DType}.
 *
 * <p>Users call the facade ({@code MX.save}, {@code MX.loadNpy}, {@code MX.savez},
 * {@code MX.loadNpz}, {@code MX.saveSafetensors}, {@code MX.loadSafetensors}, and the
 * extension-dispatching {@code MX.load}); the classes here do the work:
 * {@link org.mlx4j.core.io.Npy}, {@link org.mlx4j.core.io.Npz},
 * {@link org.mlx4j.core.io.Safetensors} and {@link org.mlx4j.core.io.ArrayFiles}.
 *
 * <p>Rules every format follows:
 * <ul>
 *   <li>Writes are atomic: data goes to a temporary file in the target's directory, is forced to
 *       disk, and is then renamed over the target. A failed save leaves neither a partial target
 *       nor the temporary file, and an existing target keeps its old contents.</li>
 *   <li>Data streams between off-heap memory and the file; no array is ever copied into one big
 *       Java {@code byte[]}.</li>
 *   <li>Every read is checked before memory is allocated: a corrupt or truncated file gives an
 *       {@link java.io.IOException} that names the file and what is wrong, never an
 *       {@link OutOfMemoryError} from a header that lies about sizes.</li>
 *   <li>Loaded arrays are evaluated CPU arrays; data is stored little-endian and row-major.</li>
 * </ul>
 */
package org.mlx4j.core.io;
