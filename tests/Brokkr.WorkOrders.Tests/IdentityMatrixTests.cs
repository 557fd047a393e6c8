namespace Brokkr.WorkOrders.Tests;

public enum Identity
{
    None,
    Admin,
    Generator,
    TargetedAgent,
    OtherAgent,
}

/// <summary>A generator, an agent A that the orders target and another agent B; built once per class.</summary>
public sealed class IdentityWorld : BrokkrApiFactory, IAsyncLifetime
{
    private readonly Dictionary<Identity, string?> _paks = [];

    public Guid AgentA { get; private set; }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var given = new Scenario(this);
        var generator = await given.GeneratorAsync();
        var a = await given.AgentAsync();
        var b = await given.AgentAsync();
        AgentA = a.Id;
        _paks[Identity.None] = null;
        _paks[Identity.Admin] = AdminPak.Value;
        _paks[Identity.Generator] = generator.Pak;
        _paks[Identity.TargetedAgent] = a.Pak;
        _paks[Identity.OtherAgent] = b.Pak;
    }

    public HttpClient As(Identity identity) => _paks[identity] is { } pak ? WithPak(pak) : Anonymous();
}

public sealed class IdentityMatrixTests(IdentityWorld api) : IClassFixture<IdentityWorld>
{
    private readonly HttpClient _admin = api.Admin();

