namespace Brokkr.Templates.Tests.Support;

/// <summary>The callers of the identity matrix.</summary>
public enum Identity
{
    None,
    Admin,
    OwnerGenerator,
    OtherGenerator,
    Agent,
}

/// <summary>
/// A system template S (admin's) and a template T of generator G, each with a label and an
/// annotation; another generator; an agent registered with G. Built once per test class.
/// </summary>
public sealed class TemplateWorld : BrokkrApiFactory, IAsyncLifetime
{
    private readonly Dictionary<Identity, string?> _paks = [];

    public Guid Owner { get; private set; }
    public Guid SystemTemplate { get; private set; }
    public Guid OwnTemplate { get; private set; }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var given = new Scenario(this);
        var owner = await given.GeneratorAsync();
        var other = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: owner.Id);
        SystemTemplate = (await given.Admin.CreateTemplateAsync()).Id();
        await given.Admin.TemplateLabelAsync(SystemTemplate, "tier:web");
        await given.Admin.TemplateAnnotationAsync(SystemTemplate, "team", "a");
        var ownerClient = WithPak(owner.Pak);
        OwnTemplate = (await ownerClient.CreateTemplateAsync()).Id();
        await ownerClient.TemplateLabelAsync(OwnTemplate, "tier:web");
        await ownerClient.TemplateAnnotationAsync(OwnTemplate, "team", "a");

        Owner = owner.Id;
        _paks[Identity.None] = null;
        _paks[Identity.Admin] = AdminPak.Value;
        _paks[Identity.OwnerGenerator] = owner.Pak;
        _paks[Identity.OtherGenerator] = other.Pak;
        _paks[Identity.Agent] = agent.Pak;
    }

    public HttpClient As(Identity identity) => _paks[identity] is { } pak ? WithPak(pak) : Anonymous();

    public Guid Template(bool system) => system ? SystemTemplate : OwnTemplate;
}
