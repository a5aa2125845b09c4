namespace Swatop.Core.Ir;

/// <summary>
/// Relational bounds of a linear form: the least and greatest values it takes on the integer points
/// that satisfy all the linear facts of a scope together, found by Fourier-Motzkin elimination.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Bounds"/> uses one fact at a time, which cannot see that <c>col * 44 + j * 11 + row</c>
/// stays below 33 when <c>row &lt;= 0</c>, <c>col * 4 + j &lt;= 2</c> and <c>j &gt;= 0</c> hold at once.
/// Here every atom of the form and of the facts that speak of its atoms (transitively) is a variable of a
/// system of inequalities: the facts, each atom's range from <see cref="Bounds"/>, and for a min or max
/// atom its order against its operands (<c>min(a, b) &lt;= a</c>, <c>max(a, b) &gt;= a</c>, ...), for a division by
/// a constant <c>d * (x / d) &lt;= x &lt; d * (x / d) + d</c> and for a remainder <c>x % d == x - d * (x / d)</c>. A new variable
/// t with <c>t &lt;= form</c> is added and every other variable is eliminated; what is left bounds t.
/// </para>
/// <para>
/// The atoms are integers, so a combined inequality whose coefficients share a factor g has its bound
/// rounded down to a multiple of g (<c>16 * row &lt;= 1</c> becomes <c>row &lt;= 0</c>). Elimination stops, and the
/// bound is unknown, when the system grows past <see cref="MaxRows"/> inequalities or a coefficient
/// overflows. A system with no solution means the code it guards never runs: the range is then empty
/// (<see cref="Interval.Min"/> above <see cref="Interval.Max"/>).
/// </para>
/// </remarks>
public static class LinearBounds
{
    /// <summary>The largest system elimination works on before it gives up.</summary>
    public const int MaxRows = 4096;

    /// <summary>The range of <paramref name="expression"/> on the integer points that satisfy the facts of <paramref name="scope"/>.</summary>
    public static Interval Of(Expr expression, RangeScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        var form = LinearForm.Of(expression);
        var max = Maximum(form, scope);
        var min = Maximum(LinearForm.OfConstant(0).AddScaled(form, -1), scope);
        return new Interval(min == long.MaxValue ? long.MinValue : min == long.MinValue ? long.MaxValue : -min, max);
    }

