namespace Swatop.Hardware.Sw26010.Emit;

/// <summary>
/// The C function <c>allocate</c> of the MPE files: main memory for DMA, 128-byte aligned and zeroed (a layout's
/// padding reads as zeros). malloc aligns to 16 bytes at most, so the block has 127 bytes to spare and the address is
/// rounded up; where the raw block goes, for free, is the caller's.
/// </summary>
internal static class ZeroedAllocator
{
    /// <summary>
    /// Writes <c>static TYPE *allocate(long elements, PARAMETER)</c>, which stores the raw block in <paramref name="keep"/>
    /// (an lvalue of the parameter: <c>*base</c>, <c>blocks[block]</c>) and returns the aligned, zeroed address, or NULL.
    /// </summary>
    public static void Print(CSourceBuilder c, string type, string parameter, string keep)
    {
        c.Open($"static {type} *allocate(long elements, {parameter})");
        c.Line($"const size_t bytes = ((size_t)elements * sizeof({type}) + 127) / 128 * 128;");
        c.Line("char *const raw = malloc((bytes > 0 ? bytes : 128) + 127);");
        c.Line($"{type} *data = NULL;");
        c.Line($"{keep} = raw;");
        c.Open("if (raw != NULL)");
        c.Line($"data = ({type} *)(raw + (128 - (unsigned long)raw % 128) % 128);");
        c.Line("memset(data, 0, bytes);");
        c.Close();
        c.Line("return data;");
        c.Close();
    }
}
