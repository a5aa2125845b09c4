namespace Swatop.Hardware.Sw26010.Emulation;

/// <summary>Where a CPE sits: its core group and its row and column in the 8 x 8 mesh.</summary>
/// <param name="CoreGroup">The core group, 0-based.</param>
/// <param name="Row">The mesh row, 0-based (athread: <c>id / 8</c>).</param>
/// <param name="Column">The mesh column, 0-based (athread: <c>id % 8</c>).</param>
public readonly record struct CpeId(int CoreGroup, int Row, int Column)
{
    /// <summary>The athread id of the CPE inside its core group for a mesh of <paramref name="meshColumns"/> columns.</summary>
    public int IdInGroup(int meshColumns) => (Row * meshColumns) + Column;

    /// <summary>Prints as <c>CPE (row, column) of CG g</c>, the form every emulator message uses.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CPE ({Row}, {Column}) of CG {CoreGroup}");
}
