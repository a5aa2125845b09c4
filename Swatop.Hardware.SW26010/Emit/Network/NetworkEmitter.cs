using Swatop.Core.GraphTuning;
using Swatop.Core.Targets;
using Swatop.Hardware.Sw26010.Emit.Shim;
using Swatop.Hardware.Sw26010.Target;

namespace Swatop.Hardware.Sw26010.Emit.Network;

/// <summary>
/// Writes a tuned network as athread C (see <see cref="NetworkFiles"/>): one CPE function per distinct kernel (each
/// operator's, printed from the loop IR its kernel runs on the emulator, and each planned layout step's), the nodes that
/// are not operators as C functions on the MPE, and a runner that prepares the constants once and chains every step of the
/// plan in order (<see cref="NetworkProgram"/>), with a driver, a Makefile, a README and the athread shim.
/// </summary>
public static class NetworkEmitter
{
    /// <summary>The sources of <paramref name="tuned"/>, tuned for <paramref name="target"/>.</summary>
    /// <exception cref="EmitException">A kernel or step cannot be written as athread C, or the plan does not hold together; the id says why (<see cref="EmitDiagnostics"/>).</exception>
    public static KernelSources Emit(Sw26010Target target, GraphTuningResult tuned)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(tuned);
        var program = NetworkProgram.Build(target, tuned);
        var graph = tuned.Graph;
        string Comment(string file, string role) =>
            $"/* {file}: {role}.\n   Network '{HostNodePrinter.Comment(graph.Name)}', {graph.Nodes.Length} nodes, emitted by Swatop for the SW26010. */";
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [NetworkFiles.Cpe] = CpeFilePrinter.Print(program.Functions, NetworkFiles.KernelHeader, Comment(NetworkFiles.Cpe, "the CPE functions, one per distinct kernel and layout step, each run by the 64 CPEs of a core group")),
            [NetworkFiles.Runner] = NetworkRunnerPrinter.Print(program, Comment(NetworkFiles.Runner, "the MPE side: the host nodes, the preparation of the constants and the run")),
            [NetworkFiles.Header] = NetworkHeaderPrinter.Header(program, Comment(NetworkFiles.Header, "the network's functions and tables")),
            [NetworkFiles.KernelHeader] = NetworkHeaderPrinter.Kernels(program, Comment(NetworkFiles.KernelHeader, "the parameter structs of the CPE functions")),
            [NetworkFiles.Main] = NetworkMainPrinter.Print(program, Comment(NetworkFiles.Main, "a driver: times the network, or runs it once on files")),
            [NetworkFiles.Primitives] = AthreadCEmitter.PrimitivesText,
            [NetworkFiles.Makefile] = NetworkBuildFiles.Makefile(graph),
            [NetworkFiles.Readme] = NetworkBuildFiles.Readme(program, tuned),
        };
        foreach (var name in AthreadShim.FileNames)
        {
            files[name] = AthreadShim.Text(name);
        }

        return new KernelSources(files);
    }
}