    /// <summary>An upper bound of the form: <see cref="long.MaxValue"/> when none is known, <see cref="long.MinValue"/> when the facts cannot all hold.</summary>
    private static long Maximum(LinearForm form, RangeScope scope)
    {
        if (form.IsConstant)
        {
            return form.Constant;
        }

        try
        {
            var system = new InequalitySystem();
            var objective = system.Variable(null);
            var row = system.Row(form, -1);
            row[objective] = 1;
            system.Add(row, form.Constant);
            system.Relate(form, scope);
            return system.EliminateAllBut(objective);
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    /// <summary>Inequalities <c>sum(coefficient * variable) &lt;= bound</c> over the atoms met so far.</summary>
    private sealed class InequalitySystem
    {
        private readonly List<Expr?> _variables = [];
        private readonly Dictionary<Expr, int> _index = [];
        private readonly HashSet<Expr> _related = [];
        private List<(long[] Coefficients, long Bound)> _rows = [];

        public int Variable(Expr? atom)
        {
            if (atom is not null && _index.TryGetValue(atom, out var index))
            {
                return index;
            }

            _variables.Add(atom);
            if (atom is not null)
            {
                _index[atom] = _variables.Count - 1;
            }

            return _variables.Count - 1;
        }

        /// <summary>The coefficients of <c>factor * form</c> without its constant.</summary>
        public Dictionary<int, long> Row(LinearForm form, long factor)
        {
            var row = new Dictionary<int, long>();
            foreach (var (atom, coefficient) in form.Terms)
            {
                var variable = Variable(atom);
                row[variable] = checked((row.TryGetValue(variable, out var c) ? c : 0) + (factor * coefficient));
            }

            return row;
        }

        public void Add(Dictionary<int, long> row, long bound) => _rows.Add((Dense(row), bound));

        /// <summary>Adds the ranges of the form's atoms, their order against their operands, and every fact that shares an atom, until nothing new is met.</summary>
        public void Relate(LinearForm form, RangeScope scope)
        {
            var pending = new Queue<Expr>(form.Terms.Select(t => t.Atom));
            var facts = scope.Facts.ToList();
            var reaches = facts.Select(f => Atoms(f.Form)).ToList();
            var used = new bool[facts.Count];
            while (pending.Count > 0)
            {
                var atom = pending.Dequeue();
                if (!_related.Add(atom))
                {
                    continue;
                }

                var range = atom is Var v ? (scope.TryGetRange(v.Name, out var r) ? r : Interval.Unbounded) : Bounds.Of(atom, scope);
                var single = LinearForm.Of(atom);
                AddRange(single, range);
                if (atom is Binary { Op: BinaryOp.Div, Right: IntLiteral { Value: > 0 } divisor } quotient)
                {
                    // d * (x / d) <= x <= d * (x / d) + d - 1.
                    var remainder = LinearForm.Of(quotient.Left).AddScaled(single, -divisor.Value);
                    AddRange(remainder, new Interval(0, divisor.Value - 1));
                    Enqueue(pending, remainder);
                }
                else if (atom is Binary { Op: BinaryOp.Mod, Right: IntLiteral { Value: > 0 } modulus } mod)
                {
                    // x % d == x - d * (x / d).
                    var identity = single.AddScaled(LinearForm.Of(mod.Left), -1).AddScaled(LinearForm.Of(new Binary(BinaryOp.Div, mod.Left, mod.Right)), modulus.Value);
                    AddRange(identity, Interval.Exactly(0));
                    Enqueue(pending, identity);
                }
                else if (atom is Binary { Op: BinaryOp.Min or BinaryOp.Max } choice)
                {
                    foreach (var operand in new[] { choice.Left, choice.Right })
                    {
                        // min(a, b) - a <= 0; max(a, b) - a >= 0.
                        var difference = single.AddScaled(LinearForm.Of(operand), -1);
                        AddRange(difference, choice.Op == BinaryOp.Min ? new Interval(long.MinValue, 0) : new Interval(0, long.MaxValue));
                        Enqueue(pending, difference);
                    }
                }

                for (var i = 0; i < facts.Count; i++)
                {
                    if (!used[i] && reaches[i].Contains(atom))
                    {
                        used[i] = true;
                        AddRange(facts[i].Form, facts[i].Range);
                        Enqueue(pending, facts[i].Form);
                    }
                }
            }
        }

        /// <summary>Eliminates every variable but <paramref name="kept"/> and returns its upper bound.</summary>
        public long EliminateAllBut(int kept)
        {
            var width = _variables.Count;
            _rows = [.. _rows.Select(r => (Widen(r.Coefficients, width), r.Bound))];
            var remaining = Enumerable.Range(0, width).Where(v => v != kept).ToHashSet();
            var objective = _rows[0].Coefficients; // t <= form, the first row Maximum adds
            while (remaining.Count > 0)
            {
                // The form's own atoms go last, so the integer rounding of the rows about them sees every other fact.
                var variable = remaining.MinBy(v => (objective[v] != 0 ? 1L << 40 : 0) + ((long)_rows.Count(r => r.Coefficients[v] > 0) * _rows.Count(r => r.Coefficients[v] < 0)));
                remaining.Remove(variable);
                if (!Eliminate(variable))
                {
                    return long.MaxValue;
                }
            }

            var best = long.MaxValue;
            foreach (var (coefficients, bound) in _rows)
            {
                if (coefficients.All(c => c == 0) && bound < 0)
                {
                    return long.MinValue;
                }

                if (coefficients[kept] > 0)
                {
                    best = Math.Min(best, FloorDivide(bound, coefficients[kept]));
                }
            }

            return best;
        }

        private bool Eliminate(int variable)
        {
            var upper = _rows.Where(r => r.Coefficients[variable] > 0).ToList();
            var lower = _rows.Where(r => r.Coefficients[variable] < 0).ToList();
            var next = new Dictionary<string, (long[] Coefficients, long Bound)>(StringComparer.Ordinal);
            foreach (var row in _rows.Where(r => r.Coefficients[variable] == 0))
            {
                Keep(next, row.Coefficients, row.Bound);
            }

            foreach (var (up, upBound) in upper)
            {
                foreach (var (low, lowBound) in lower)
                {
                    var a = up[variable];
                    var b = -low[variable];
                    var combined = new long[up.Length];
                    for (var i = 0; i < combined.Length; i++)
                    {
                        combined[i] = checked((b * up[i]) + (a * low[i]));
                    }

                    Keep(next, combined, checked((b * upBound) + (a * lowBound)));
                    if (next.Count > MaxRows)
                    {
                        return false;
                    }
                }
            }

            _rows = [.. next.Values];
            return true;
        }

        /// <summary>Keeps a row divided by the common factor of its coefficients (its bound rounded down), the tightest of equal rows.</summary>
        private static void Keep(Dictionary<string, (long[] Coefficients, long Bound)> rows, long[] coefficients, long bound)
        {
            var divisor = coefficients.Aggregate(0L, (g, c) => Gcd(g, Math.Abs(c)));
            if (divisor > 1)
            {
                coefficients = [.. coefficients.Select(c => c / divisor)];
                bound = FloorDivide(bound, divisor);
            }

            var key = string.Join(',', coefficients);
            if (!rows.TryGetValue(key, out var existing) || bound < existing.Bound)
            {
                rows[key] = (coefficients, bound);
            }
        }

        /// <summary>The atoms of a form and, within its min, max, division and remainder atoms, theirs: a fact on <c>i % 2</c> speaks of <c>i</c>.</summary>
        private static HashSet<Expr> Atoms(LinearForm form)
        {
            var atoms = new HashSet<Expr>();
            var pending = new Stack<LinearForm>([form]);
            while (pending.TryPop(out var next))
            {
                foreach (var (atom, _) in next.Terms)
                {
                    if (atoms.Add(atom) && atom is Binary { Op: BinaryOp.Min or BinaryOp.Max or BinaryOp.Div or BinaryOp.Mod } inner)
                    {
                        pending.Push(LinearForm.Of(inner.Left));
                        pending.Push(LinearForm.Of(inner.Right));
                    }
                }
            }

            return atoms;
        }

        private static void Enqueue(Queue<Expr> pending, LinearForm form)
        {
            foreach (var (atom, _) in form.Terms)
            {
                pending.Enqueue(atom);
            }
        }

        private void AddRange(LinearForm form, Interval range)
        {
            if (range.Max != long.MaxValue)
            {
                Add(Row(form, 1), checked(range.Max - form.Constant));
            }

            if (range.Min != long.MinValue)
            {
                Add(Row(form, -1), checked(form.Constant - range.Min));
            }
        }

        private long[] Dense(Dictionary<int, long> row)
        {
            var dense = new long[_variables.Count];
            foreach (var (variable, coefficient) in row)
            {
                dense[variable] = coefficient;
            }

            return dense;
        }

        private static long[] Widen(long[] coefficients, int width)
        {
            var wide = new long[width];
            coefficients.CopyTo(wide, 0);
            return wide;
        }

        private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

        private static long FloorDivide(long numerator, long denominator) => Binary.Apply(BinaryOp.Div, numerator, denominator);
    }
}
