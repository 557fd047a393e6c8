using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Brokkr.Agents.Routing;

/// <summary>
/// ASP.NET routing ignores a trailing slash, but the reference has two operations that differ only
/// by it: <c>GET /agents</c> (list) and <c>GET /agents/</c> (search by name and cluster).
/// </summary>
internal sealed record TrailingSlashMetadata(bool Required);

internal sealed class TrailingSlashMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
        => endpoints.Any(e => e.Metadata.GetMetadata<TrailingSlashMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var path = httpContext.Request.Path.Value;
        var hasSlash = path is { Length: > 1 } && path[^1] == '/';
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i)
                && candidates[i].Endpoint.Metadata.GetMetadata<TrailingSlashMetadata>() is { } metadata
                && metadata.Required != hasSlash)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}

internal static class TrailingSlashExtensions
{
    public static TBuilder WithTrailingSlash<TBuilder>(this TBuilder builder, bool required)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new TrailingSlashMetadata(required));
}

/// <summary>
/// The OpenAPI generator rebuilds paths from route segments, which drops the trailing slash and would
/// merge both GETs into one. The description of a trailing-slash endpoint gets a placeholder segment,
/// and the document transformer puts it back as the trailing slash.
/// </summary>
internal sealed class TrailingSlashApiDescriptionProvider : IApiDescriptionProvider
{
    public const string Placeholder = "__trailing_slash__";

    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            if (description.ActionDescriptor.EndpointMetadata.OfType<TrailingSlashMetadata>().FirstOrDefault() is { Required: true }
                && description.RelativePath is { } path)
            {
                description.RelativePath = path.TrimEnd('/') + "/" + Placeholder;
            }
        }
    }

    public static Task RestoreTrailingSlashes(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var key in document.Paths.Keys.Where(k => k.EndsWith("/" + Placeholder, StringComparison.Ordinal)).ToList())
        {
            var item = document.Paths[key];
            document.Paths.Remove(key);
            document.Paths[key[..^Placeholder.Length]] = item;
        }

        return Task.CompletedTask;
    }
}
