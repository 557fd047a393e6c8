using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Brokkr.FakeKube.Hosting;

namespace Brokkr.FakeKube.Api;

/// <summary><c>pods/{name}/log</c>: the text a test set, with <c>container</c>, <c>tailLines</c> and <c>follow</c>.</summary>
internal static class LogOperation
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(FakeKubeState state, ApiRequest request)
    {
        var name = request.Path.Name!;
        var key = FakeKubeState.KeyOf(request.Type, request.Namespace, name);
        var pod = state.Store.Get(key) ?? throw ApiException.NotFound(request.Type, name);
        var container = Container(pod.CloneBody(), name, request.Query("container"));
        var ns = request.Namespace ?? string.Empty;
        var timestamps = request.Query("timestamps") is "true" or "1";
        var text = Stamp(Tail(state.Logs.Get(ns, name, container), request.Query("tailLines")), timestamps, state.Now);

        var response = request.Context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/plain";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), request.Context.RequestAborted);
        if (request.Query("follow") is not ("true" or "1"))
        {
            return;
        }

        await response.Body.FlushAsync(request.Context.RequestAborted);
        var sent = state.Logs.Get(ns, name, container).Length;
        try
        {
            while (state.Store.Get(key) is not null)
            {
                await Task.Delay(FollowPoll, request.Context.RequestAborted);
                var current = state.Logs.Get(ns, name, container);
                if (current.Length > sent)
                {
                    var appended = Stamp(current[sent..], timestamps, state.Now);
                    await response.Body.WriteAsync(Encoding.UTF8.GetBytes(appended), request.Context.RequestAborted);
                    await response.Body.FlushAsync(request.Context.RequestAborted);
                    sent = current.Length;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client stopped following.
        }
    }

    private static string? Container(JsonObject pod, string name, string? requested)
    {
        var names = (pod["spec"]?["containers"] as JsonArray ?? [])
            .Select(c => c?["name"]?.ToString())
            .OfType<string>()
            .ToList();
        if (requested is { Length: > 0 })
        {
            return names.Count == 0 || names.Contains(requested)
                ? requested
                : throw ApiException.BadRequest($"container {requested} is not valid for pod {name}");
        }

        return names.Count switch
        {
            0 => null,
            1 => names[0],
            _ => throw ApiException.BadRequest(
                $"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', names)}]"),
        };
    }

    /// <summary>With <c>timestamps=true</c> the real kubelet prefixes each line with its RFC 3339 time; the fake uses the time it serves it.</summary>
    private static string Stamp(string text, bool timestamps, DateTimeOffset now)
    {
        if (!timestamps || text.Length == 0)
        {
            return text;
        }

        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);
        var lines = text.Split('\n');
        var last = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        return string.Join('\n', lines.Select((line, i) => i < last ? $"{stamp} {line}" : line));
    }

    private static string Tail(string text, string? tailLines)
    {
        if (!int.TryParse(tailLines, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return text;
        }

        var lines = text.Split('\n');
        var trailingNewline = text.EndsWith('\n');
        var content = trailingNewline ? lines[..^1] : lines;
        var kept = content.Skip(Math.Max(0, content.Length - count));
        return string.Join('\n', kept) + (trailingNewline && count > 0 ? "\n" : string.Empty);
    }
}
