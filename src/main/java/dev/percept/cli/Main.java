package dev.percept.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `percept` command line: one subcommand per verb, each a thin parser over a library call. */
@Command(
        name = "percept",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Align vision representations to human perceptual judgments.",
        subcommands = {
            DemoCommand.class,
            EmbedCommand.class,
            DistanceCommand.class,
            EvalCommand.class,
            AlignCommand.class,
            PretrainCommand.class,
            CompareCommand.class,
            MergeCommand.class,
            ConvertCommand.class,
            ModelsCommand.class,
            PullCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            SynthCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new Errors());
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"percept " + (v == null ? "dev" : v)};
        }
    }
}
