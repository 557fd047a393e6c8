using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Brokkr.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Brokkr.Host.Tests.Lifetime;

/// <summary>
/// The broker as a real process (<c>Brokkr.Host.dll serve</c>) stopped with SIGTERM while a request is in
/// flight: it stops accepting connections, finishes the request, stops its jobs and exits with 0.
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper log) : IAsyncLifetime
{
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateEmptyAsync();

    public Task DisposeAsync() => TestDatabase.DropAsync(_database);

    [Fact]
    public async Task Given_sigterm_during_a_request_then_the_request_completes_and_the_broker_exits_with_0()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var port = BrokerProcess.FreePort();
        using var broker = Start(port);
        var output = new StringBuilder();
        broker.OutputDataReceived += (_, e) => Append(output, e.Data);
        broker.ErrorDataReceived += (_, e) => Append(output, e.Data);
        broker.BeginOutputReadLine();
        broker.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(90),
            };
            await WaitUntilServingAsync(client, broker, output);

            // The body is sent in two halves; the broker asks for it (100 Continue) only once the request is in its pipeline.
            var name = Scenario.Unique("draining");
            var body = new SlowBody($$"""{"name": "{{name}}", "description": "created while stopping"}""");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/generators") { Content = body };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BrokkrApiFactory.AdminPak.Value);
            request.Headers.ExpectContinue = true;
            var response = client.SendAsync(request);
            await body.FirstHalfSent.Task.WaitAsync(TimeSpan.FromSeconds(30));

            (await SendSignalAsync(broker.Id, "TERM")).ShouldBe(0);
            await WaitUntilRefusedAsync(port);
            broker.HasExited.ShouldBeFalse("the broker waits for the request in flight");
            body.SendRest.SetResult();

            var answered = await response;
            var text = await answered.Content.ReadAsStringAsync();
            answered.StatusCode.ShouldBe(HttpStatusCode.Created, text);
            text.ShouldContain(name);
            (await broker.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue("the broker exits once the request is done");
        }
        finally
        {
            if (!broker.HasExited)
            {
                broker.Kill(entireProcessTree: true);
            }

            log.WriteLine(output.ToString());
        }

        broker.ExitCode.ShouldBe(0, output.ToString());
        var lines = output.ToString();
        lines.ShouldContain("Stopping: no new connections");
        lines.ShouldContain("Stopped: requests finished");
        lines.ShouldContain("Brokkr broker stopped");
        lines.IndexOf("Stopping:", StringComparison.Ordinal).ShouldBeLessThan(lines.IndexOf("Stopped:", StringComparison.Ordinal));
        (await GeneratorCountAsync()).ShouldBe(1);
    }

    private Process Start(int port)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(HostAssembly());
        info.ArgumentList.Add("serve");
        foreach (var variable in info.Environment.Keys.Where(k => k.StartsWith("BROKKR", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(variable);
        }

        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["BROKKR__DATABASE__URL"] = _database;
        info.Environment["BROKKR__BROKER__PAK_HASH"] = BrokkrApiFactory.AdminPak.Hash;
        info.Environment["BROKKR__LOG__LEVEL"] = "info";
        info.Environment["BROKKR__LOG__FORMAT"] = "text";
        info.Environment["BROKKR__BROKER__SHUTDOWN_TIMEOUT_SECONDS"] = "60";
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>The host as built beside this test (same configuration), as <c>eng/run</c> would run it.</summary>
    private static string HostAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var built = Path.Combine(RepositoryPaths.Root, "Host", "Brokkr.Host", "bin", testOutput.Parent!.Name, testOutput.Name, "Brokkr.Host.dll");
        return File.Exists(built) ? built : Path.Combine(AppContext.BaseDirectory, "Brokkr.Host.dll");
    }

    private static async Task WaitUntilServingAsync(HttpClient client, Process broker, StringBuilder output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (broker.HasExited)
            {
                throw new InvalidOperationException($"The broker exited with {broker.ExitCode} before serving:\n{output}");
            }

            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The broker did not serve within 90 s:\n{output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the port refuses new connections: the broker has stopped accepting.</summary>
    private static async Task WaitUntilRefusedAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port);
            }
            catch (SocketException)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The broker kept accepting connections after SIGTERM");
            }

            await Task.Delay(100);
        }
    }

    private async Task<long> GeneratorCountAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM generators WHERE name LIKE 'draining-%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static async Task<int> SendSignalAsync(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        return kill.ExitCode;
    }

    /// <summary>A JSON body whose second half is held back until the test releases it.</summary>
    private sealed class SlowBody : HttpContent
    {
        private readonly byte[] _bytes;

        public SlowBody(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
            Headers.ContentLength = _bytes.Length;
        }

        public TaskCompletionSource FirstHalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SendRest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var half = _bytes.Length / 2;
            await stream.WriteAsync(_bytes.AsMemory(0, half));
            await stream.FlushAsync();
            FirstHalfSent.TrySetResult();
            await SendRest.Task;
            await stream.WriteAsync(_bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}

internal static class ProcessExtensions
{
    public static async Task<bool> WaitForExitAsync(this Process process, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
