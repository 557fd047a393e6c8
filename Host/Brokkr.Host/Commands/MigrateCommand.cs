using System.CommandLine;

namespace Brokkr.Host.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply pending database migrations and exit.");
        command.AcceptOverrides();
        command.SetAction((parse, ct) => CommandHost.RunAsync(parse, migrate: true, async (_, output, _) =>
            await output.WriteLineAsync("Database migrations are up to date."), ct));
        return command;
    }
}
