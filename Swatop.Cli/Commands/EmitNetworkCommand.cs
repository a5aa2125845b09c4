using System.Diagnostics;
using System.Globalization;
using Swatop.Cli.CommandLine;
using Swatop.Core;
using Swatop.Core.Onnx;
using Swatop.Core.Targets;
using Swatop.Core.Tuning;
using Swatop.Hardware.Sw26010.Calibration;
using Swatop.Hardware.Sw26010.Emit;
using Swatop.Hardware.Sw26010.Emit.Verification;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Cli.Commands;

/// <summary>
/// <c>swatop emit --onnx MODEL.onnx --out FOLDER [--batch N] [--database PATH] [--fresh] [--verify]</c>: the model imported,
/// fused and tuned as a <see cref="Network"/>, its C (<see cref="TunedNetwork.Emit"/>) written into a temporary folder beside
/// FOLDER and moved into place whole, and with <c>--verify</c> built with gcc against the athread shim and checked node by
/// node against the emulator's run (<see cref="Sw26010NetworkEmission.VerifyEmittedC"/>). Prints the CSV row of
/// <c>emit</c> (<see cref="EmitCommand.Columns"/>): the network, the folder, <c>ok</c> or the error, the seconds of import,
/// tuning and emission, and of the check. Returns 0, 1 when tuning, emission or the check failed, 2 when the model cannot
/// be imported.
/// </summary>
internal static class EmitNetworkCommand
{
    /// <summary>Imports, tunes, emits and (with <paramref name="verify"/>) checks the model in <paramref name="path"/>.</summary>
    internal static int Run(string path, int? batch, string folder, TuningOptions tuning, ITarget target, GccShimOptions? verify, TextWriter output, TextWriter error)
    {
        var ic = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        Network network;
        try
        {
            network = Network.FromOnnx(path, new OnnxImportOptions { BatchSize = batch });
        }
        catch (OnnxImportException e)
        {
            error.WriteLine($"emit: {e.Message}");
            return SwatopCommandLine.UsageError;
        }

        var imported = clock.Elapsed.TotalSeconds;
        output.WriteLine(CsvTable.FormatRecord([.. EmitCommand.Columns]));
        var name = $"network {network.Graph.Name}";
        string emitSeconds;
        var stages = new double[2];
        TunedNetwork tuned;
        KernelSources sources;
        try
        {
            tuned = network.Tune(target, tuning);
            stages[0] = clock.Elapsed.TotalSeconds;
            sources = tuned.Emit();
            stages[1] = clock.Elapsed.TotalSeconds;
            WriteWhole(sources, folder);
            emitSeconds = clock.Elapsed.TotalSeconds.ToString("F2", ic);
        }
        catch (Exception e) when (TuneCommand.CannotTune(e) || e is EmitException or NotSupportedException or UnauthorizedAccessException)
        {
            output.WriteLine(CsvTable.FormatRecord([name, folder, e.Message.ReplaceLineEndings(" "), string.Empty, string.Empty]));
            error.WriteLine($"emit: {name}: {e.Message}");
            return 1;
        }

        error.WriteLine(string.Create(ic,
            $"emit: {name}: {network.Graph.Nodes.Length} nodes ({network.Graph.OperatorNodes.Length} operators, {network.Graph.DistinctOperators.Length} distinct), {sources.Count} files in {folder}; imported, tuned and emitted in {emitSeconds} s "
            + $"(import {imported:F2} s, tuning {stages[0] - imported:F2} s, emission {stages[1] - stages[0]:F2} s, writing {clock.Elapsed.TotalSeconds - stages[1]:F2} s)."));
        if (verify is null)
        {
            output.WriteLine(CsvTable.FormatRecord([name, folder, "ok", emitSeconds, string.Empty]));
            return 0;
        }

        clock.Restart();
        try
        {
            var check = tuned.VerifyEmittedC(tuning.Seed, verify);
            var seconds = clock.Elapsed.TotalSeconds.ToString("F2", ic);
            output.WriteLine(CsvTable.FormatRecord([name, folder, "ok", emitSeconds, seconds]));
            error.WriteLine(string.Create(ic,
                $"emit: {name}: verified on the gcc shim, {check.Nodes.Count} values against the emulator's (worst relative error {check.Nodes.Max(n => n.WorstError):G3}, bound {check.Nodes[0].Tolerance:G3}) in {seconds} s."));
            return 0;
        }
        catch (Exception e) when (e is GccShimException or ArgumentException or InvalidOperationException or IOException)
        {
            output.WriteLine(CsvTable.FormatRecord([name, folder, e.Message.ReplaceLineEndings(" "), emitSeconds, clock.Elapsed.TotalSeconds.ToString("F2", ic)]));
            error.WriteLine($"emit: {name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Writes <paramref name="sources"/> into a new folder beside <paramref name="folder"/> and moves it into place; a folder
    /// already there is moved aside first and deleted after, so <paramref name="folder"/> holds either its old files or every new one.
    /// </summary>
    internal static void WriteWhole(KernelSources sources, string folder)
    {
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full) ?? throw new IOException($"--out '{folder}' names no folder that can be replaced.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            sources.WriteTo(staging);
            if (Directory.Exists(full))
            {
                var aside = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.old");
                Directory.Move(full, aside);
                Directory.Move(staging, full);
                Directory.Delete(aside, recursive: true);
            }
            else
            {
                Directory.Move(staging, full);
            }
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
