using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Brokkr.Agents.Routing;

/// <summary>
/// The last path segment, percent-decoded once. The server leaves <c>%2F</c> encoded in route values
/// (so <c>a%252Fb</c> and <c>a%2Fb</c> look alike there); the reference decodes the segment fully, so
/// a label or annotation key containing '/' can be addressed as the reference clients send it.
/// </summary>
internal static class PathSegment
{
    public static string LastDecoded(HttpContext context, string routeValue)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
        {
            return routeValue;
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? raw[..query] : raw;
        var slash = path.LastIndexOf('/');
        return Uri.UnescapeDataString(path[(slash + 1)..]);
    }
}
