namespace Swatop.Core.Ir;

/// <summary>
/// What interval analysis knows at a point of the program: the range of every variable bound there
/// (built-ins, loop variables, lets) and facts assumed by the enclosing conditions and loops, each fact
/// a linear form with its range (<c>i - kc</c> in [0, inf] inside <c>if 0 &lt;= i - kc</c>).
/// Scopes are immutable; binding or assuming returns a new scope that shares its parent.
/// </summary>
public sealed class RangeScope
{
    private readonly RangeScope? _parent;
    private readonly string? _name;
    private readonly LinearForm? _fact;
    private readonly Interval _range;

    private RangeScope(RangeScope? parent, string? name, LinearForm? fact, Interval range)
    {
        _parent = parent;
        _name = name;
        _fact = fact;
        _range = range;
    }

    /// <summary>A scope that knows nothing, not even the built-ins.</summary>
    public static RangeScope Empty { get; } = new(null, null, null, Interval.Unbounded);

    /// <summary>The scope at the top of a kernel: <c>row</c> and <c>col</c> in [0, 7], <c>cg</c> in [0, <paramref name="groupCount"/> - 1].</summary>
    public static RangeScope ForKernel(int groupCount) => Empty
        .Bind(Var.Row.Name, new Interval(0, 7))
        .Bind(Var.Column.Name, new Interval(0, 7))
        .Bind(Var.Group.Name, new Interval(0, Math.Max(0, groupCount - 1)));

