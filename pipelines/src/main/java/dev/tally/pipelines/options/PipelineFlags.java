package dev.tally.pipelines.options;

import dev.tally.pipelines.UserError;
import java.util.Arrays;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Parses a pipeline's Beam flags into its options interface; a bad flag becomes one {@link UserError} line. */
public final class PipelineFlags {
  private PipelineFlags() {}

  /**
   * @param appName the job's name in the runner (e.g. the Spark UI) unless {@code --appName} is given; Beam would
   *     otherwise name it after the class that parsed the flags, which is this one
   */
  public static <T extends PipelineOptions> T parse(Class<T> optionsClass, String appName, String... args) {
    PipelineOptionsFactory.register(optionsClass);
    for (String arg : args) {
      // Named before Beam sees it, and without echoing the value: it is a secret.
      if (arg.equals("--jdbcPassword") || arg.startsWith("--jdbcPassword=")) {
        throw new UserError(
            "there is no --jdbcPassword flag (command lines show in ps and shell history): set "
                + JdbcOptions.PASSWORD_ENVIRONMENT_VARIABLE + " or --jdbcPasswordFile=<file holding the password>");
      }
    }
    // Plain --help would only list option interfaces; show this pipeline's options instead.
    String[] flags =
        Arrays.stream(args)
            .map(arg -> arg.equals("--help") ? "--help=" + optionsClass.getName() : arg)
            .toArray(String[]::new);
    try {
      T options = PipelineOptionsFactory.fromArgs(flags).withValidation().as(optionsClass);
      if (Arrays.stream(args).noneMatch(arg -> arg.startsWith("--appName"))) {
        options.as(ApplicationNameOptions.class).setAppName(appName);
      }
      return options;
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage() + " (see --help=" + optionsClass.getName() + ")", e);
    }
  }
}
