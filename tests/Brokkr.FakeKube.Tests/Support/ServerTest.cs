using k8s;

namespace Brokkr.FakeKube.Tests.Support;

/// <summary>A fresh fake server per test (xunit makes one class instance per test), stopped afterwards.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    protected FakeKubeServer Server { get; private set; } = null!;

    protected virtual FakeKubeOptions Options => new();

    public async Task InitializeAsync() => Server = await FakeKubeServer.StartAsync(options: Options);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected Kubernetes Client() => new(new KubernetesClientConfiguration { Host = Server.Url.ToString(), AccessToken = Server.Token });

    protected HttpClient Http() => new() { BaseAddress = Server.Url, Timeout = TimeSpan.FromSeconds(30) };

    protected static CancellationToken Within(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    protected static async Task Eventually(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not reached within {seconds} s");
            }

            await Task.Delay(50);
        }
    }
}
