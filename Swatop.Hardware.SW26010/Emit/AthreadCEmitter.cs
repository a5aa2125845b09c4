using Swatop.Core.Lowering;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// Writes an optimized kernel and its layout steps as athread C for the SW26010 (see <see cref="KernelFiles"/>):
/// the MPE file, the CPE file (a printer of the loop IR: the kernel's function and one per layout step),
/// the kernel's header, the primitive library, a driver, a Makefile for <c>sw5cc</c>, a README, and the
/// athread shim's files, so the folder builds on a Sunway with <c>make</c> and on any Linux host with
/// <c>make shim</c>. Every C file starts with a comment stating the operator, the schedule and the
/// simulated performance.
/// </summary>
public static class AthreadCEmitter
{
    private static readonly EmbeddedTextFiles Library = new("Swatop.Hardware.Sw26010.Emit.Library.", "the primitive library", [KernelFiles.Primitives]);

    /// <summary>The primitive library's header, as every emitted CPE file includes it.</summary>
    internal static string PrimitivesText => Library.Text(KernelFiles.Primitives);

    /// <summary>The sources of <paramref name="kernel"/>, whose simulated run took <paramref name="profile"/>.</summary>
    /// <exception cref="EmitException">The kernel cannot be written as athread C; the id says why (<see cref="EmitDiagnostics"/>).</exception>
    public static KernelSources Emit(Sw26010Kernel kernel, KernelProfile profile)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return Emit(kernel.Lowered, kernel.LayoutSteps, profile);
    }

    /// <summary>
    /// The sources of <paramref name="lowered"/> with its <paramref name="layoutSteps"/> (a pack of each input
    /// and the unpack of the output the kernel keeps in a layout of its own, compiled as
    /// <see cref="Sw26010Kernel.LayoutSteps"/> are), whose simulated run took <paramref name="profile"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="layoutSteps"/> are not the steps <paramref name="lowered"/>'s placements ask for.</exception>
    /// <exception cref="EmitException">The kernel or a step cannot be written as athread C; the id says why (<see cref="EmitDiagnostics"/>).</exception>
    public static KernelSources Emit(LoweredKernel lowered, IReadOnlyList<Sw26010LayoutStep> layoutSteps, KernelProfile profile)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        ArgumentNullException.ThrowIfNull(layoutSteps);
        ArgumentNullException.ThrowIfNull(profile);
        var kernel = lowered.Kernel;
        CNames.Check(kernel);
        var steps = StepKernel.For(lowered, layoutSteps);
        foreach (var step in steps)
        {
            CNames.Check(step.Kernel);
        }

        var prepared = PreparedEntry.For(lowered);
        if (prepared?.Form is { } form)
        {
            CNames.Check(form.Transform);
            CNames.Check(form.Run);
        }

        string Comment(string file, string role) => ScheduleComment.For(lowered, steps, profile, file, role);
        var cpeRole = steps.IsEmpty
            ? $"the CPE function {CNames.CpeFunction(kernel)}, run by each of the 64 CPEs of a core group"
            : $"the CPE functions {CNames.CpeFunction(kernel)} and its layout steps', each run by the 64 CPEs of a core group";
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KernelFiles.Cpe] = CpeFilePrinter.Print(lowered, steps, Comment(KernelFiles.Cpe, cpeRole)),
            [KernelFiles.Host] = HostFilePrinter.Print(lowered, steps, Comment(KernelFiles.Host, prepared is null
                ? $"the MPE side: {CNames.Entry(kernel)}, spawning the layout steps and the kernel on each core group"
                : $"the MPE side: {CNames.Entry(kernel)}, spawning the layout steps and the kernel on each core group, and the prepared calls {CNames.Prepare(kernel)}, {CNames.PreparedRun(kernel)} and {CNames.Release(kernel)}")),
            [KernelFiles.Header] = KernelHeaderPrinter.Print(lowered, steps, Comment(KernelFiles.Header, prepared is null ? "the parameter structs and the entry function" : "the parameter structs, the entry function and the prepared calls")),
            [KernelFiles.Main] = MainFilePrinter.Print(lowered, Comment(KernelFiles.Main, "a driver: times the kernel, or runs it once on input files")),
            [KernelFiles.Primitives] = Library.Text(KernelFiles.Primitives),
            [KernelFiles.Makefile] = BuildFilesPrinter.Makefile(lowered),
            [KernelFiles.Readme] = BuildFilesPrinter.Readme(lowered, profile),
        };
        foreach (var name in AthreadShim.FileNames)
        {
            files[name] = AthreadShim.Text(name);
        }

        return new KernelSources(files);
    }
}