    [Theory]
    [InlineData(Identity.None, HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData(Identity.Admin, HttpStatusCode.OK, null)]
    [InlineData(Identity.Generator, HttpStatusCode.Forbidden, "admin_required")]
    [InlineData(Identity.TargetedAgent, HttpStatusCode.Forbidden, "admin_required")]
    [InlineData(Identity.OtherAgent, HttpStatusCode.Forbidden, "admin_required")]
    public async Task Admin_only_reads_refuse_everyone_else_before_any_lookup(Identity identity, HttpStatusCode status, string? code)
    {
        var order = await _admin.OrderForAsync([api.AgentA]);
        var finished = await _admin.OrderForAsync([api.AgentA]);
        await _admin.CompleteAsync(finished, new { success = true }).ShouldBeAsync(HttpStatusCode.OK);
        var client = api.As(identity);

        foreach (var url in new[] { "/api/v1/work-orders", $"/api/v1/work-orders/{order}", "/api/v1/work-order-log", $"/api/v1/work-order-log/{finished}" })
        {
            await ExpectAsync(client.GetAsync(url), status, code, url);
        }

        if (identity != Identity.Admin)
        {
            await ExpectAsync(client.GetAsync($"/api/v1/work-orders/{Guid.NewGuid()}"), status, code, "unknown order");
            await ExpectAsync(client.GetAsync($"/api/v1/work-order-log/{Guid.NewGuid()}"), status, code, "unknown log entry");
        }
    }

    [Theory]
    [InlineData(Identity.None, HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData(Identity.Admin, HttpStatusCode.Created, null)]
    [InlineData(Identity.Generator, HttpStatusCode.Forbidden, "admin_required")]
    [InlineData(Identity.TargetedAgent, HttpStatusCode.Forbidden, "admin_required")]
    [InlineData(Identity.OtherAgent, HttpStatusCode.Forbidden, "admin_required")]
    public async Task Only_admin_creates_work_orders(Identity identity, HttpStatusCode status, string? code)
    {
        var before = await api.CountAsync("SELECT count(*) FROM work_orders");

        await ExpectAsync(api.As(identity).PostJsonAsync("/api/v1/work-orders", new { work_type = "build", yaml_content = WorkOrders.Yaml, target_agent_ids = new[] { api.AgentA } }), status, code);

        (await api.CountAsync("SELECT count(*) FROM work_orders")).ShouldBe(identity == Identity.Admin ? before + 1 : before);
    }

    [Theory]
    [InlineData(Identity.None, HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData(Identity.Admin, HttpStatusCode.NoContent, null)]
    [InlineData(Identity.Generator, HttpStatusCode.Forbidden, "admin_required")]
    [InlineData(Identity.TargetedAgent, HttpStatusCode.Forbidden, "admin_required")]
    [InlineData(Identity.OtherAgent, HttpStatusCode.Forbidden, "admin_required")]
    public async Task Only_admin_deletes_work_orders_and_others_are_refused_even_for_unknown_ids(Identity identity, HttpStatusCode status, string? code)
    {
        var order = await _admin.OrderForAsync([api.AgentA]);
        var client = api.As(identity);

        await ExpectAsync(client.DeleteAsync($"/api/v1/work-orders/{order}"), status, code);

        if (identity != Identity.Admin)
        {
            await ExpectAsync(client.DeleteAsync($"/api/v1/work-orders/{Guid.NewGuid()}"), status, code, "unknown order");
            await _admin.GetAsync($"/api/v1/work-orders/{order}").ShouldBeAsync(HttpStatusCode.OK);
        }
    }

    [Theory]
    [InlineData(Identity.None, HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData(Identity.Admin, HttpStatusCode.OK, null)]
    [InlineData(Identity.TargetedAgent, HttpStatusCode.OK, null)]
    [InlineData(Identity.Generator, HttpStatusCode.Forbidden, "agent_pak_mismatch")]
    [InlineData(Identity.OtherAgent, HttpStatusCode.Forbidden, "agent_pak_mismatch")]
    public async Task Pending_list_is_for_admin_and_the_agent_itself(Identity identity, HttpStatusCode status, string? code)
    {
        var client = api.As(identity);

        await ExpectAsync(client.GetAsync($"/api/v1/agents/{api.AgentA}/work-orders/pending"), status, code);

        if (identity is Identity.Generator or Identity.OtherAgent)
        {
            await ExpectAsync(client.GetAsync($"/api/v1/agents/{Guid.NewGuid()}/work-orders/pending"), status, code, "unknown agent");
        }
    }

    [Theory]
    [InlineData(Identity.None, HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData(Identity.Admin, HttpStatusCode.OK, null)]
    [InlineData(Identity.TargetedAgent, HttpStatusCode.OK, null)]
    [InlineData(Identity.Generator, HttpStatusCode.Forbidden, "agent_pak_mismatch")]
    [InlineData(Identity.OtherAgent, HttpStatusCode.Forbidden, "agent_pak_mismatch")]
    public async Task Claims_for_an_agent_are_for_admin_and_that_agent(Identity identity, HttpStatusCode status, string? code)
    {
        var order = await _admin.OrderForAsync([api.AgentA]);
        var client = api.As(identity);

        await ExpectAsync(client.ClaimAsync(order, api.AgentA), status, code);

        if (identity is Identity.Generator or Identity.OtherAgent)
        {
            await ExpectAsync(client.ClaimAsync(Guid.NewGuid(), api.AgentA), status, code, "unknown order");
            (await _admin.GetAsync($"/api/v1/work-orders/{order}").JsonAsync(HttpStatusCode.OK)).Str("status").ShouldBe("PENDING");
        }
    }

    [Theory]
    [InlineData(Identity.None, HttpStatusCode.Unauthorized, "unauthorized")]
    [InlineData(Identity.Admin, HttpStatusCode.OK, null)]
    [InlineData(Identity.TargetedAgent, HttpStatusCode.OK, null)]
    [InlineData(Identity.Generator, HttpStatusCode.Forbidden, "work_order_not_claimed_by_agent")]
    [InlineData(Identity.OtherAgent, HttpStatusCode.Forbidden, "work_order_not_claimed_by_agent")]
    public async Task Completion_is_for_admin_and_the_claimant(Identity identity, HttpStatusCode status, string? code)
    {
        var order = await _admin.OrderForAsync([api.AgentA]);
        await api.As(Identity.TargetedAgent).ClaimAsync(order, api.AgentA).ShouldBeAsync(HttpStatusCode.OK);

        await ExpectAsync(api.As(identity).CompleteAsync(order, new { success = true }), status, code);
    }

    private static async Task ExpectAsync(Task<HttpResponseMessage> request, HttpStatusCode status, string? code, string because = "")
    {
        var response = await request;
        if (code is null)
        {
            response.StatusCode.ShouldBe(status, because + " " + await response.Content.ReadAsStringAsync());
        }
        else
        {
            await response.ShouldFailAsync(status, code);
        }
    }
}
