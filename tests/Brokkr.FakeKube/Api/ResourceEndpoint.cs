using Brokkr.FakeKube.Hosting;

namespace Brokkr.FakeKube.Api;

/// <summary>Routes a resource URL and method to the verb that serves it.</summary>
internal static class ResourceEndpoint
{
    public static Task HandleAsync(HttpContext context, FakeKubeState state)
    {
        var path = ApiPath.Parse(context.Request.Path.Value ?? string.Empty) ?? throw ApiException.UnknownResource();
        var type = state.Registry.Find(path.Group, path.Version, path.Plural) ?? throw ApiException.UnknownResource();
        var misplaced = (!type.Namespaced && path.Namespace is not null)
                        || (type.Namespaced && path.Namespace is null && path.Name is not null)
                        || (path.Subresource is { } named && !type.Subresources.Contains(named));
        if (misplaced)
        {
            throw ApiException.UnknownResource();
        }

        var request = new ApiRequest(context, path, type);
        var method = context.Request.Method;
        var sub = request.Subresource;
        return (method, path.Name is null, sub) switch
        {
            ("GET", true, _) when request.Query("watch") is "true" or "1" => WatchOperation.RunAsync(state, request),
            ("GET", true, _) => ReadOperations.ListAsync(state, request),
            ("GET", false, "log") => LogOperation.RunAsync(state, request),
            ("GET", false, "scale") => ScaleOperation.GetAsync(state, request),
            ("PUT" or "PATCH", false, "scale") => ScaleOperation.UpdateAsync(state, request),
            ("GET", false, _) => ReadOperations.GetAsync(state, request),
            ("POST", true, _) when !type.Namespaced || path.Namespace is not null => WriteOperations.CreateAsync(state, request),
            ("PUT", false, "" or "status") => WriteOperations.ReplaceAsync(state, request),
            ("PATCH", false, "" or "status") => WriteOperations.PatchAsync(state, request),
            ("DELETE", false, "") => DeleteOperations.DeleteAsync(state, request),
            ("DELETE", true, _) when type.Plural != "namespaces" => DeleteOperations.DeleteCollectionAsync(state, request),
            _ => throw ApiException.MethodNotAllowed(),
        };
    }
}
