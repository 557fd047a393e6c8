using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Brokkr.Replicas.Tests.Support;

/// <summary>
/// A webhook subscriber on 127.0.0.1 that, while <see cref="Holding"/>, keeps every request open
/// without answering (a slow subscriber), and otherwise answers 200 at once. It records, by
/// <c>X-Brokkr-Delivery-Id</c>, what arrived and what it answered 200.
/// </summary>
public sealed class HoldingReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Guid> _arrived = new();
    private readonly ConcurrentQueue<Guid> _answered = new();

    private HoldingReceiver(WebApplication app) => _app = app;

    public volatile bool Holding = true;

    public string Url { get; private set; } = "";

    public IReadOnlyList<Guid> Arrived => _arrived.ToList();

    public IReadOnlyList<Guid> Answered => _answered.ToList();

    public static async Task<HoldingReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new HoldingReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/hook";
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var id = Guid.Parse(context.Request.Headers["X-Brokkr-Delivery-Id"].ToString());
        _arrived.Enqueue(id);
        try
        {
            while (Holding)
            {
                await Task.Delay(100, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The sender went away (the replica was killed): nothing was answered.
            return;
        }

        context.Response.StatusCode = 200;
        await context.Response.WriteAsync("ok");
        _answered.Enqueue(id);
    }

    public async ValueTask DisposeAsync()
    {
        Holding = false;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
