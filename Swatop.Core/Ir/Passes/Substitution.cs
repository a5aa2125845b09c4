namespace Swatop.Core.Ir.Passes;

/// <summary>
/// Replaces variables by expressions in a statement or an expression, rebuilding the nodes above a
/// replacement with <see cref="Binary.Make"/> so constants fold; a loop or let that binds a replaced
/// name hides it in its body.
/// </summary>
internal sealed class Substitution : IrRewriter
{
    private readonly Dictionary<string, Expr> _map;

    private Substitution(Dictionary<string, Expr> map) => _map = map;

    /// <summary><paramref name="statement"/> with every free use of a key of <paramref name="map"/> replaced by its value.</summary>
    public static Stmt Apply(Stmt statement, IReadOnlyDictionary<string, Expr> map) =>
        map.Count == 0 ? statement : new Substitution(new Dictionary<string, Expr>(map)).Rewrite(statement);

    /// <summary><paramref name="expression"/> with every use of a key of <paramref name="map"/> replaced by its value.</summary>
    public static Expr Apply(Expr expression, IReadOnlyDictionary<string, Expr> map) =>
        map.Count == 0 ? expression : new Substitution(new Dictionary<string, Expr>(map)).Rewrite(expression);

    /// <summary><paramref name="statement"/> with <paramref name="name"/> replaced by <paramref name="value"/>.</summary>
    public static Stmt Apply(Stmt statement, string name, Expr value) =>
        new Substitution(new Dictionary<string, Expr> { [name] = value }).Rewrite(statement);

    /// <inheritdoc />
    protected override Expr RewriteVar(Var variable) => _map.TryGetValue(variable.Name, out var value) ? value : variable;

    /// <inheritdoc />
    protected override Expr RewriteBinary(Binary binary) => Rebuild(binary, Rewrite(binary.Left), Rewrite(binary.Right));

    /// <inheritdoc />
    protected override Stmt RewriteFor(ForLoop forLoop)
    {
        var extent = Rewrite(forLoop.Extent);
        var body = Hidden(forLoop.Var, forLoop.Body);
        return ReferenceEquals(extent, forLoop.Extent) && ReferenceEquals(body, forLoop.Body) ? forLoop : forLoop with { Extent = extent, Body = body };
    }

    /// <inheritdoc />
    protected override Stmt RewriteLet(Let let)
    {
        var value = Rewrite(let.Value);
        var body = Hidden(let.Var, let.Body);
        return ReferenceEquals(value, let.Value) && ReferenceEquals(body, let.Body) ? let : let with { Value = value, Body = body };
    }

    private static Expr Rebuild(Binary binary, Expr left, Expr right) =>
        ReferenceEquals(left, binary.Left) && ReferenceEquals(right, binary.Right) ? binary : Binary.Make(binary.Op, left, right);

    private Stmt Hidden(string name, Stmt body)
    {
        if (!_map.Remove(name, out var value))
        {
            return Rewrite(body);
        }

        var rewritten = _map.Count == 0 ? body : Rewrite(body);
        _map[name] = value;
        return rewritten;
    }
}
