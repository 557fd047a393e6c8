using Brokkr.Contracts.Stacks;

namespace Brokkr.Agent.Broker;

/// <summary>The reference's <c>AuthResponse</c> of <c>POST /auth/pak</c>; not among the shared contracts.</summary>
internal sealed record AuthResponse(bool Admin, string? Agent, string? Generator, bool Readonly);

/// <summary>
/// One target-state poll: <see cref="Objects"/> is null when the broker answered 304 (our copy,
/// named by <see cref="ETag"/>, is current).
/// </summary>
internal sealed record TargetStateResult(string? ETag, IReadOnlyList<DeploymentObject>? Objects)
{
    public bool NotModified => Objects is null;
}
