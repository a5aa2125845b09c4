using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Swatop.Core.Tuning;

/// <summary>
/// The JSON contract of the tuning database's lines, generated at compile time: camel-case names,
/// required fields required, nulls refused where the type has none. Signatures are written as they
/// read (<c>+</c>, <c>&lt;</c> and non-ASCII text are not escaped: the file is data, never HTML);
/// control characters are always escaped, so a record is always one line.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TuningRecordJson))]
internal sealed partial class TuningJsonContext : JsonSerializerContext
{
    /// <summary>The context the database reads and writes with.</summary>
    public static TuningJsonContext Lines { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
