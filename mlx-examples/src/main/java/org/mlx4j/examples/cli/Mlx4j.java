package org.mlx4j.examples.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mlx4j} command line: {@code train}, {@code finetune}, {@code eval}, {@code generate},
 * {@code doctor} and {@code bench}. Start it with {@code ./mlx4j} at the project root, which builds
 * what is missing and passes the JVM flags; {@code ./mlx4j COMMAND --help} describes each command.
 *
 * <p>Exit codes: 0 success, 1 a failure while running (missing data, a bad checkpoint, ...), 2 a
 * usage error (unknown flag, bad value). Errors print one {@code error: ...} line saying what to do.
 */
@Command(name = "mlx4j", mixinStandardHelpOptions = true, versionProvider = Mlx4j.Version.class,
        description = "Train, fine-tune, evaluate and sample mlx4j models; check the setup; run the benchmarks.",
        subcommands = {TrainCommand.class, FinetuneCommand.class, EvalCommand.class, GenerateCommand.class,
                DoctorCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Mlx4j implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: train, finetune, eval, generate, doctor or bench.");
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line in this JVM and returns the exit code (for tests and embedding). */
    public static int execute(String... args) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        CommandLine cl = new CommandLine(new Mlx4j());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            err.println("error: " + msg);
            if (Boolean.getBoolean("mlx4j.debug")) ex.printStackTrace(err);
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Mlx4j.class.getPackage().getImplementationVersion();
            return new String[] {"mlx4j " + (v == null ? "development build" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