    /// <summary>The scope with <paramref name="name"/> bound to values in <paramref name="range"/>.</summary>
    public RangeScope Bind(string name, Interval range)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new RangeScope(this, name, null, range);
    }

    /// <summary>The scope inside <c>for <paramref name="name"/> &lt; <paramref name="extent"/></c>: the variable in [0, max extent - 1], and below the extent.</summary>
    public RangeScope BindLoop(string name, Expr extent)
    {
        ArgumentNullException.ThrowIfNull(extent);
        var max = Bounds.Of(extent, this).Max;
        var inner = Bind(name, new Interval(0, max == long.MaxValue ? long.MaxValue : Math.Max(0, max - 1)));
        return extent is IntLiteral ? inner : inner.Assume(LinearForm.Of(extent).AddScaled(LinearForm.Of(new Var(name)), -1), new Interval(1, long.MaxValue));
    }

    /// <summary>The scope inside <c>let <paramref name="name"/> = <paramref name="value"/></c>: the variable in the value's range, and equal to the value.</summary>
    public RangeScope BindLet(string name, Expr value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var inner = Bind(name, Bounds.Of(value, this));
        return inner.Assume(LinearForm.Of(value).AddScaled(LinearForm.Of(new Var(name)), -1), Interval.Exactly(0));
    }

    /// <summary>
    /// The scope with the fact that <paramref name="form"/> lies in <paramref name="range"/>, and with the
    /// linear facts that follow from it through its min and max atoms (see <see cref="AssumeAtLeast"/>).
    /// </summary>
    public RangeScope Assume(LinearForm form, Interval range)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (form.IsConstant)
        {
            return this;
        }

        var scope = new RangeScope(this, null, form, range);
        if (range.Min != long.MinValue)
        {
            scope = scope.AssumeAtLeast(form, range.Min);
        }

        if (range.Max != long.MaxValue)
        {
            scope = scope.AssumeAtLeast(LinearForm.OfConstant(0).AddScaled(form, -1), -range.Max);
        }

        return scope;
    }

    /// <summary>The scope where <paramref name="condition"/> holds (the then-arm of a conditional).</summary>
    public RangeScope AssumeTrue(Expr condition) => condition switch
    {
        Binary { Op: BinaryOp.And } and => AssumeTrue(and.Left).AssumeTrue(and.Right),
        Binary { Op: BinaryOp.Lt } lt => Assume(Difference(lt.Right, lt.Left), new Interval(1, long.MaxValue)),
        Binary { Op: BinaryOp.Le } le => Assume(Difference(le.Right, le.Left), new Interval(0, long.MaxValue)),
        Binary { Op: BinaryOp.Eq } eq => Assume(Difference(eq.Right, eq.Left), Interval.Exactly(0)),
        _ => this,
    };

    /// <summary>The scope where <paramref name="condition"/> fails (the else-arm of a conditional).</summary>
    public RangeScope AssumeFalse(Expr condition) => condition switch
    {
        Binary { Op: BinaryOp.Or } or => AssumeFalse(or.Left).AssumeFalse(or.Right),
        Binary { Op: BinaryOp.Lt } lt => Assume(Difference(lt.Left, lt.Right), new Interval(0, long.MaxValue)),
        Binary { Op: BinaryOp.Le } le => Assume(Difference(le.Left, le.Right), new Interval(1, long.MaxValue)),
        Binary { Op: BinaryOp.Ne } ne => Assume(Difference(ne.Right, ne.Left), Interval.Exactly(0)),
        _ => this,
    };

    /// <summary>Whether <paramref name="name"/> is bound here.</summary>
    public bool IsBound(string name) => TryGetRange(name, out _);

    /// <summary>The range of the variable <paramref name="name"/>, when it is bound here.</summary>
    public bool TryGetRange(string name, out Interval range)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._name == name)
            {
                range = scope._range;
                return true;
            }
        }

        range = Interval.Unbounded;
        return false;
    }

    /// <summary>The facts assumed here, innermost first.</summary>
    public IEnumerable<(LinearForm Form, Interval Range)> Facts
    {
        get
        {
            for (var scope = this; scope is not null; scope = scope._parent)
            {
                if (scope._fact is { } fact)
                {
                    yield return (fact, scope._range);
                }
            }
        }
    }

    /// <summary>Whether any fact is assumed here.</summary>
    internal bool HasFacts
    {
        get
        {
            for (var scope = this; scope is not null; scope = scope._parent)
            {
                if (scope._fact is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// What <c>form &gt;= bound</c> says. A fact on one variable tightens the variable's range. Otherwise it speaks through each min or max atom <c>c * op(a, b)</c> of the form, the
    /// rest of the form written r. When the atom is bounded below in every choice (a min with c &gt; 0, a
    /// max with c &lt; 0), both <c>r + c * a &gt;= bound</c> and <c>r + c * b &gt;= bound</c> hold. Otherwise one
    /// of them holds, and it is assumed when the other cannot: the loop <c>for j &lt; max(0, min(17 - i, 4))</c>
    /// runs, so <c>0 - j &gt;= 1</c> is impossible and <c>min(17 - i, 4) - j &gt;= 1</c> holds, which splits
    /// again into <c>17 - i - j &gt;= 1</c> and <c>4 - j &gt;= 1</c>. Each new fact replaces an atom by one of its
    /// operands, so the splitting ends.
    /// </summary>
    private RangeScope AssumeAtLeast(LinearForm form, long bound)
    {
        if (form.Terms is [(Var variable, var c)] && TryGetRange(variable.Name, out var current))
        {
            var tightened = current.Intersect(c > 0
                ? new Interval(CeilingDivide(bound - form.Constant, c), long.MaxValue)
                : new Interval(long.MinValue, FloorDivide(form.Constant - bound, -c)));
            return tightened.Min <= tightened.Max ? Bind(variable.Name, tightened) : this;
        }

        var scope = this;
        var atLeast = new Interval(bound, long.MaxValue);
        foreach (var (atom, coefficient) in form.Terms)
        {
            if (atom is not Binary { Op: BinaryOp.Min or BinaryOp.Max } choice)
            {
                continue;
            }

            var rest = form.AddScaled(LinearForm.Of(atom), -coefficient);
            var left = rest.AddScaled(LinearForm.Of(choice.Left), coefficient);
            var right = rest.AddScaled(LinearForm.Of(choice.Right), coefficient);
            if ((choice.Op == BinaryOp.Min) == (coefficient > 0))
            {
                scope = scope.Assume(left, atLeast).Assume(right, atLeast);
            }
            else if (Bounds.Of(left, scope).Max < bound)
            {
                scope = scope.Assume(right, atLeast);
            }
            else if (Bounds.Of(right, scope).Max < bound)
            {
                scope = scope.Assume(left, atLeast);
            }
        }

        return scope;
    }

    private static long FloorDivide(long numerator, long denominator) => Binary.Apply(BinaryOp.Div, numerator, denominator);

    private static long CeilingDivide(long numerator, long denominator) => -Binary.Apply(BinaryOp.Div, -numerator, denominator);

    private static LinearForm Difference(Expr left, Expr right) => LinearForm.Of(left).AddScaled(LinearForm.Of(right), -1);
}
