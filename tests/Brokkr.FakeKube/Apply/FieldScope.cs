namespace Brokkr.FakeKube.Apply;

/// <summary>
/// Which fields a write may own: the main resource owns everything but status and the fields the server
/// sets; the status subresource owns only status.
/// </summary>
internal static class FieldScope
{
    private static readonly HashSet<string> ServerMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "selfLink", "generateName",
    ];

    public static bool Object(FieldPath path)
    {
        var segments = path.Segments;
        return segments[0] switch
        {
            "apiVersion" or "kind" or "status" => false,
            "metadata" => segments.Count < 2 || !ServerMetadata.Contains(segments[1]),
            _ => true,
        };
    }

    /// <summary>For resources without a status subresource, status is an ordinary field.</summary>
    public static bool ObjectWithStatus(FieldPath path) => path.First == "status" || Object(path);

    public static bool Status(FieldPath path) => path.First == "status";

    public static Func<FieldPath, bool> For(string subresource, bool hasStatusSubresource) =>
        subresource == "status" ? Status : hasStatusSubresource ? Object : ObjectWithStatus;
}
