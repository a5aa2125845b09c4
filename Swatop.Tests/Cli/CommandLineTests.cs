using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Swatop.Cli.CommandLine;

namespace Swatop.Tests.Cli;

/// <summary>
/// The <c>swatop</c> command line as a whole: help on every command listing its options, usage errors
/// (exit code 2) that name the option and the value, completions through <c>[suggest]</c>, and <c>--verbose</c>.
/// </summary>
public sealed class CommandLineTests
{
    private static (int ExitCode, string Output, string Error) Swatop(params string[] arguments) => Swatop(CommandServices.Default with { ProgressBar = false }, arguments);

    private static (int ExitCode, string Output, string Error) Swatop(CommandServices services, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = SwatopCommandLine.Invoke(arguments, output, error, services);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static IEnumerable<Command> Commands() => SwatopCommandLine.Create(CommandServices.Default).Subcommands;

    private static IEnumerable<string> CommandNames() => Commands().Select(c => c.Name);

    [Test]
    public void The_commands_are_those_the_readme_documents()
    {
        Assert.That(CommandNames(), Is.EquivalentTo(new[] { "demo", "calibrate", "run", "check", "tune", "report", "emit", "help" }));
    }

    [TestCaseSource(nameof(CommandNames))]
    public void Help_on_a_command_lists_every_option_it_takes(string name)
    {
        var command = Commands().Single(c => c.Name == name);
        var (exitCode, output, error) = Swatop(name, "--help");
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(error, Is.Empty);
        Assert.That(output, Does.Contain($"swatop {name}"));
        foreach (var option in command.Options)
        {
            Assert.That(output, Does.Contain(option.Name), $"swatop {name} --help lists {option.Name}");
        }

        Assert.That(output, Does.Contain("--verbose"), "the root's --verbose applies to every command");
    }

    [TestCaseSource(nameof(CommandNames))]
    public void An_unknown_option_is_a_usage_error_that_names_it_and_prints_the_commands_help(string name)
    {
        var (exitCode, output, error) = Swatop(name, "--colour", "red");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith($"{name}: ").And.Contain("'--colour'").And.Contain($"swatop {name}"));
    }

    [TestCase("run", "--seed", "x", "--seed 'x' is not an integer")]
    [TestCase("check", "--seed", "1.5", "--seed '1.5' is not an integer")]
    [TestCase("emit", "--seed", "", "--seed '' is not an integer")]
    [TestCase("tune", "--measured", "0", "--measured '0' must be a whole number of candidates, at least 1")]
    [TestCase("tune", "--measured", "+3", "--measured '+3' must be a whole number of candidates, at least 1")]
    [TestCase("report", "--samples", "-1", "--samples '-1' must be a whole number, at least 0")]
    [TestCase("emit", "--verify-timeout", "0", "--verify-timeout '0' must be a positive number of seconds")]
    [TestCase("emit", "--verify-timeout", "NaN", "--verify-timeout 'NaN' must be a positive number of seconds")]
    [TestCase("emit", "--gcc", " ", "--gcc needs the compiler's path or name")]
    [TestCase("tune", "--network", "alexnet", "--network 'alexnet' is not a built-in network: it must be one of resnet50, vgg16")]
    [TestCase("help", "tun", "", "'tun' is not a command")]
    public void A_bad_value_is_a_usage_error_that_names_the_option_the_value_and_the_rule(string command, string option, string value, string message)
    {
        // What the command needs besides, so that the value is the only thing wrong.
        string[] company = command switch
        {
            "check" or "report" => ["--shapes", "x.csv"],
            "tune" when option == "--network" => ["--batch", "2"],
            _ => [],
        };
        string[] arguments = command == "help" ? [command, option] : [command, .. company, option, value];
        var (exitCode, output, error) = Swatop(arguments);
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain($"{command}: {message}"));
    }

    [Test]
    public void Options_without_their_required_company_are_named()
    {
        Assert.That(Swatop("check", "--seed", "3").Error, Does.Contain("check: expected --shapes FILE.csv"));
        Assert.That(Swatop("report").Error, Does.Contain("report: expected --shapes FILE.csv"));
        Assert.That(Swatop("emit", "--op", "gemm").Error, Does.Contain("emit: Option '--out' is required"));
        Assert.That(Swatop("calibrate", "--dma", "--shapes", "x.csv").Error, Does.Contain("calibrate: expected --shapes FILE.csv or --dma, one of the two"));
        Assert.That(Swatop("emit", "--out", "x", "--shapes", "x.csv", "--m", "3").Error, Does.Contain("--shapes FILE.csv takes the operators from the file"));
    }

    [Test]
    public void An_unknown_command_is_a_usage_error_and_no_command_prints_the_help()
    {
        var (exitCode, output, error) = Swatop("tuen");
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("'tuen'").And.Contain("Commands:"));

        var bare = Swatop();
        Assert.That(bare.ExitCode, Is.Zero);
        Assert.That(bare.Output, Does.Contain("Commands:").And.Contain("tune"));
    }

    [Test]
    public void Help_names_a_command_as_its_help_option_does()
    {
        var help = Swatop("help", "emit");
        Assert.That(help.ExitCode, Is.Zero);
        Assert.That(help.Output, Is.EqualTo(Swatop("emit", "--help").Output));
        Assert.That(Swatop("-h").Output, Is.EqualTo(Swatop("help").Output));
    }

    [TestCase("run --op ", "conv2d", "gemm", "fc")]
    [TestCase("tune --network ", "resnet50", "vgg16")]
    [TestCase("emit --schedule ", "default", "tuned", "swdnn")]
    [TestCase("tune --dtype ", "float32", "float64")]
    [TestCase("help ", "tune", "emit")]
    [TestCase("tune --me", "--measured")]
    public void The_suggest_directive_completes_commands_options_and_values(string line, params string[] expected)
    {
        var (exitCode, output, _) = Swatop($"[suggest:{line.Length}]", line);
        Assert.That(exitCode, Is.Zero);
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), Is.SupersetOf(expected));
    }

    [Test]
    public void Verbose_switches_the_console_logger_to_debug()
    {
        var asked = new List<bool>();
        var services = CommandServices.Default with
        {
            ProgressBar = false,
            Logging = verbose =>
            {
                asked.Add(verbose);
                return NullLoggerFactory.Instance;
            },
        };
        var database = Path.Combine(Path.GetTempPath(), $"swatop-verbose-{Guid.NewGuid():N}.jsonl");
        try
        {
            string[] gemm = ["tune", "--op", "gemm", "--m", "8", "--n", "8", "--k", "8", "--measured", "1", "--database", database];
            Assert.That(Swatop(services, gemm).ExitCode, Is.Zero);
            Assert.That(Swatop(services, [.. gemm, "--verbose"]).ExitCode, Is.Zero);
            Assert.That(Swatop(services, ["--verbose", .. gemm]).ExitCode, Is.Zero);
            Assert.That(asked, Is.EqualTo(new[] { false, true, true }));
        }
        finally
        {
            File.Delete(database);
        }

        using var quiet = ConsoleLogging.Create(verbose: false);
        using var verbose = ConsoleLogging.Create(verbose: true);
        Assert.That(quiet.CreateLogger("swatop").IsEnabled(LogLevel.Debug), Is.False);
        Assert.That(quiet.CreateLogger("swatop").IsEnabled(LogLevel.Warning), Is.True);
        Assert.That(verbose.CreateLogger("swatop").IsEnabled(LogLevel.Debug), Is.True);
    }
}
