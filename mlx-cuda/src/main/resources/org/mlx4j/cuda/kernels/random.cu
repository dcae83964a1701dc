// RandomBits: Threefry-2x32 streams, bit for bit those of CpuRandom.bits (and MLX's random.bits).
// No defines: the element width (1, 2 or 4 bytes) is an argument.
//
// Per key, the output is W = ceil(bytesPerKey / 4) little-endian 32-bit words. With h = W / 2 and
// o = W % 2, task c < h hashes counters (c, c + h + o) into words c and c + h + o; for odd W, task h
// hashes (h, 0) and keeps the first word. Words are cut at the key's end. Output: uint32 for width
// 4, uint8 for width 1, int32 holding the uint16 values for width 2.

__device__ __forceinline__ unsigned int rnd_rotl(unsigned int x, int r) { return (x << r) | (x >> (32 - r)); }

// Threefry-2x32, 20 rounds (CpuRandom.threefry2x32): the key schedule (k0, k1, k0 ^ k1 ^ parity)
// rotates by one word at each injection, and injection i (0-based) also adds i + 1 to x1.
__device__ __forceinline__ void rnd_threefry(unsigned int k0, unsigned int k1, unsigned int c0, unsigned int c1,
                                             unsigned int& o0, unsigned int& o1) {
    const unsigned int ks[3] = {k0, k1, k0 ^ k1 ^ 0x1BD11BDAu};
    const int rot[8] = {13, 15, 26, 6, 17, 29, 16, 24};
    unsigned int x0 = c0 + k0, x1 = c1 + k1;
#pragma unroll
    for (int i = 0; i < 5; i++) {
#pragma unroll
        for (int j = 0; j < 4; j++) {
            x0 += x1;
            x1 = rnd_rotl(x1, rot[(i & 1) * 4 + j]);
            x1 ^= x0;
        }
        x0 += ks[(i + 1) % 3];
        x1 += ks[(i + 2) % 3] + (unsigned int) (i + 1);
    }
    o0 = x0;
    o1 = x1;
}

// Stores word w of key `key`'s byte stream (CpuRandom.emit).
__device__ __forceinline__ void rnd_emit(void* out, int width, long long key, long long elemsPerKey, long long bytesPerKey,
                                         long long w, unsigned int v) {
    if (width == 4) {
        ((unsigned int*) out)[key * elemsPerKey + w] = v;
    } else if (width == 2) {
        // uint16 elements widened to int32: low half first (little-endian)
        int* o = (int*) out;
        for (int j = 0; j < 2 && 2 * w + j < elemsPerKey; j++) o[key * elemsPerKey + 2 * w + j] = (int) ((v >> (16 * j)) & 0xffffu);
    } else {
        unsigned char* o = (unsigned char*) out;
        for (int j = 0; j < 4 && 4 * w + j < bytesPerKey; j++) o[key * bytesPerKey + 4 * w + j] = (unsigned char) (v >> (8 * j));
    }
}

// One thread per (key, task). keys: uint32 of numKeys * 2 elements in row-major order through kl.
extern "C" __global__ void mlx_random_bits(void* out, const unsigned int* keys, Layout kl, long long numKeys,
                                           long long elemsPerKey, int width) {
    long long bytesPerKey = elemsPerKey * width;
    long long words = (bytesPerKey + 3) / 4;
    long long half = words / 2;
    long long odd = words & 1;
    long long perKey = half + odd;
    MLX_GRID_LOOP(t, numKeys * perKey) {
        long long key = t / perKey, c = t % perKey;
        unsigned int k0 = keys[layout_offset(kl, 2 * key)], k1 = keys[layout_offset(kl, 2 * key + 1)];
        unsigned int o0, o1;
        if (c < half) {
            // counters are 32-bit, truncated like the CPU's (int) casts
            rnd_threefry(k0, k1, (unsigned int) c, (unsigned int) (c + half + odd), o0, o1);
            rnd_emit(out, width, key, elemsPerKey, bytesPerKey, c, o0);
            rnd_emit(out, width, key, elemsPerKey, bytesPerKey, c + half + odd, o1);
        } else {
            rnd_threefry(k0, k1, (unsigned int) half, 0u, o0, o1);
            rnd_emit(out, width, key, elemsPerKey, bytesPerKey, half, o0);
        }
    }
}
