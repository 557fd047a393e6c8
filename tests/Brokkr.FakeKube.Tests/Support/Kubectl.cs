using System.Diagnostics;

namespace Brokkr.FakeKube.Tests.Support;

/// <summary>
/// Runs the real kubectl against a fake server, with its own kubeconfig and discovery cache so that
/// tests never share state through ~/.kube.
/// </summary>
public sealed class Kubectl : IDisposable
{
    private static readonly string? Executable = Find();
    private readonly string _directory = Directory.CreateTempSubdirectory("fake-kube-kubectl-").FullName;

    public Kubectl(FakeKubeServer server)
    {
        Kubeconfig = server.WriteKubeconfig(Path.Combine(_directory, "config"));
    }

    public static bool Available => Executable is not null;

    public static string MissingMessage =>
        Environment.GetEnvironmentVariable("BROKKR_KUBECTL") is { Length: > 0 } chosen
            ? $"BROKKR_KUBECTL names {chosen}, which does not exist"
            : "kubectl was not found at /usr/bin/kubectl or on PATH; install the Debian package 'kubectl' to run these tests";

    public string Kubeconfig { get; }

    public string WorkDirectory => _directory;

    public async Task<KubectlResult> RunAsync(string arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException(MissingMessage))
        {
            Arguments = arguments,
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.Environment["KUBECONFIG"] = Kubeconfig;
        start.Environment["KUBECACHEDIR"] = Path.Combine(_directory, "cache");
        start.Environment["HOME"] = _directory;

        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {arguments} did not finish in time; stderr: {await error}");
        }

        return new KubectlResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts kubectl and leaves it running (for --watch); the caller reads and kills it.</summary>
    public Process Start(string arguments)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException(MissingMessage))
        {
            Arguments = arguments,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.Environment["KUBECONFIG"] = Kubeconfig;
        start.Environment["KUBECACHEDIR"] = Path.Combine(_directory, "cache");
        start.Environment["HOME"] = _directory;
        return Process.Start(start)!;
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A kubectl still exiting may hold its cache; the temp folder is cleaned by the system later.
        }
    }

    /// <summary>BROKKR_KUBECTL names a specific kubectl (e.g. one of several installed versions); else /usr/bin/kubectl, else PATH.</summary>
    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("BROKKR_KUBECTL") is { Length: > 0 } chosen)
        {
            return File.Exists(chosen) ? chosen : null;
        }

        if (File.Exists("/usr/bin/kubectl"))
        {
            return "/usr/bin/kubectl";
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
    }
}
