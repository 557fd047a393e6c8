namespace Brokkr.Host.Commands;

internal static class BrokkrCommands
{
    public static bool IsCommand(string name) => false;

    public static Task<int> RunAsync(string[] args) => Task.FromResult(0);
}
