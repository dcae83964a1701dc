package org.mlx4j.examples.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlx4j bench}: the standard workloads, one JVM each, as a table. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run mlx4j's standard workloads (those of ../shared/peers), each in its own JVM, and print a table.",
                "bench/compare.sh runs the same beside PyTorch and prints the ratios."})
final class BenchCommand implements Callable<Integer> {
    static final List<String> WORKLOADS = List.of("gemm", "elementwise", "step", "mlp", "cnn", "lm");
    private static final Pattern RESULT = Pattern.compile("RESULT (\\S+)=(\\S+) (\\S+)");

    @Option(names = "--only", defaultValue = "gemm,elementwise,step,mlp,cnn,lm", split = ",",
            description = "Workloads to run, comma-separated, from: gemm, elementwise, step, mlp, cnn, lm. Default: all.")
    List<String> only;

    @Option(names = "--quick", description = "Fewer epochs and steps (mlp 2 epochs, cnn 1 epoch of 100 batches, lm 30 steps): a smoke run.")
    boolean quick;

    @Override public Integer call() throws Exception {
        for (String w : only) {
            if (!WORKLOADS.contains(w)) throw new IllegalArgumentException("[--only] unknown workload '" + w + "'; choose from " + WORKLOADS + ".");
        }
        Map<String, String[]> results = new LinkedHashMap<>();
        for (String w : only) {
            List<String> args = new ArrayList<>(switch (w) {
                case "mlp", "cnn" -> List.of("org.mlx4j.examples.bench.TrainBench", w);
                case "lm" -> List.of("org.mlx4j.examples.lm.LmBench");
                default -> List.of("org.mlx4j.examples.bench.CoreBench", "--only", w);
            });
            if (quick) {
                switch (w) {
                    case "mlp" -> args.addAll(List.of("--epochs", "2"));
                    case "cnn" -> args.addAll(List.of("--epochs", "1", "--max-batches", "100"));
                    case "lm" -> args.addAll(List.of("--steps", "30", "--warmup-steps", "5"));
                    default -> { }
                }
            }
            System.err.println("running " + w + " ...");
            for (String line : runJava(args)) {
                Matcher m = RESULT.matcher(line);
                if (m.find()) results.put(m.group(1), new String[] {m.group(2), m.group(3)});
            }
        }
        System.out.printf(Locale.ROOT, "%-48s %14s  %s%n", "result", "value", "unit");
        results.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-48s %14s  %s%n", k, v[0], v[1]));
        return results.isEmpty() ? 1 : 0;
    }

    /** Runs a main class in a child JVM with this JVM's class path and flags; returns its stdout lines. */
    static List<String> runJava(List<String> mainAndArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
                System.err.println("  " + line);
            }
        }
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException("[bench] " + mainAndArgs.getFirst() + " exited with " + rc + ".");
        return lines;
    }
}
