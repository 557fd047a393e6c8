using System.Globalization;
using Brokkr.FakeKube;

// eng/fake-kube runs this: start on a port (0 = free), write a kubeconfig, serve until SIGTERM or SIGINT.
var port = 0;
string? kubeconfig = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--kubeconfig" when i + 1 < args.Length:
            kubeconfig = args[++i];
            break;
        default:
            await Console.Error.WriteLineAsync($"usage: Brokkr.FakeKube --kubeconfig FILE [--port N] (unknown argument '{args[i]}')");
            return 2;
    }
}

await using var server = await FakeKubeServer.StartAsync(port);
if (kubeconfig is not null)
{
    server.WriteKubeconfig(kubeconfig);
}

Console.WriteLine($"fake-kube listening on {server.Url} (kubeconfig: {kubeconfig ?? "not written"})");
await server.WaitForShutdownAsync();
return 0;
