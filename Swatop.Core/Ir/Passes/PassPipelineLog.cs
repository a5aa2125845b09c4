using Microsoft.Extensions.Logging;

namespace Swatop.Core.Ir.Passes;

/// <summary>The log messages of <see cref="PassPipeline"/>.</summary>
internal static partial class PassPipelineLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "IR of kernel '{Kernel}' after pass '{Pass}' ({ElapsedMicroseconds} us):\n{Ir}")]
    public static partial void AfterPass(ILogger logger, string kernel, string pass, long elapsedMicroseconds, LoopKernel ir);
}
