using System.CommandLine;
using System.CommandLine.Parsing;
using Brokkr.Contracts.Cli;
using Brokkr.Shared.Json;

namespace Brokkr.Host.Commands;

internal static class CreateCommand
{
    public static Command Create() => new("create", "Create an agent or a generator and print its PAK (shown once).")
    {
        Generator(),
        Agent(),
    };

    private static Command Generator()
    {
        var name = new Option<string>("--name") { Description = "The generator's name (unique)", Required = true };
        var description = new Option<string?>("--description") { Description = "What the generator is for" };
        var command = new Command("generator", "Create a generator.") { name, description };
        command.AcceptOverrides();
        command.SetAction((parse, ct) => CommandHost.RunAsync(parse, migrate: true, async (services, output, token) =>
        {
            var created = await services.SendAsync(new CreateGenerator(parse.GetRequiredValue(name), parse.GetValue(description)), token);
            await output.WriteLineAsync($"Created generator '{parse.GetRequiredValue(name)}'.");
            await WriteCreatedAsync(output, created);
        }, ct));
        return command;
    }

    private static Command Agent()
    {
        var name = new Option<string>("--name") { Description = "The agent's name", Required = true };
        var cluster = new Option<string>("--cluster-name") { Description = "The cluster the agent runs in", Required = true };
        var generators = new Option<IReadOnlyList<Guid>>("--generator-ids")
        {
            Description = "Generators to register the agent with, comma-separated (it is always registered with the system generator)",
            Arity = ArgumentArity.OneOrMore,
            CustomParser = ParseIds,
            DefaultValueFactory = _ => [],
        };
        var command = new Command("agent", "Create an agent (status INACTIVE until activated).") { name, cluster, generators };
        command.AcceptOverrides();
        command.SetAction((parse, ct) => CommandHost.RunAsync(parse, migrate: true, async (services, output, token) =>
        {
            var generatorIds = parse.GetValue(generators) ?? [];
            var created = await services.SendAsync(
                new CreateAgent(parse.GetRequiredValue(name), parse.GetRequiredValue(cluster), generatorIds), token);
            await output.WriteLineAsync($"Created agent '{parse.GetRequiredValue(name)}' in cluster '{parse.GetRequiredValue(cluster)}'.");
            await WriteCreatedAsync(output, created);
            if (generatorIds.Count > 0)
            {
                await output.WriteLineAsync($"Registered with generators: {string.Join(", ", generatorIds)}");
            }
        }, ct));
        return command;
    }

    private static async Task WriteCreatedAsync(TextWriter output, CliCreated created)
    {
        await output.WriteLineAsync($"ID:  {created.Id}");
        await output.WriteLineAsync($"PAK: {created.Pak}");
    }

    private static IReadOnlyList<Guid> ParseIds(ArgumentResult result)
    {
        var ids = new List<Guid>();
        foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!Uuid.TryParse(part, out var id))
            {
                result.AddError($"'{part}' is not a UUID.");
                return [];
            }

            ids.Add(id);
        }

        return ids;
    }
}
