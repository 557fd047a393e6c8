using Brokkr.Agents.Routing;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Brokkr.Agents;

/// <summary>Agents: identities of clusters, their labels, annotations, targets, heartbeats and events.</summary>
public static class AgentsModule
{
    public static IHostApplicationBuilder AddAgentsModule(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, TrailingSlashMatcherPolicy>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, TrailingSlashApiDescriptionProvider>());
        builder.Services.Configure<OpenApiOptions>("v1", o => o.AddDocumentTransformer(TrailingSlashApiDescriptionProvider.RestoreTrailingSlashes));
        builder.Services.AddSingleton<Ingest.HeartbeatWriter>();
        builder.Services.AddSingleton<Ingest.EventWriter>();
        Features.CleanupAgentEvents.Schedule(builder);
        return builder;
    }
}
