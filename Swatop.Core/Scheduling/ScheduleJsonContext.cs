using System.Text.Json.Serialization;

namespace Swatop.Core.Scheduling;

/// <summary>
/// The JSON contract of <see cref="Schedule"/>: camel-case names, generated at compile time, the
/// algorithm's discriminator first (read anywhere in the object). A null where the C# type has none
/// (the mapping, an axis name of it) is an error, not a null in the value.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(Schedule))]
internal sealed partial class ScheduleJsonContext : JsonSerializerContext;
