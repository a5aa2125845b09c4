using System.Collections.Immutable;
using Swatop.Core.Algorithms.Direct;
using Swatop.Core.Algorithms.Im2col;
using Swatop.Core.Algorithms.ImplicitGemm;
using Swatop.Core.Algorithms.Winograd;
using Swatop.Core.Algorithms.WinogradGemm;
using Swatop.Core.Algorithms.WinogradMesh;

namespace Swatop.Core.Scheduling;

/// <summary>The algorithms Swatop schedules operators with, and the one each schedule names.</summary>
public static class ScheduleAlgorithms
{
    /// <summary>Every algorithm, in the order a space lists their points.</summary>
    public static ImmutableArray<IScheduleAlgorithm> All { get; } = [ImplicitGemmAlgorithm.Instance, DirectAlgorithm.Instance, WinogradAlgorithm.Instance, Im2colAlgorithm.Instance, WinogradMeshAlgorithm.Instance, WinogradGemmAlgorithm.Instance];

    /// <summary>The algorithms' names.</summary>
    public static ImmutableArray<string> Names { get; } = [.. All.Select(a => a.Name)];

    /// <summary>The algorithm <paramref name="schedule"/> belongs to.</summary>
    public static IScheduleAlgorithm Of(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return All.First(a => a.Name == schedule.Algorithm);
    }

    /// <summary>Why <paramref name="algorithm"/> does not apply to <paramref name="spec"/>, as the end of a sentence (": ..." or ".").</summary>
    internal static string WhyNot(IScheduleAlgorithm algorithm, OperatorSpec spec) => algorithm switch
    {
        DirectAlgorithm => $": {DirectAlgorithm.WhyNot(spec)}",
        WinogradAlgorithm => $": {WinogradAlgorithm.WhyNot(spec)}",
        Im2colAlgorithm => $": {Im2colAlgorithm.WhyNot(spec)}",
        WinogradMeshAlgorithm => $": {WinogradMeshAlgorithm.WhyNot(spec)}",
        WinogradGemmAlgorithm => $": {WinogradGemmAlgorithm.WhyNot(spec)}",
        ImplicitGemmAlgorithm => ": it has no mapping onto the mesh GEMM's M, N and K.",
        _ => ".",
    };

    /// <summary>The algorithms that apply to <paramref name="spec"/>, in the order of <see cref="All"/>.</summary>
    public static IEnumerable<IScheduleAlgorithm> For(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return All.Where(a => a.AppliesTo(spec));
    }
}
