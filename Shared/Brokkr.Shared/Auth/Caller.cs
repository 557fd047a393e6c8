using System.Reflection;
using Brokkr.Shared.Errors;
using Microsoft.AspNetCore.Http;

namespace Brokkr.Shared.Auth;

public enum CallerKind
{
    Admin,
    Agent,
    Generator,
}

/// <summary>The authenticated identity behind a request, put on the context by the PAK middleware.</summary>
public sealed record Caller(CallerKind Kind, Guid? Id, bool ReadOnly = false) : IBindableFromHttpContext<Caller>
{
    public static readonly Caller Admin = new(CallerKind.Admin, null);

    public bool IsAdmin => Kind == CallerKind.Admin;
    public bool IsAgent => Kind == CallerKind.Agent;
    public bool IsGenerator => Kind == CallerKind.Generator;

    /// <summary>
    /// The <c>actor_type</c> an audit entry records: the real caller, where the reference records
    /// generator actions as admin (policy fix).
    /// </summary>
    public string ActorType => Kind switch
    {
        CallerKind.Agent => "agent",
        CallerKind.Generator => "generator",
        _ => "admin",
    };

    /// <summary>The <c>actor_id</c> an audit entry records: the agent's or generator's id; admin has none.</summary>
    public Guid? ActorId => IsAdmin ? null : Id;

    public bool IsAgentSelf(Guid agentId) => Kind == CallerKind.Agent && Id == agentId;
    public bool IsGeneratorSelf(Guid generatorId) => Kind == CallerKind.Generator && Id == generatorId;

    public void RequireAdmin()
    {
        if (!IsAdmin)
        {
            throw ApiException.Forbidden("admin_required", "Admin access required");
        }
    }

    /// <summary>Admin or the agent itself; checked before any lookup, as the reference does.</summary>
    public void RequireAdminOrAgent(Guid agentId)
    {
        if (!IsAdmin && !IsAgentSelf(agentId))
        {
            throw ApiException.Forbidden("agent_pak_mismatch", "Access denied: the PAK does not belong to this agent");
        }
    }

    public void RequireAdminOrGenerator(Guid generatorId)
    {
        if (!IsAdmin && !IsGeneratorSelf(generatorId))
        {
            throw ApiException.Forbidden("generator_not_owned", "Access denied: the PAK does not belong to this generator");
        }
    }

    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter)
        => ValueTask.FromResult<Caller?>(From(context));

    public static Caller From(HttpContext context)
        => context.Features.Get<Caller>() ?? throw ApiException.Unauthorized();
}
