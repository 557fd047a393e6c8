using Brokkr.Contracts.Cli;
using Brokkr.Shared.Auth;
using Brokkr.Shared.Data;
using Mediator;
using CreateGeneratorFeature = Brokkr.Generators.Features.CreateGenerator;
using RotateGeneratorPakFeature = Brokkr.Generators.Features.RotateGeneratorPak;

namespace Brokkr.Generators.Handlers;

/// <summary>The host CLI's <c>create generator</c>: the API's use case, acting as admin, audited <c>via: cli</c>.</summary>
internal sealed class CreateGeneratorFromCli(BrokkrDb db, IPublisher publisher) : ICommandHandler<CreateGenerator, CliCreated>
{
    public async ValueTask<CliCreated> Handle(CreateGenerator command, CancellationToken cancellationToken)
    {
        var created = await CreateGeneratorFeature.CreateAsync(db, publisher, command.Name, command.Description, via: "cli", cancellationToken);
        return new CliCreated(created.Generator.Id, created.Pak);
    }
}

/// <summary>The host CLI's <c>rotate generator</c>: the API's rotation, acting as admin, audited <c>via: cli</c>.</summary>
internal sealed class RotateGeneratorPakFromCli(BrokkrDb db, IPublisher publisher) : ICommandHandler<RotateGeneratorPak, string>
{
    public async ValueTask<string> Handle(RotateGeneratorPak command, CancellationToken cancellationToken)
    {
        var rotated = await RotateGeneratorPakFeature.RotateAsync(db, publisher, Caller.Admin, command.GeneratorId, via: "cli", cancellationToken);
        return rotated.Pak;
    }
}
