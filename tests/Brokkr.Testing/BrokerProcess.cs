using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Shouldly;

namespace Brokkr.Testing;

/// <summary>
/// One broker as a separate OS process (<c>dotnet Brokkr.Host.dll serve</c>) on a given database,
/// listening on a free loopback port.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BrokerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Url { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<BrokerProcess> StartAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Brokkr.Host.dll"));
        start.ArgumentList.Add("serve");
        start.Environment["BROKKR__DATABASE__URL"] = connectionString;
        start.Environment["BROKKR__BROKER__PAK_HASH"] = BrokkrApiFactory.AdminPak.Hash;
        start.Environment["BROKKR__BROKER__AUTH_CACHE_TTL_SECONDS"] = "60";
        start.Environment["BROKKR__LOG__LEVEL"] = "warn";
        start.Environment["BROKKR__JOBS__ENABLED"] = "false";
        start.Environment["ASPNETCORE_URLS"] = url.ToString();
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var broker = new BrokerProcess(Process.Start(start)!, url);
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (broker._process.HasExited)
            {
                throw new ShouldAssertException($"the broker process exited with {broker._process.ExitCode}: {broker.Output}");
            }

            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    return broker;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"the broker process did not become ready: {broker.Output}");
            }

            await Task.Delay(200);
        }
    }

    public HttpClient Client(string? pak = null)
    {
        var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(20) };
        if (pak is not null)
        {
            http.DefaultRequestHeaders.Authorization = new("Bearer", pak);
        }

        return http;
    }

    public HttpClient Admin() => Client(BrokkrApiFactory.AdminPak.Value);

    /// <summary>SIGTERM: the broker's graceful shutdown.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", $"-TERM {_process.Id}");
        kill!.WaitForExit();
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no graceful shutdown, no close frames, nothing flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
