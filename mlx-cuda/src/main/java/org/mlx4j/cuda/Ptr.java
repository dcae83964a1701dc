package org.mlx4j.cuda;

/**
 * A raw device address passed to a kernel as a pointer argument (8 bytes).
 *
 * @param address the device virtual address
 */
public record Ptr(long address) {
    /** This address moved by {@code bytes}. */
    public Ptr plus(long bytes) { return new Ptr(address + bytes); }
}
