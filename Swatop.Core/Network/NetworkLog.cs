using Microsoft.Extensions.Logging;

namespace Swatop.Core;

/// <summary>The log messages of <see cref="Network"/>.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Tuning network '{Network}' for {Target}: {Operators} operators ({Distinct} distinct), {Fused} nodes fused into epilogues")]
    public static partial void Tuning(ILogger logger, string network, int operators, int distinct, int fused, string target);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Network tuning, operator {Operator} of {Operators}: {Stage}")]
    public static partial void Stage(ILogger logger, int @operator, int operators, string stage);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Tuned network '{Network}': {EndToEndMs:F3} ms end to end ({KernelMs:F3} ms of kernels, {LayoutMs:F3} ms of layout steps), in {Seconds:F1} s")]
    public static partial void Tuned(ILogger logger, string network, double endToEndMs, double kernelMs, double layoutMs, double seconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Ran network '{Network}' on {Target}: {Outputs} outputs in {Seconds:F2} s of host time")]
    public static partial void Ran(ILogger logger, string network, string target, int outputs, double seconds);
}
