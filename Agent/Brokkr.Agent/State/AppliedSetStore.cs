using System.Text.Json;
using Brokkr.Agent.Domain;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.State;

/// <summary>
/// The applied set on disk (<c>applied.json</c> in the state directory): what each stack's last
/// action was, so that a restart neither re-applies nor forgets anything (ADR 0025).
/// </summary>
internal sealed class AppliedSetStore(string directory, ILogger<AppliedSetStore> logger)
{
    private sealed record Document(int Version, Guid AgentId, IReadOnlyList<AppliedStack> Stacks);

    public string Path { get; } = System.IO.Path.Combine(directory, "applied.json");

    /// <summary>The saved set for this agent, or null when there is none (or it belongs to another agent, or is unreadable).</summary>
    public Dictionary<Guid, AppliedStack>? Load(Guid agentId)
    {
        try
        {
            var document = StateFiles.Read<Document>(Path);
            if (document is null)
            {
                return null;
            }

            if (document.AgentId != agentId)
            {
                logger.LogWarning("{Path} belongs to agent {Other}, not {AgentId}; ignoring it", Path, document.AgentId, agentId);
                return null;
            }

            return document.Stacks.ToDictionary(s => s.StackId);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            logger.LogWarning("{Path} is unreadable ({Error}); the applied set is rebuilt from the cluster", Path, e.Message);
            return null;
        }
    }

    public void Save(Guid agentId, IReadOnlyDictionary<Guid, AppliedStack> stacks)
        => StateFiles.Write(Path, new Document(1, agentId, stacks.Values.OrderBy(s => s.SequenceId).ToList()));
}
