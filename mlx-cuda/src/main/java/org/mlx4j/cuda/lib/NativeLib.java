package org.mlx4j.cuda.lib;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * One loaded shared library and lazily bound functions in it. Loading happens once, for the life of
 * the process ({@link Arena#global()}): these libraries are never unloaded. A function is bound at its
 * first call, so a library missing a function we rarely use still serves the others, and the failure
 * names the library, its path and the missing symbol.
 */
final class NativeLib {
    static final Linker LINKER = Linker.nativeLinker();
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final java.lang.foreign.AddressLayout ADDR = ValueLayout.ADDRESS;
    /** {@code size_t} on the 64-bit Linux this backend supports. */
    static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;

    private final LibrarySearch.Found found;
    private final SymbolLookup lookup;

    private NativeLib(LibrarySearch.Found found, SymbolLookup lookup) {
        this.found = found;
        this.lookup = lookup;
    }

    /**
     * Finds and loads {@code library}.
     *
     * @throws IllegalStateException naming what was searched (not found) or why the loader refused (found)
     */
    static NativeLib open(LibrarySearch search, CudaLibrary library) {
        LibrarySearch.Found f = search.require(library);
        try {
            SymbolLookup lookup = f.viaLoader()
                    ? SymbolLookup.libraryLookup(f.loadName(), Arena.global())
                    : SymbolLookup.libraryLookup(f.path(), Arena.global());
            return new NativeLib(f, lookup);
        } catch (RuntimeException e) {
            // IllegalArgumentException from dlopen (not a library, wrong architecture, a missing
            // dependency), IllegalCallerException when native access is denied
            if (f.viaLoader()) {
                throw new IllegalStateException(search.missMessage(library) + "\n(the system loader said: " + e.getMessage() + ")", e);
            }
            throw new IllegalStateException("[cuda] found " + f.path() + " but cannot load it: " + e.getMessage()
                    + (e instanceof IllegalCallerException ? " (run java with --enable-native-access=ALL-UNNAMED)" : ""), e);
        }
    }

    /** What was loaded. */
    LibrarySearch.Found found() { return found; }

    /** The path (or loader name) for messages. */
    String where() { return found.loadName(); }

    /** A function of this library, bound at first use. */
    Fn fn(String symbol, FunctionDescriptor descriptor) {
        return new Fn(symbol, descriptor);
    }

    /** A lazily bound native function. */
    final class Fn {
        private final String symbol;
        private final FunctionDescriptor descriptor;
        private volatile MethodHandle handle;

        private Fn(String symbol, FunctionDescriptor descriptor) {
            this.symbol = symbol;
            this.descriptor = descriptor;
        }

        /** The name in the library. */
        String symbol() { return symbol; }

        /**
         * The downcall handle.
         *
         * @throws IllegalStateException naming the library, its path and the symbol when it is absent
         */
        MethodHandle handle() {
            MethodHandle h = handle;
            if (h == null) {
                MemorySegment address = lookup.find(symbol).orElseThrow(() -> new IllegalStateException(
                        "[cuda] " + found.library().fileName(found.major()) + " at " + where() + " has no symbol " + symbol
                                + " (a different or broken version of the library?)"));
                h = LINKER.downcallHandle(address, descriptor);
                handle = h;
            }
            return h;
        }

        /** True when the library exports the symbol (binding it). */
        boolean present() {
            try {
                handle();
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }
    }

    /** A NUL-terminated C string at {@code address} (null address: null). */
    static String cString(MemorySegment address) {
        if (address == null || address.equals(MemorySegment.NULL)) return null;
        return address.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
    }

    /** Rethrows what a downcall threw: errors and runtime exceptions as they are, anything else wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("[cuda] native call failed: " + t, t);
    }
}
