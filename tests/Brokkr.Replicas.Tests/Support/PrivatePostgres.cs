using System.Diagnostics;
using Npgsql;

namespace Brokkr.Replicas.Tests.Support;

/// <summary>
/// A PostgreSQL server of the test's own (eng/postgres.sh: initdb on a temporary directory, a free
/// loopback port), so that the test may stop and start it; the shared test server must never be restarted.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"brokkr-pg-{Guid.NewGuid():N}");
    private readonly int _port = BrokerProcess.FreePort();

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "postgres",
        Database = "postgres",
        Timeout = 3,
    }.ConnectionString;

    public static async Task<PrivatePostgres> StartAsync()
    {
        var server = new PrivatePostgres();
        await RunAsync($"pg_start '{server._directory}' {server._port}");
        return server;
    }

    /// <summary>A fast shutdown: open sessions are terminated, new connections refused until <see cref="StartAgainAsync"/>.</summary>
    public Task StopAsync() => RunAsync($"pg_ensure_binaries && pg_as_owner \"'$PG_BIN/pg_ctl' -D '{_directory}' -m fast -w -t 60 stop >/dev/null\"");

    public Task StartAgainAsync() => RunAsync($"pg_start '{_directory}' {_port}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync($"pg_ensure_binaries && [ ! -f '{_directory}/postmaster.pid' ] || pg_as_owner \"'$PG_BIN/pg_ctl' -D '{_directory}' -m immediate -w stop >/dev/null\"");
        }
        finally
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
    }

    private static async Task RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"set -e; source '{Path.Combine(RepositoryPaths.Root, "eng", "postgres.sh")}'; {script}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.ShouldBe(0, $"{script}: {await output}{await error}");
    }
}
