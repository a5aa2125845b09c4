using System.Globalization;
using Swatop.Core;

namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// What the MPE file's entry functions (the plain entry, the prepared call and the prepare function) print alike: the checks of
/// their arguments before they touch them, each tensor's length against the operator's (and, where asked, its pointer against
/// null); under MPI, that the job has one rank per core group, which sets the core groups this process drives (<c>first</c> to
/// <c>last</c>, every group without MPI); athread claimed once by the process; and, at the end, the status every rank agrees on.
/// Each refusal writes a message naming the function to stderr and returns its status.
/// </summary>
internal static class MpeEntryPrinter
{
    /// <summary>The status of a function called by an MPI job without one rank per core group.</summary>
    public const int WrongRanks = -4;

    /// <summary>The declarations the checks use: the operator's lengths and names, the lengths given and, with <paramref name="pointers"/>, the tensors' addresses.</summary>
    public static void Declarations(CSourceBuilder c, IReadOnlyList<TensorDeclaration> tensors, bool pointers)
    {
        var ic = CultureInfo.InvariantCulture;
        var count = tensors.Count.ToString(ic);
        c.Line($"const long expected[{count}] = {{ {string.Join(", ", tensors.Select(t => $"{t.ElementLength.ToString(ic)}L"))} }};");
        c.Line($"const char *const names[{count}] = {{ {string.Join(", ", tensors.Select(t => $"\"{t.Name}\""))} }};");
        c.Line($"long given[{count}];");
        if (pointers)
        {
            c.Line($"const void *pointers[{count}];");
        }
    }

    /// <summary>Each tensor of <paramref name="tensors"/> checked for its length and, with <paramref name="pointers"/>, against null: status -1 otherwise.</summary>
    public static void Lengths(CSourceBuilder c, string function, IReadOnlyList<TensorDeclaration> tensors, bool pointers)
    {
        var ic = CultureInfo.InvariantCulture;
        for (var i = 0; i < tensors.Count; i++)
        {
            c.Line(string.Create(ic, $"given[{i}] = {tensors[i].Name}_elements;"));
            if (pointers)
            {
                c.Line(string.Create(ic, $"pointers[{i}] = {tensors[i].Name};"));
            }
        }

        c.Open(string.Create(ic, $"for (t = 0; t < {tensors.Count}; t++)"));
        if (pointers)
        {
            c.Open("if (pointers[t] == NULL)");
            c.Line($"fprintf(stderr, \"{function}: tensor '%s' is null.\\n\", names[t]);");
            c.Line("return -1;");
            c.Close();
        }

        c.Open("if (given[t] != expected[t])");
        c.Line($"fprintf(stderr, \"{function}: tensor '%s' has %ld elements; the operator needs %ld.\\n\", names[t], given[t], expected[t]);");
        c.Line("return -1;");
        c.Close();
        c.Close();
    }

    /// <summary>The core groups this process drives, <c>first</c> to <c>last</c>: its rank's under MPI (after the ranks are checked, <see cref="WrongRanks"/> otherwise), every group without.</summary>
    public static void CoreGroups(CSourceBuilder c, string function)
    {
        c.Directive($"#ifdef {HostFilePrinter.MpiMacro}");
        c.Line("MPI_Comm_rank(MPI_COMM_WORLD, &rank);");
        c.Line("MPI_Comm_size(MPI_COMM_WORLD, &ranks);");
        c.Open("if (ranks != CORE_GROUPS)");
        c.Line($"if (rank == 0) fprintf(stderr, \"{function}: the kernel runs as %d MPI ranks, one per core group; the job has %d.\\n\", CORE_GROUPS, ranks);");
        c.Line(string.Create(CultureInfo.InvariantCulture, $"return {WrongRanks};"));
        c.Close();
        c.Line("first = rank;");
        c.Line("last = rank + 1;");
        c.Directive("#else");
        c.Line("first = 0;");
        c.Line("last = CORE_GROUPS;");
        c.Directive("#endif");
    }

    /// <summary>athread initialized once by the process, on the first call of any of its entry functions (the file's <c>initialized</c> flag).</summary>
    public static void ClaimCoreGroup(CSourceBuilder c)
    {
        c.Open("if (!initialized)");
        c.Line("athread_init(); /* claims the core group of this process */");
        c.Line("initialized = 1;");
        c.Close();
    }

    /// <summary>Under MPI, the least of the ranks' <c>status</c> (the worst: errors are negative) taken by every rank, so all return the same.</summary>
    public static void AgreeStatus(CSourceBuilder c)
    {
        c.Directive($"#ifdef {HostFilePrinter.MpiMacro}");
        c.Line("MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD); /* every rank returns the same status */");
        c.Line("status = worst;");
        c.Directive("#endif");
    }
}
