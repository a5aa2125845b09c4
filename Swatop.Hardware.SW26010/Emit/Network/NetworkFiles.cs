using Swatop.Hardware.Sw26010.Emit.Shim;

namespace Swatop.Hardware.Sw26010.Emit.Network;

/// <summary>The names of the files the C emitter writes for a tuned network.</summary>
public static class NetworkFiles
{
    /// <summary>The MPE file: the host nodes, <c>swatop_network_prepare</c>, <c>swatop_network_run</c> and <c>swatop_network_release</c>.</summary>
    public const string Runner = "network.c";

    /// <summary>The CPE file: one function per distinct kernel, the operators' and the layout steps'.</summary>
    public const string Cpe = KernelFiles.Cpe;

    /// <summary>The network's header for a framework: the runner's functions and the tables of its constants, inputs, outputs and nodes.</summary>
    public const string Header = "network.h";

    /// <summary>The parameter structs of every CPE function, for both files.</summary>
    public const string KernelHeader = "network_kernels.h";

    /// <summary>The primitive library, as a single kernel's.</summary>
    public const string Primitives = KernelFiles.Primitives;

    /// <summary>A driver with <c>main</c>: times the network on generated tensors, or runs it once on files (how the host check runs it).</summary>
    public const string Main = KernelFiles.Main;

    /// <summary>The Makefile: <c>sw5cc</c> for the real machine, <c>gcc</c> against the shim for a host check.</summary>
    public const string Makefile = KernelFiles.Makefile;

    /// <summary>How to build, call and check the network.</summary>
    public const string Readme = KernelFiles.Readme;

    /// <summary>Every file, the athread shim's three included.</summary>
    public static IReadOnlyList<string> All { get; } = [Runner, Cpe, Header, KernelHeader, Primitives, Main, Makefile, Readme, .. AthreadShim.FileNames];
}
