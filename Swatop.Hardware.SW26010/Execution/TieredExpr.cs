using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Swatop.Hardware.Sw26010.Execution;

/// <summary>
/// A compiled expression that the kernel evaluates often enough to be worth machine code: it walks
/// its tree for the first <see cref="Threshold"/> evaluations, then builds one delegate from the
/// same nodes (each operator applied by the same <see cref="IIntOperator.Apply"/> method, operands
/// left to right, so values and errors are the tree's) and calls that from then on. A kernel run
/// briefly (a test, a check) pays nothing for the compilation; a timing-only measurement that
/// evaluates an address millions of times pays one tree walk per evaluation no longer.
/// </summary>
/// <remarks>
/// Where the runtime cannot compile code (native AOT, or dynamic code switched off) LINQ would
/// only interpret the expression, more slowly than the tree: the tree stays.
/// Core groups run the same compiled kernel on several host threads: the count is approximate,
/// two threads may build the delegate twice, and either delegate computes the same function.
/// </remarks>
internal sealed class TieredExpr(CompiledExpr tree) : CompiledExpr
{
    /// <summary>Tree walks before the delegate is built.</summary>
    public const int Threshold = 4096;

    private static readonly MethodInfo ApplyMethod =
        typeof(TieredExpr).GetMethod(nameof(Apply), BindingFlags.NonPublic | BindingFlags.Static)!;

    private Func<long[], long>? _compiled;
    private int _evaluations;

    public override long Evaluate(long[] slots)
    {
        if (_compiled is { } compiled)
        {
            return compiled(slots);
        }

        if (++_evaluations == Threshold && RuntimeFeature.IsDynamicCodeCompiled)
        {
            var parameter = Expression.Parameter(typeof(long[]), "slots");
            _compiled = Expression.Lambda<Func<long[], long>>(tree.ToLinq(parameter), parameter).Compile();
        }

        return tree.Evaluate(slots);
    }

    internal override Expression ToLinq(ParameterExpression slots) => tree.ToLinq(slots);

    /// <summary>The call of <typeparamref name="TOperator"/>'s <see cref="IIntOperator.Apply"/> on two operands.</summary>
    internal static Expression Call<TOperator>(Expression left, Expression right)
        where TOperator : struct, IIntOperator => Expression.Call(ApplyMethod.MakeGenericMethod(typeof(TOperator)), left, right);

    private static long Apply<TOperator>(long left, long right)
        where TOperator : struct, IIntOperator => TOperator.Apply(left, right);
}
