using System.Net;
using Brokkr.Contracts.Cli;
using Brokkr.Shared.Errors;
using Brokkr.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Agents.Tests;

public sealed class CliTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private async Task<T> SendAsync<T>(ICommand<T> command)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    [Fact]
    public async Task Given_cli_create_agent_then_it_has_the_api_effects()
    {
        var generator = await _given.GeneratorAsync();
        var name = Scenario.Unique("cli");

        var created = await SendAsync<CliCreated>(new CreateAgent(name, "cli-cluster", [generator.Id]));

        var agent = await api.WithPak(created.Pak).GetAsync($"/api/v1/agents/{created.Id}").JsonAsync(HttpStatusCode.OK);
        agent.Str("name").ShouldBe(name);
        agent.Str("status").ShouldBe("INACTIVE");
        var registrations = await api.Admin().GetAsync($"/api/v1/agents/{created.Id}/registrations").JsonAsync(HttpStatusCode.OK);
        registrations.Items().Count.ShouldBe(2);
        registrations.Ids("generator_id").ShouldContain(generator.Id);
        (await Database.AuditAsync(api, "agent.created", created.Id)).ShouldHaveSingleItem();
        (await Database.AuditAsync(api, "pak.created", created.Id)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Given_cli_create_agent_with_bad_input_then_the_api_errors_apply_and_nothing_is_created()
    {
        var name = Scenario.Unique("cli-bad");

        var unknownGenerator = await Should.ThrowAsync<ApiException>(() => SendAsync<CliCreated>(new CreateAgent(name, "c", [Guid.NewGuid()])));
        var blank = await Should.ThrowAsync<ApiException>(() => SendAsync<CliCreated>(new CreateAgent(" ", "c", [])));

        unknownGenerator.Code.ShouldBe("invalid_generator_id");
        blank.Code.ShouldBe("invalid_agent");
        (await Database.ScalarAsync(api, "SELECT count(*) FROM agents WHERE name = $1", name)).ShouldBe(0L);
    }

    [Fact]
    public async Task Given_cli_rotation_then_the_new_pak_works_the_old_one_fails_at_once_and_it_is_audited()
    {
        var agent = await _given.AgentAsync();
        await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.OK);

        var pak = await SendAsync<string>(new RotateAgentPak(agent.Id));

        await api.WithPak(agent.Pak).GetAsync($"/api/v1/agents/{agent.Id}").ShouldFailAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await api.WithPak(pak).GetAsync($"/api/v1/agents/{agent.Id}").ShouldBeAsync(HttpStatusCode.OK);
        var audit = (await Database.AuditAsync(api, "pak.rotated", agent.Id)).ShouldHaveSingleItem();
        audit.ActorType.ShouldBe("admin");
        audit.ResourceType.ShouldBe("agent");
        audit.Details!["agent_name"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_cli_rotation_of_unknown_agent_then_agent_not_found()
    {
        var error = await Should.ThrowAsync<ApiException>(() => SendAsync<string>(new RotateAgentPak(Guid.NewGuid())));

        error.Code.ShouldBe("agent_not_found");
    }
}
