using System.Diagnostics;

namespace Brokkr.FakeKube.Tests.Server;

/// <summary>The entry point eng/fake-kube runs: writes a kubeconfig, serves, and exits 0 on SIGTERM.</summary>
public sealed class ProcessEntryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fake-kube-process-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact(Timeout = 60_000)]
    public async Task Given_kubeconfig_argument_then_the_process_writes_it_serves_and_stops_cleanly_on_sigterm()
    {
        var kubeconfig = Path.Combine(_directory, "config");
        var entry = Path.Combine(AppContext.BaseDirectory, "Brokkr.FakeKube.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{entry}\" --kubeconfig \"{kubeconfig}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var startup = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var banner = await process.StandardOutput.ReadLineAsync(startup.Token);
            banner.ShouldNotBeNull().ShouldStartWith("fake-kube listening on http://127.0.0.1:");

            var config = await File.ReadAllTextAsync(kubeconfig);
            var server = config.Split('\n').Single(l => l.Trim().StartsWith("server:", StringComparison.Ordinal)).Trim()["server:".Length..].Trim();
            config.ShouldContain("current-context: fake-kube");
            config.ShouldContain("token: fake-kube-token");
            using var http = new HttpClient { BaseAddress = new Uri(server), Timeout = TimeSpan.FromSeconds(10) };
            (await http.GetStringAsync("/version")).ShouldContain("\"gitVersion\":\"v1.32.4\"");

            using var kill = Process.Start("kill", $"-TERM {process.Id}")!;
            await kill.WaitForExitAsync(startup.Token);
            using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(shutdown.Token);

            process.ExitCode.ShouldBe(0);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
