package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.core.primitive.Primitive;

/**
 * Holds the CPU backend to its promise: every primitive record of mlx-core has a CPU kernel, so a
 * new primitive without one fails the build here rather than at a user's eval.
 */
class ConformanceTest {
    static List<Class<?>> primitiveClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path where = Path.of(Primitive.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = Primitive.class.getPackageName().replace('.', '/');
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> s = Files.list(where.resolve(pkg))) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class")).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(pkg + "/") && n.endsWith(".class"))
                        .map(n -> n.substring(pkg.length() + 1)).filter(n -> !n.contains("/")).forEach(names::add);
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            if (n.contains("$")) continue;
            Class<?> c = Class.forName(Primitive.class.getPackageName() + "." + n.substring(0, n.length() - 6));
            if (c.isRecord() && Primitive.class.isAssignableFrom(c)) out.add(c);
        }
        return out;
    }

    @Test
    void everyPrimitiveHasACpuKernel() throws Exception {
        List<Class<?>> prims = primitiveClasses();
        assertTrue(prims.size() >= 15, "found only " + prims);
        var registered = Backends.cpu().registry().primitives();
        List<String> missing = new ArrayList<>();
        for (Class<?> c : prims) if (!registered.contains(c)) missing.add(c.getSimpleName());
        assertTrue(missing.isEmpty(), "primitives without a CPU kernel: " + missing);
        assertTrue(Backends.cpu().unsupported().isEmpty());
    }
}
