namespace Brokkr.FakeKube.Apply;

/// <summary>What one field manager owns, with the operation it used (Apply or Update) and on which subresource.</summary>
internal sealed record ManagedEntry(
    string Manager,
    string Operation,
    string Subresource,
    string ApiVersion,
    DateTimeOffset Time,
    IReadOnlySet<FieldPath> Fields)
{
    public const string ApplyOperation = "Apply";
    public const string UpdateOperation = "Update";

    public bool IsSameManager(ManagedEntry other) =>
        Manager == other.Manager && Operation == other.Operation && Subresource == other.Subresource;

    public bool IsSameManager(string manager, string operation, string subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;
}
