namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>How <see cref="GccShim"/> compiles and runs a host build.</summary>
public sealed record GccShimOptions
{
    /// <summary>The defaults: gcc from <c>SWATOP_GCC</c> or the path, no sanitizers, 60 s a run.</summary>
    public static GccShimOptions Default { get; } = new();

    /// <summary>The compiler: a path or a name looked up on the path; null for <c>SWATOP_GCC</c>, else <c>gcc</c>.</summary>
    public string? Compiler { get; init; }

    /// <summary>Also build with <c>-fsanitize=address,undefined</c>; a run then fails if the sanitizers report anything.</summary>
    public bool Sanitize { get; init; }

    /// <summary>How long a run may take before it is killed.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
