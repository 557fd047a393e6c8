using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Brokkr.Realtime.Tests;

/// <summary>
/// A second broker as a separate OS process (<c>dotnet Brokkr.Host.dll serve</c>) on the same
/// database: what changes through this broker reaches an agent connected to that one, and SIGTERM
/// closes its sockets with a close frame.
/// </summary>
public sealed class SecondProcessTests(RealtimeApiFactory api) : IClassFixture<RealtimeApiFactory>
{
    [Fact]
    public async Task A_target_added_through_this_broker_reaches_an_agent_connected_to_another_broker_process()
    {
        var world = await World.CreateAsync(api);
        await api.ReadyAsync();
        await using var broker = await BrokerProcess.StartAsync(api.ConnectionString);

        using var http = new HttpClient { BaseAddress = broker.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", BrokkrApiFactory.AdminPak.Value);
        await (await http.GetUpgradeAsync("/internal/ws/agent")).ShouldFailAsync(HttpStatusCode.Forbidden, "agent_pak_required");

        var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Authorization", $"Bearer {world.AgentPak}");
        await client.ConnectAsync(new UriBuilder(new Uri(broker.Url, "/internal/ws/agent")) { Scheme = "ws" }.Uri, CancellationToken.None);
        await using var socket = new TestSocket(client);
        await RealtimeTest.EventuallyAsync(() => api.ConnectedAnywhere(world.AgentId), "this broker learnt of the other's connection");

        await new Scenario(api).TargetAsync(world.AgentId, world.StackId);

        var frame = await socket.ReceiveAsync("target_changed");
        frame["body"]!.Id("agent_id").ShouldBe(world.AgentId);
        frame["body"]!.Id("stack_id").ShouldBe(world.StackId);

        broker.Terminate();
        (await socket.ReceiveCloseAsync(skipFrames: true)).ShouldBe(WebSocketCloseStatus.EndpointUnavailable);
        (await broker.WaitForExitAsync()).ShouldBe(0, broker.Output);
        await RealtimeTest.EventuallyAsync(() => !api.ConnectedAnywhere(world.AgentId), "this broker learnt of the disconnection");
    }

    private sealed class BrokerProcess : IAsyncDisposable
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

        public static async Task<BrokerProcess> StartAsync(string connectionString)
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
            start.Environment["BROKKR__LOG__LEVEL"] = "warn";
            start.Environment["BROKKR__JOBS__ENABLED"] = "false";
            start.Environment["ASPNETCORE_URLS"] = url.ToString();
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

        public void Terminate()
        {
            using var kill = Process.Start("kill", $"-TERM {_process.Id}");
            kill.WaitForExit();
        }

        public async Task<int> WaitForExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
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

        private static int FreePort()
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
}
