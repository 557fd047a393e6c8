namespace Brokkr.FakeKube.Apply;

/// <summary>A field that an apply would change although another manager owns it.</summary>
internal sealed record ApplyConflict(string Manager, string ApiVersion, FieldPath Field, string Subresource = "")
{
    /// <summary>The real server's wording, e.g. <c>conflict with "kubectl" with subresource "scale" using apps/v1</c>.</summary>
    public string Owner => Subresource.Length == 0
        ? $"conflict with \"{Manager}\" using {ApiVersion}"
        : $"conflict with \"{Manager}\" with subresource \"{Subresource}\" using {ApiVersion}";
}
