using System.Diagnostics;
using Brokkr.FakeKube;
using Microsoft.Extensions.Logging;

namespace Brokkr.Agent.EndToEnd.Tests;

internal static class Eventually
{
    public static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}");
            }

            await Task.Delay(200);
        }
    }
}

/// <summary>The real kubectl (BROKKR_KUBECTL or kubectl on the PATH) against the test's cluster.</summary>
/// <summary>The cluster under test: the one BROKKR_TEST_KUBECONFIG names, else a fake API server of the test's own.</summary>
internal static class TestKube
{
    public static async Task<(FakeKubeServer? Fake, string Kubeconfig)> StartAsync(string stateDir)
    {
        var real = Environment.GetEnvironmentVariable("BROKKR_TEST_KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(real))
        {
            return (null, real);
        }

        var fake = await FakeKubeServer.StartAsync(logging: l => l.ClearProviders());
        return (fake, fake.WriteKubeconfig(Path.Combine(stateDir, "kubeconfig")));
    }
}

internal static class Kubectl
{
    public static string Binary { get; } = Environment.GetEnvironmentVariable("BROKKR_KUBECTL") ?? "kubectl";

    public static bool Available { get; } = Probe();

    public static async Task<(int Code, string Output, string Error)> RunAsync(string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    public static async Task ApplyAsync(string kubeconfig, string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kubectl-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            var (code, output, error) = await RunAsync(kubeconfig, "apply", "--server-side", "--field-manager", "someone-else", "-f", file);
            code.ShouldBe(0, output + error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static bool Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Binary, "version --client") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            process!.WaitForExit(10_000);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>A fact that needs the real kubectl; reported as skipped (never passed) when there is none.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!Kubectl.Available)
        {
            Skip = $"kubectl ('{Kubectl.Binary}') is not installed; eng/test installs it";
        }
    }
}
