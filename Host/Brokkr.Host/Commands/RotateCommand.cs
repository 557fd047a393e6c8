using System.CommandLine;
using Brokkr.Auth.Features;
using Brokkr.Contracts.Cli;
using Brokkr.Shared.Configuration;
using Mediator;

namespace Brokkr.Host.Commands;

internal static class RotateCommand
{
    public static Command Create() => new("rotate", "Replace a PAK. Running brokers on the same database stop accepting the old one at once.")
    {
        Admin(),
        Owner("agent", id => new RotateAgentPak(id)),
        Owner("generator", id => new RotateGeneratorPak(id)),
    };

    private static Command Admin()
    {
        var command = new Command(
            "admin",
            "Re-apply the configured admin PAK hash (broker.pak_hash) or, without one, mint and print a new admin PAK.");
        command.AcceptOverrides();
        command.SetAction((parse, ct) => CommandHost.RunAsync(parse, migrate: true, async (services, output, token) =>
        {
            var result = await services.SendAsync(new BootstrapAdmin.Command(Rotate: true), token);
            if (result.MintedPak is null)
            {
                await output.WriteLineAsync($"Applied the configured admin PAK hash (broker.pak_hash): {result.Hash}");
                return;
            }

            var file = Path.GetFullPath(services.GetRequiredService<BrokkrSettings>().Broker.AdminPakFile);
            await output.WriteLineAsync($"Admin PAK: {result.MintedPak}");
            await output.WriteLineAsync($"It is shown once here and written to {file} (mode 0600).");
        }, ct));
        return command;
    }

    private static Command Owner(string kind, Func<Guid, ICommand<string>> request)
    {
        var id = new Argument<Guid?>("id")
        {
            Description = $"The {kind}'s id",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = CommandHost.ParseId,
        };
        var uuid = new Option<Guid?>("--uuid")
        {
            Description = $"The {kind}'s id, as the reference CLI takes it",
            CustomParser = CommandHost.ParseId,
        };
        var command = new Command(kind, $"Mint a new PAK for the {kind} and print it.") { id, uuid };
        command.AcceptOverrides();
        command.Validators.Add(result =>
        {
            var given = (result.GetResult(id) is { Tokens.Count: > 0 } ? 1 : 0) + (result.GetResult(uuid) is not null ? 1 : 0);
            if (given != 1)
            {
                result.AddError($"Give the {kind}'s id once, as <id> or as --uuid <id>.");
            }
        });
        command.SetAction((parse, ct) => CommandHost.RunAsync(parse, migrate: true, async (services, output, token) =>
        {
            var ownerId = parse.GetValue(id) ?? parse.GetValue(uuid) ?? throw new InvalidOperationException($"No {kind} id was given.");
            var pak = await services.SendAsync(request(ownerId), token);
            await output.WriteLineAsync($"Rotated the PAK of {kind} {ownerId}; the old PAK no longer authenticates.");
            await output.WriteLineAsync($"PAK: {pak}");
        }, ct));
        return command;
    }
}
