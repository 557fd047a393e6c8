using Brokkr.Contracts.Generators;
using Brokkr.Generators.Data;
using Brokkr.Shared.Data;
using Brokkr.Shared.Errors;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using Mediator;

namespace Brokkr.Generators.Handlers;

internal sealed class EnsureGeneratorsExistHandler(BrokkrDb db) : IQueryHandler<EnsureGeneratorsExist, bool>
{
    public async ValueTask<bool> Handle(EnsureGeneratorsExist query, CancellationToken cancellationToken)
    {
        var ids = query.GeneratorIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return true;
        }

        var found = await db.GetTable<GeneratorRow>()
            .Where(g => ids.Contains(g.Id) && g.DeletedAt == null)
            .Select(g => g.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in query.GeneratorIds)
        {
            if (!found.Contains(id))
            {
                throw ApiException.BadRequest("invalid_generator_id", $"Generator {id} does not exist");
            }
        }

        return true;
    }
}

/// <summary>New agents join the system generator and every generator they were created with.</summary>
internal sealed class RegisterAgentWithGeneratorsHandler(BrokkrDb db) : ICommandHandler<RegisterAgentWithGenerators>
{
    public async ValueTask<Unit> Handle(RegisterAgentWithGenerators command, CancellationToken cancellationToken)
    {
        var systemIds = await db.GetTable<GeneratorRow>()
            .Where(g => g.IsSystem && g.DeletedAt == null)
            .Select(g => g.Id)
            .ToListAsync(cancellationToken);
        foreach (var generatorId in systemIds.Concat(command.GeneratorIds).Distinct())
        {
            await db.ExecuteAsync(
                "INSERT INTO agent_generator_registrations (id, agent_id, generator_id) VALUES (@id, @agent, @generator) ON CONFLICT (agent_id, generator_id) DO NOTHING",
                cancellationToken,
                new DataParameter("id", Guid.CreateVersion7()),
                new DataParameter("agent", command.AgentId),
                new DataParameter("generator", generatorId));
        }
        return Unit.Value;
    }
}
