namespace Brokkr.Stacks.Tests.Support;

/// <summary>The callers of the identity matrix.</summary>
public enum Identity
{
    None,
    Admin,
    OwnerGenerator,
    OtherGenerator,
    TargetedAgent,
    LabelMatchedAgent,
    OtherAgent,
}

/// <summary>
/// One stack S of generator G with a label, an annotation and a revision; an agent explicitly
/// targeted at S, one that reaches S only by its label, and one that does not reach it; another
/// generator. Built once per test class.
/// </summary>
public sealed class IdentityWorld : BrokkrApiFactory, IAsyncLifetime
{
    private readonly Dictionary<Identity, string?> _paks = [];

    public Guid Owner { get; private set; }
    public Guid OtherGenerator { get; private set; }
    public Guid TargetedAgent { get; private set; }
    public Guid LabelMatchedAgent { get; private set; }
    public Guid OtherAgent { get; private set; }
    public Guid Stack { get; private set; }
    public Guid Revision { get; private set; }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var given = new Scenario(this);
        var owner = await given.GeneratorAsync();
        var other = await given.GeneratorAsync();
        var targeted = await given.AgentAsync(generatorIds: owner.Id);
        var labelMatched = await given.AgentAsync(generatorIds: owner.Id);
        var otherAgent = await given.AgentAsync(generatorIds: owner.Id);
        Stack = await given.StackAsync(owner.Id);
        await given.StackLabelAsync(Stack, "tier:web");
        await given.StackAnnotationAsync(Stack, "team", "a");
        await given.AgentLabelAsync(labelMatched.Id, "tier:web");
        await given.TargetAsync(targeted.Id, Stack);
        Revision = (await given.DeploymentObjectAsync(Stack, Wire.Yaml)).Id();

        (Owner, OtherGenerator) = (owner.Id, other.Id);
        (TargetedAgent, LabelMatchedAgent, OtherAgent) = (targeted.Id, labelMatched.Id, otherAgent.Id);
        _paks[Identity.None] = null;
        _paks[Identity.Admin] = AdminPak.Value;
        _paks[Identity.OwnerGenerator] = owner.Pak;
        _paks[Identity.OtherGenerator] = other.Pak;
        _paks[Identity.TargetedAgent] = targeted.Pak;
        _paks[Identity.LabelMatchedAgent] = labelMatched.Pak;
        _paks[Identity.OtherAgent] = otherAgent.Pak;
    }

    public HttpClient As(Identity identity) => _paks[identity] is { } pak ? WithPak(pak) : Anonymous();
}
