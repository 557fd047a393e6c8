using System.CommandLine;
using Brokkr.Shared.Auth;

namespace Brokkr.Host.Commands;

internal static class GeneratePakCommand
{
    public static Command Create()
    {
        var command = new Command("generate-pak", "Mint a PAK and print it with its hash, offline: nothing is written anywhere.");
        command.SetAction(async (parse, _) =>
        {
            var pak = Pak.Generate();
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"PAK:  {pak.Value}");
            await output.WriteLineAsync($"Hash: {pak.Hash}");
            await output.WriteLineAsync();
            await output.WriteLineAsync("The PAK is shown only here; keep it secret and send it as 'Authorization: Bearer <PAK>'.");
            await output.WriteLineAsync($"To make it the admin PAK, start the broker with BROKKR__BROKER__PAK_HASH={pak.Hash}");
            return 0;
        });
        return command;
    }
}
