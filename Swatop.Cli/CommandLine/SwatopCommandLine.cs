using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Swatop.Cli.Commands;

namespace Swatop.Cli.CommandLine;

/// <summary>
/// The <c>swatop</c> command line on System.CommandLine: its commands, each option declared once, help on
/// every command (<c>--help</c>, or <c>swatop help COMMAND</c>), completions through the <c>[suggest]</c>
/// directive, and the exit codes: 0 on success, 1 when a check or a tuning failed, 2 on a usage error (an
/// unknown option, a missing or bad value: the message names the option, the value and the rule).
/// </summary>
internal static class SwatopCommandLine
{
    /// <summary>The exit code of a usage error.</summary>
    public const int UsageError = 2;

    /// <summary>The command line's root, its commands acting through <paramref name="services"/>.</summary>
    public static RootCommand Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new CommonOptions();
        var root = new RootCommand("swatop: tune deep-learning operators for the Sunway SW26010.") { HelpName = "swatop" };
        root.Options.Add(options.Verbose);
        Command[] commands =
        [
            DemoCommand.Create(),
            CalibrateCommand.Create(options, services),
            RunCommand.Create(options, services),
            CheckCommand.Create(options, services),
            TuneCommand.Create(options, services),
            ReportCommand.Create(options, services),
            EmitCommand.Create(options, services),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        var help = new Command("help", "Print this text, or a command's help: swatop help COMMAND.");
        var topic = new Argument<string?>("command") { Description = "The command to describe.", Arity = ArgumentArity.ZeroOrOne, HelpName = "COMMAND" };
        topic.CompletionSources.Add([.. commands.Select(c => c.Name)]);
        topic.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && commands.All(c => c.Name != name))
            {
                result.AddError($"'{name}' is not a command: it must be one of {string.Join(", ", commands.Select(c => c.Name))}.");
            }
        });
        help.Arguments.Add(topic);
        help.SetAction(result => WriteHelp(result.RootCommandResult.Command, result.GetValue(topic) is { } name ? [name] : [], result.InvocationConfiguration.Output));
        root.Subcommands.Add(help);
        root.SetAction(result => WriteHelp(root, [], result.InvocationConfiguration.Output));

        if (root.Options.OfType<HelpOption>().Single().Action is HelpAction helpAction && Console.IsOutputRedirected)
        {
            // Not a terminal: one line per option and command, for grep and for files.
            helpAction.MaxWidth = int.MaxValue;
        }

        return root;
    }

    /// <summary>
    /// Parses <paramref name="arguments"/> and runs the command they name, writing results to
    /// <paramref name="output"/> and messages to <paramref name="error"/>; returns the exit code.
    /// A parse error prints each error after the command's name, then the command's help, on
    /// <paramref name="error"/>, and returns <see cref="UsageError"/>.
    /// </summary>
    public static int Invoke(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, CommandServices? services = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var root = Create(services ?? CommandServices.Default);
        var result = root.Parse(arguments);
        if (result.Action is ParseErrorAction)
        {
            var command = result.CommandResult.Command;
            var name = command == root ? "swatop" : command.Name;
            foreach (var parseError in result.Errors)
            {
                error.WriteLine($"{name}: {parseError.Message}");
            }

            error.WriteLine();
            WriteHelp(root, command == root ? [] : [command.Name], error);
            return UsageError;
        }

        return result.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    /// <summary>
    /// For a command that needs options (<c>run</c>, <c>tune</c>) written alone: writes its help to standard
    /// error and returns <see cref="UsageError"/>; returns null when the command line gave an option besides
    /// <paramref name="verbose"/>.
    /// </summary>
    internal static int? HelpWhenBare(ParseResult result, Option verbose)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.CommandResult.Children.Any(child => child is System.CommandLine.Parsing.OptionResult { Implicit: false } option && option.Option != verbose))
        {
            return null;
        }

        WriteHelp(result.RootCommandResult.Command, [result.CommandResult.Command.Name], result.InvocationConfiguration.Error);
        return UsageError;
    }

    /// <summary>Writes the help of <paramref name="root"/>'s command named by <paramref name="path"/> (the root's when empty) to <paramref name="writer"/>; returns 0.</summary>
    internal static int WriteHelp(Command root, IReadOnlyList<string> path, TextWriter writer)
    {
        var result = root.Parse([.. path, "--help"]);
        return result.Invoke(new InvocationConfiguration { Output = writer, Error = writer });
    }
}
