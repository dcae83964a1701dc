package org.mlx4j.cuda.lib;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the CUDA libraries are looked for: an immutable, ordered list of folders, and the rule that
 * picks a file from them.
 *
 * <p>The rule ({@link #find}): folders named by the override ({@code -Dmlx4j.cuda.libraryPath}, then
 * {@code MLX4J_CUDA_LIBRARY_PATH}) come first and win with any accepted major, because the user
 * pointed there on purpose; elsewhere the newest major found in any folder wins over an older one
 * (a CUDA 13 toolkit beats a CUDA 12 wheel), and among files of the same major the earlier folder
 * wins. A miss names the library, every file name tried and every folder searched, and says how to fix it.
 *
 * <p>The standard folders ({@link #standard()}), in order: the override; {@code LD_LIBRARY_PATH};
 * {@code /usr/local/cuda/lib64} and {@code /usr/local/cuda/targets/<arch>-linux/lib};
 * {@code /usr/local/cuda-*}{@code /lib64}, newest version first; the NVIDIA pip wheels' folders
 * ({@code nvidia/cu13/lib}, {@code nvidia/cu12/lib}, {@code nvidia/<package>/lib}) under the
 * site-packages / dist-packages of {@code $VIRTUAL_ENV}, {@code $CONDA_PREFIX} (and its {@code lib}),
 * {@code /opt/<name>/.venv}, {@code /usr/local/lib/python3.*}, {@code /usr/lib/python3.*} and
 * {@code ~/.local/lib/python3.*}; then the distribution's folders {@code /usr/lib/<arch>-linux-gnu},
 * {@code /usr/lib64}, {@code /usr/local/nvidia/lib64} (containers) and {@code /usr/lib/wsl/lib} (WSL).
 * The driver ({@link CudaLibrary#DRIVER}) is also accepted by its plain name {@code libcuda.so.1},
 * which the system loader resolves through its cache, since drivers are rarely in any of these folders.
 */
public final class LibrarySearch {
    /** The system property naming override folders (separated by {@link File#pathSeparator}). */
    public static final String PROPERTY = "mlx4j.cuda.libraryPath";
    /** The environment variable naming override folders, read after the property. */
    public static final String ENV = "MLX4J_CUDA_LIBRARY_PATH";

    private final List<Path> overrideDirs;
    private final List<Path> otherDirs;

    /** A search of exactly these folders, in this order (no override, no standard folders). */
    public LibrarySearch(List<Path> dirs) {
        this(List.of(), dirs);
    }

    private LibrarySearch(List<Path> overrideDirs, List<Path> otherDirs) {
        LinkedHashSet<Path> o = new LinkedHashSet<>();
        for (Path p : overrideDirs) o.add(p.toAbsolutePath().normalize());
        LinkedHashSet<Path> rest = new LinkedHashSet<>();
        for (Path p : otherDirs) {
            Path n = p.toAbsolutePath().normalize();
            if (!o.contains(n)) rest.add(n);
        }
        this.overrideDirs = List.copyOf(o);
        this.otherDirs = List.copyOf(rest);
    }

    /** The standard search of this process (its properties, environment and file system). */
    public static LibrarySearch standard() {
        return standard(Environment.current());
    }

    /**
     * The standard search built from {@code env}: tests give a fake root, home and variables; the
     * process passes its own ({@link Environment#current()}).
     */
    public static LibrarySearch standard(Environment env) {
        List<Path> override = new ArrayList<>();
        addPathList(override, env.overrideProperty());
        addPathList(override, env.variable(ENV));
        List<Path> dirs = new ArrayList<>();
        addPathList(dirs, env.variable("LD_LIBRARY_PATH"));
        Path root = env.root();
        String cpu = env.arch().equals("amd64") ? "x86_64" : env.arch();
        String triple = cpu.equals("aarch64") ? "sbsa-linux" : cpu + "-linux";
        dirs.add(root.resolve("usr/local/cuda/lib64"));
        dirs.add(root.resolve("usr/local/cuda/targets/" + triple + "/lib"));
        for (Path cuda : children(root.resolve("usr/local"), n -> n.startsWith("cuda-"), VERSION_NEWEST_FIRST)) {
            dirs.add(cuda.resolve("lib64"));
        }
        // conda's cuda packages install into the prefix's own lib
        String conda = env.variable("CONDA_PREFIX");
        if (conda != null && !conda.isBlank()) dirs.add(Path.of(conda, "lib"));
        for (Path sp : sitePackages(env)) dirs.addAll(wheelDirs(sp));
        dirs.add(root.resolve("usr/lib/" + cpu + "-linux-gnu"));
        dirs.add(root.resolve("usr/lib64"));
        dirs.add(root.resolve("usr/local/nvidia/lib64"));
        dirs.add(root.resolve("usr/lib/wsl/lib"));
        return new LibrarySearch(override, dirs);
    }

    /** The site-packages / dist-packages folders that exist, in search order. */
    static List<Path> sitePackages(Environment env) {
        List<Path> prefixes = new ArrayList<>();
        String venv = env.variable("VIRTUAL_ENV");
        if (venv != null && !venv.isBlank()) prefixes.add(Path.of(venv));
        String conda = env.variable("CONDA_PREFIX");
        if (conda != null && !conda.isBlank()) prefixes.add(Path.of(conda));
        for (Path opt : children(env.root().resolve("opt"), n -> true, Comparator.naturalOrder())) {
            prefixes.add(opt.resolve(".venv"));
        }
        prefixes.add(env.root().resolve("usr/local"));
        prefixes.add(env.root().resolve("usr"));
        if (env.home() != null) prefixes.add(env.home().resolve(".local"));
        List<Path> out = new ArrayList<>();
        for (Path prefix : prefixes) {
            for (Path py : children(prefix.resolve("lib"), n -> n.startsWith("python3"), VERSION_NEWEST_FIRST)) {
                for (String kind : List.of("site-packages", "dist-packages")) {
                    Path sp = py.resolve(kind);
                    if (Files.isDirectory(sp)) out.add(sp);
                }
            }
        }
        return out;
    }

    /**
     * The wheel folders under one site-packages that exist: the CUDA 13 wheels' shared
     * {@code nvidia/cu13/lib}, then {@code nvidia/cu12/lib}, then each {@code nvidia/<package>/lib}
     * (the CUDA 12 wheels: {@code cuda_nvrtc}, {@code cublas}, {@code cudnn}, ...).
     */
    static List<Path> wheelDirs(Path sitePackages) {
        Path nvidia = sitePackages.resolve("nvidia");
        List<Path> out = new ArrayList<>();
        for (String first : List.of("cu13", "cu12")) {
            Path p = nvidia.resolve(first).resolve("lib");
            if (Files.isDirectory(p)) out.add(p);
        }
        for (Path pkg : children(nvidia, n -> !n.equals("cu13") && !n.equals("cu12"), Comparator.naturalOrder())) {
            Path p = pkg.resolve("lib");
            if (Files.isDirectory(p)) out.add(p);
        }
        return out;
    }

    /** Adds the entries of a {@code :}-separated folder list. */
    private static void addPathList(List<Path> out, String list) {
        if (list == null) return;
        for (String s : list.split(Pattern.quote(File.pathSeparator))) {
            if (!s.isBlank()) out.add(Path.of(s.trim()));
        }
    }

    /** Sub-folders of {@code dir} whose names pass {@code keep}, in {@code order}; none when it is absent. */
    private static List<Path> children(Path dir, Predicate<String> keep, Comparator<String> order) {
        if (!Files.isDirectory(dir)) return List.of();
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (keep.test(n) && Files.isDirectory(p)) names.add(n);
            }
        } catch (IOException | SecurityException e) {
            return List.of(); // an unreadable folder is one we cannot search: skip it
        }
        names.sort(order);
        return names.stream().map(dir::resolve).toList();
    }

    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    /** Orders names by the numbers in them, highest first: cuda-13.0 before cuda-12.10 before cuda-12.9. */
    static final Comparator<String> VERSION_NEWEST_FIRST = (a, b) -> {
        List<Integer> va = numbers(a), vb = numbers(b);
        for (int i = 0; i < Math.max(va.size(), vb.size()); i++) {
            int x = i < va.size() ? va.get(i) : -1, y = i < vb.size() ? vb.get(i) : -1;
            if (x != y) return Integer.compare(y, x);
        }
        return a.compareTo(b);
    };

    private static List<Integer> numbers(String s) {
        List<Integer> out = new ArrayList<>();
        Matcher m = NUMBERS.matcher(s);
        while (m.find()) {
            try {
                out.add(Integer.parseInt(m.group()));
            } catch (NumberFormatException e) {
                out.add(Integer.MAX_VALUE);
            }
        }
        return out;
    }

    /** Every folder searched, in order (override folders first). */
    public List<Path> dirs() {
        List<Path> all = new ArrayList<>(overrideDirs);
        all.addAll(otherDirs);
        return List.copyOf(all);
    }

    /** The override folders (from the property and the environment variable). */
    public List<Path> overrideDirs() { return overrideDirs; }

    /** Looks for {@code library}: a {@link Found} or a {@link Missing}. Touches only the file system. */
    public Result find(CudaLibrary library) {
        Objects.requireNonNull(library);
        Found f = firstNewest(library, overrideDirs);
        if (f == null) f = firstNewest(library, otherDirs);
        if (f != null) return f;
        if (library == CudaLibrary.DRIVER) {
            // the driver is installed where the loader's cache points, rarely on any path above
            return new Found(library, library.majors().get(0), null);
        }
        return new Missing(library, missMessage(library));
    }

    /** Like {@link #find}, but a miss is an {@link IllegalStateException} carrying the miss message. */
    public Found require(CudaLibrary library) {
        return switch (find(library)) {
            case Found f -> f;
            case Missing m -> throw new IllegalStateException(m.message());
        };
    }

    private static Found firstNewest(CudaLibrary library, List<Path> dirs) {
        for (int major : library.majors()) {
            String name = library.fileName(major);
            for (Path d : dirs) {
                Path p = d.resolve(name);
                if (Files.isRegularFile(p)) return new Found(library, major, p);
            }
        }
        return null;
    }

    /**
     * The message of a miss: the library, the names tried, every folder searched (marking those that
     * do not exist) and the fix.
     */
    public String missMessage(CudaLibrary library) {
        StringBuilder sb = new StringBuilder();
        sb.append("[cuda] ").append(library.fileNames().get(0).replaceAll("\\.so\\.\\d+$", ""))
                .append(" not found: tried ").append(String.join(", ", library.fileNames()));
        if (library == CudaLibrary.DRIVER) sb.append(" (and the system loader's own search)");
        List<Path> all = dirs();
        sb.append(" in ").append(all.size()).append(all.size() == 1 ? " folder:" : " folders:");
        for (Path d : all) {
            sb.append("\n  ").append(d);
            if (overrideDirs.contains(d)) sb.append(" (override)");
            if (!Files.isDirectory(d)) sb.append(" (absent)");
        }
        sb.append("\nTo fix: install ").append(installHint(library))
                .append(", or set -D").append(PROPERTY).append("=DIR (or ").append(ENV)
                .append("=DIR) to the folder that holds ").append(library.fileNames().get(0)).append('.');
        return sb.toString();
    }

    private static String installHint(CudaLibrary library) {
        return switch (library) {
            case DRIVER -> "the NVIDIA driver";
            case NVRTC -> "the CUDA toolkit 12 or 13 (its nvrtc package) or the pip wheel nvidia-cuda-nvrtc-cu12";
            case CUBLAS, CUBLASLT -> "the CUDA toolkit 12 or 13 (its cublas package) or the pip wheel nvidia-cublas-cu12";
            case CUDNN -> "cuDNN 9 (the cudnn9 package for your CUDA) or the pip wheel nvidia-cudnn-cu12";
        };
    }

    @Override public String toString() { return "LibrarySearch" + dirs(); }

    /** What {@link #find} answers. */
    public sealed interface Result permits Found, Missing {
        /** The library looked for. */
        CudaLibrary library();
    }

    /**
     * A library that was found.
     *
     * @param library the library
     * @param major   its major version (from the file name)
     * @param path    the file, or null where the system loader is to find it by {@link #loadName()}
     */
    public record Found(CudaLibrary library, int major, Path path) implements Result {
        /** True when only the system loader can say whether the library exists (the driver). */
        public boolean viaLoader() { return path == null; }

        /** What to hand to the loader: the file's path, or the plain file name. */
        public String loadName() { return path != null ? path.toString() : library.fileName(major); }
    }

    /**
     * A library that was not found.
     *
     * @param library the library
     * @param message what was tried, where, and how to fix it
     */
    public record Missing(CudaLibrary library, String message) implements Result {}

    /**
     * What a standard search is built from.
     *
     * @param overrideProperty the value of {@code -Dmlx4j.cuda.libraryPath}, or null
     * @param variables        the environment variables
     * @param root             where absolute system folders ({@code /usr/local/cuda}, ...) are resolved; {@code /} normally
     * @param home             the user's home folder, or null
     * @param arch             {@code os.arch}: {@code amd64} or {@code aarch64}
     */
    public record Environment(String overrideProperty, Map<String, String> variables, Path root, Path home, String arch) {
        /** Copies the variables. */
        public Environment {
            variables = Map.copyOf(variables);
            Objects.requireNonNull(root);
            Objects.requireNonNull(arch);
        }

        /** This process's environment. */
        public static Environment current() {
            String home = System.getProperty("user.home");
            return new Environment(System.getProperty(PROPERTY), System.getenv(), Path.of("/"),
                    home == null || home.isBlank() ? null : Path.of(home), System.getProperty("os.arch", "amd64"));
        }

        /** One variable, or null. */
        public String variable(String name) { return variables.get(name); }
    }
}
