using System.Text.Json.Serialization;

namespace Swatop.Core.Scheduling;

/// <summary>The JSON contract of <see cref="Schedule"/>: camel-case names, generated at compile time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Schedule))]
internal sealed partial class ScheduleJsonContext : JsonSerializerContext;
