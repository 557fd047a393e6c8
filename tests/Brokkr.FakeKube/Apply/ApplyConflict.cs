namespace Brokkr.FakeKube.Apply;

/// <summary>A field that an apply would change although another manager owns it.</summary>
internal sealed record ApplyConflict(string Manager, string ApiVersion, FieldPath Field);
