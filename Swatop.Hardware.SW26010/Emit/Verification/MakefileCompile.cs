namespace Swatop.Hardware.Sw26010.Emit.Verification;

/// <summary>How an emitted Makefile compiles one C file for the real machine (see <see cref="MakefileCompileRules"/>).</summary>
/// <param name="File">The C file, e.g. <c>slave.c</c>.</param>
/// <param name="Command">The recipe line with its variables expanded, e.g. <c>sw5cc -slave -msimd -O3 -DSWATOP_CPE -c slave.c -o slave.o</c>.</param>
/// <param name="Defines">The <c>-D</c> and <c>-U</c> options of the line, in order.</param>
/// <param name="Dialect">The C dialect of its <c>-std=</c> option, or null when it names none (sw5cc's default, gnu89).</param>
public sealed record MakefileCompile(string File, string Command, IReadOnlyList<string> Defines, string? Dialect)
{
    /// <summary>The dialect sw5cc compiles when the Makefile names none: its CPE compiler is GCC 4.1, whose default is gnu89.</summary>
    public const string DefaultDialect = "gnu89";

    /// <summary>The dialect the check compiles the file in: <see cref="Dialect"/>, or <see cref="DefaultDialect"/>.</summary>
    public string EffectiveDialect => Dialect ?? DefaultDialect;

    /// <summary>Whether the dialect is C89 (C90), where a declaration must open its block.</summary>
    public bool IsC89 => EffectiveDialect is "gnu89" or "gnu90" or "c89" or "c90" or "iso9899:1990" or "iso9899:199409";
}
