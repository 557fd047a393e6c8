namespace Brokkr.FakeKube.Apply;

internal sealed class ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts)
    : Exception(Describe(conflicts))
{
    public IReadOnlyList<ApplyConflict> Conflicts { get; } = conflicts;

    /// <summary>The wording of the real API server, which kubectl shows as is.</summary>
    private static string Describe(IReadOnlyList<ApplyConflict> conflicts)
    {
        if (conflicts.Count == 1)
        {
            var only = conflicts[0];
            return $"Apply failed with 1 conflict: {only.Owner}: {only.Field}";
        }

        var groups = conflicts
            .GroupBy(c => c.Owner)
            .Select(g => $"{g.Key.Replace("conflict with", "conflicts with", StringComparison.Ordinal)}:\n"
                         + string.Join("\n", g.Select(c => $"- {c.Field}")));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", groups)}";
    }
}
