using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Brokkr.Agents.Routing;

/// <summary>
/// The last path segment, percent-decoded once, as the reference decodes it: a label or annotation
/// key containing '/' is addressed as <c>%2F</c>. The server decodes everything in route values except
/// <c>%2F</c> (so <c>%252F</c> and <c>%2F</c> look alike there); the raw request target tells them apart.
/// </summary>
internal static class PathSegment
{
    public static string LastDecoded(HttpContext context, string routeValue)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
        {
            return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? raw[..query] : raw;
        return Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
    }
}
