using Swatop.Hardware.Sw26010.Emit.Shim;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>The names of the files the C emitter writes for a kernel.</summary>
public static class KernelFiles
{
    /// <summary>The MPE file: the entry function; per core group, the spawn and join of the layout steps and the kernel.</summary>
    public const string Host = "host.c";

    /// <summary>The CPE file: the loop nests the CPEs run, the kernel's and its layout steps'.</summary>
    public const string Cpe = "slave.c";

    /// <summary>The kernel's header: the parameter structs of the kernel and its layout steps and the entry function's declaration, for the framework and both files.</summary>
    public const string Header = "kernel.h";

    /// <summary>The primitive library: the mesh GEMM with register communication and SIMD, DMA and fill helpers.</summary>
    public const string Primitives = "swatop_primitives.h";

    /// <summary>A driver with <c>main</c>: times the kernel on generated inputs, or runs it once on input files (how the host check runs it).</summary>
    public const string Main = "main.c";

    /// <summary>The Makefile: <c>sw5cc</c> for the real machine, <c>gcc</c> against the shim for a host check.</summary>
    public const string Makefile = "Makefile";

    /// <summary>How to build, run and check the kernel.</summary>
    public const string Readme = "README.md";

    /// <summary>Every file, the athread shim's three included (the one include of emitted files and the host build's shim).</summary>
    public static IReadOnlyList<string> All { get; } = [Host, Cpe, Header, Primitives, Main, Makefile, Readme, .. AthreadShim.FileNames];
}
