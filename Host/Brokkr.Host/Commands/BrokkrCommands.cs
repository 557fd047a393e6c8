using System.CommandLine;

namespace Brokkr.Host.Commands;

/// <summary>
/// The host's command line: <c>serve</c> (the default), <c>migrate</c>, <c>generate-pak</c>,
/// <c>rotate</c> and <c>create</c>, as the reference broker's CLI has them.
/// </summary>
internal static class BrokkrCommands
{
    // Only these names switch to the command line; anything else (WebApplicationFactory passes
    // --environment=... and friends) is the configuration of a plain serve.
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "serve", "migrate", "generate-pak", "rotate", "create", "--help", "-h", "-?", "--version",
    };

    public static bool IsCommand(string name) => Names.Contains(name);

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand($"Brokkr broker. Without a command it serves the API (same as 'serve'). {CommandHost.OverridesHelp}")
        {
            ServeCommand.Create(),
            MigrateCommand.Create(),
            GeneratePakCommand.Create(),
            RotateCommand.Create(),
            CreateCommand.Create(),
        };
        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
        };
        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
