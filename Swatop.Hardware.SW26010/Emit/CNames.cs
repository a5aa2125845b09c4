using System.Collections.Frozen;
using Swatop.Core.Ir;
using Swatop.Primitives;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The C names of a kernel's emitted code, and the check that every name the loop IR brings (tensors,
/// buffers, reply words, loop and let variables) is a C identifier that collides with no keyword and
/// no name the emitted code declares itself.
/// </summary>
internal static class CNames
{
    private static readonly FrozenSet<string> Keywords = FrozenSet.Create(StringComparer.Ordinal,
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern", "float", "for", "goto", "if",
        "inline", "int", "long", "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
        "unsigned", "void", "volatile", "while", "bool", "true", "false", "main", "arg", "p", "scratch", "doublev4", "floatv4");

    /// <summary>The C element type.</summary>
    public static string ElementType(ElementType type) => type == Swatop.Primitives.ElementType.Float32 ? "float" : "double";

    /// <summary>The entry function a framework calls.</summary>
    public static string Entry(LoopKernel kernel) => $"swatop_{kernel.Name}";

    /// <summary>The function every CPE runs.</summary>
    public static string CpeFunction(LoopKernel kernel) => $"swatop_{kernel.Name}_cpe";

    /// <summary>The function that prepares a kernel's constant inputs once and returns a handle to them (<see cref="PreparedEntry"/>).</summary>
    public static string Prepare(LoopKernel kernel) => $"{Entry(kernel)}_prepare";

    /// <summary>The function that runs a prepared kernel: the handle, the other inputs and the output.</summary>
    public static string PreparedRun(LoopKernel kernel) => $"{Entry(kernel)}_run";

    /// <summary>The function that frees a prepared kernel's handle.</summary>
    public static string Release(LoopKernel kernel) => $"{Entry(kernel)}_release";

    /// <summary>The opaque type of a prepared kernel's handle.</summary>
    public static string PreparedHandle(LoopKernel kernel) => $"{Entry(kernel)}_prepared";

    /// <summary>The parameter struct's type.</summary>
    public static string ParamsType(LoopKernel kernel) => $"swatop_{kernel.Name}_params";

    /// <summary>Checks every name of <paramref name="kernel"/>.</summary>
    /// <exception cref="EmitException">SWC0001 naming the first bad name and what it names.</exception>
    public static void Check(LoopKernel kernel)
    {
        Check(kernel, kernel.Name, "kernel name");
        foreach (var tensor in kernel.Tensors)
        {
            Check(kernel, tensor.Name, "tensor");
        }

        foreach (var buffer in kernel.Buffers)
        {
            Check(kernel, buffer.Name, "LDM buffer");
        }

        foreach (var reply in kernel.Replies)
        {
            Check(kernel, reply, "reply word");
        }

        var variables = new VariableCollector();
        variables.Visit(kernel.Body);
        foreach (var (name, kind) in variables.Names)
        {
            Check(kernel, name, kind);
        }
    }

    private static void Check(LoopKernel kernel, string name, string kind)
    {
        var valid = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
        string? problem = !valid ? "is not a C identifier (a letter or '_', then letters, digits or '_')"
            : Keywords.Contains(name) ? "is a C keyword or a name the emitted code declares itself"
            : name.StartsWith("swatop_", StringComparison.Ordinal) || name.StartsWith("athread_", StringComparison.Ordinal) || name.StartsWith("simd_", StringComparison.Ordinal) || name.StartsWith("__", StringComparison.Ordinal)
                ? "begins with a prefix the primitive library or athread reserves (swatop_, athread_, simd_, __)"
            : kind != "kernel name" && name is "row" or "col" or "cg" ? "is a built-in of every CPE (row, col, cg)"
            : name.EndsWith("_issued", StringComparison.Ordinal) || name.EndsWith("_next", StringComparison.Ordinal) || name.EndsWith("_halves", StringComparison.Ordinal)
                ? "ends in a suffix the emitted code gives its own names (_issued, _next, _halves)"
            : null;
        if (problem is not null)
        {
            throw new EmitException(EmitDiagnostics.InvalidName, $"Kernel '{kernel.Name}': the {kind} '{name}' {problem}; rename it in the operator or the lowering.");
        }
    }

    private sealed class VariableCollector : IrVisitor
    {
        public List<(string Name, string Kind)> Names { get; } = [];

        public override void Visit(Stmt statement)
        {
            switch (statement)
            {
                case ForLoop loop:
                    Names.Add((loop.Var, "loop variable"));
                    break;
                case Let let:
                    Names.Add((let.Var, "let variable"));
                    break;
            }

            base.Visit(statement);
        }
    }
}
