package org.mlx4j.cuda;

import jcuda.driver.CUstream;

/** A JCuda stream whose raw handle we can pass to cuBLASLt and cuDNN through java.lang.foreign. */
final class RawStream extends CUstream {
    /** The CUstream handle as an address. */
    long address() { return getNativePointer(); }
}
