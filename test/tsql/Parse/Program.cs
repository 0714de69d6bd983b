// Parses T-SQL with Microsoft's own parser (ScriptDom) for test/tsql: SQL Server 2008's grammar
// (TSql100Parser: Lync 2010 and 2013 back ends run on SQL Server 2008 R2) and the newest one.
// Input on stdin: [{"id": "...", "sql": "..."}]. Output on stdout, one JSON document: per
// statement, each parser's errors, and the names the statement uses, read from the newest
// parser's tree, so the tests can check them against the Persistent Chat schema reference.
using System.Text.Json;
using Microsoft.SqlServer.TransactSql.ScriptDom;

var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = false };
var input = JsonSerializer.Deserialize<List<Input>>(Console.In.ReadToEnd(), options) ?? [];
var parsers = new (string Name, Func<TSqlParser> Make)[]
{
    ("TSql100", () => new TSql100Parser(true)),
    ("TSql180", () => new TSql180Parser(true)),
};
var output = new List<Output>();
foreach (var item in input)
{
    var results = new Dictionary<string, List<Error>>();
    TSqlFragment? newest = null;
    foreach (var (name, make) in parsers)
    {
        var tree = make().Parse(new StringReader(item.Sql), out var errors);
        results[name] = errors.Select(e => new Error(e.Line, e.Column, e.Number, e.Message)).ToList();
        if (name == parsers[^1].Name && errors.Count == 0) newest = tree;
    }
    var names = new NameCollector();
    newest?.Accept(names);
    output.Add(new Output(item.Id, results, names.Scopes, names.Definitions));
}
Console.Out.Write(JsonSerializer.Serialize(output, options));

record Input(string Id, string Sql);
record Error(int Line, int Column, int Number, string Message);
record TableName(string? Schema, string Name, string? Alias, bool Variable);
record Scope(string Statement, List<TableName> Tables, List<List<string>> Columns);
record Definition(string Kind, string Name, List<string> Columns);
record Output(string Id, Dictionary<string, List<Error>> Errors, List<Scope> Scopes, List<Definition> Definitions);

/// One scope per DML or CREATE INDEX statement: the tables it names (with their aliases) and the
/// columns it references. A subquery belongs to its statement's scope, which is how the tests
/// resolve an alias or an unqualified column. Definitions are the tables and table variables the
/// script itself creates (the state store's), whose columns count as known.
sealed class NameCollector : TSqlFragmentVisitor
{
    public List<Scope> Scopes { get; } = [];
    public List<Definition> Definitions { get; } = [];

    public override void Visit(SelectStatement node) => Collect("SELECT", node);
    public override void Visit(InsertStatement node) => Collect("INSERT", node);
    public override void Visit(UpdateStatement node) => Collect("UPDATE", node);
    public override void Visit(DeleteStatement node) => Collect("DELETE", node);

    public override void Visit(CreateIndexStatement node)
    {
        var scope = new ScopeCollector();
        foreach (var c in node.Columns) c.Accept(scope);
        scope.Tables.Add(new TableName(node.OnName.SchemaIdentifier?.Value, node.OnName.BaseIdentifier.Value, null, false));
        Scopes.Add(new Scope("CREATE INDEX", scope.Tables, scope.Columns));
    }

    public override void Visit(CreateTableStatement node) =>
        Definitions.Add(new Definition("table", node.SchemaObjectName.BaseIdentifier.Value, node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value).ToList()));

    public override void Visit(DeclareTableVariableBody node) =>
        Definitions.Add(new Definition("variable", node.VariableName.Value, node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value).ToList()));

    void Collect(string statement, TSqlFragment node)
    {
        var scope = new ScopeCollector();
        node.Accept(scope);
        Scopes.Add(new Scope(statement, scope.Tables, scope.Columns));
    }
}

sealed class ScopeCollector : TSqlFragmentVisitor
{
    public List<TableName> Tables { get; } = [];
    public List<List<string>> Columns { get; } = [];

    public override void Visit(NamedTableReference node) =>
        Tables.Add(new TableName(node.SchemaObject.SchemaIdentifier?.Value, node.SchemaObject.BaseIdentifier.Value, node.Alias?.Value, false));

    public override void Visit(VariableTableReference node) =>
        Tables.Add(new TableName(null, node.Variable.Name, node.Alias?.Value, true));

    public override void Visit(ColumnReferenceExpression node)
    {
        // `COUNT(*)` and `SELECT *` are wildcards, not names; @@SPID and the like are not columns.
        if (node.ColumnType != ColumnType.Regular || node.MultiPartIdentifier is null) return;
        Columns.Add(node.MultiPartIdentifier.Identifiers.Select(i => i.Value).ToList());
    }
}
