using System.CommandLine;

namespace Brokkr.Host.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Apply migrations, bootstrap the admin PAK and serve the API (the default).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };

        // Everything after 'serve' is host configuration (--urls, --environment, --Section:key=value).
        command.SetAction((parse, _) => BrokkrApp.ServeAsync([.. parse.UnmatchedTokens]));
        return command;
    }
}
