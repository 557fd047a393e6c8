using System.Net;
using Brokkr.Testing;

namespace Brokkr.Host.Tests;

/// <summary>The walk every module builds on: tenant, cluster, stack, revision, target.</summary>
public sealed class SpineTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    [Fact]
    public async Task Given_generator_agent_and_stack_then_a_revision_can_be_targeted_at_the_agent()
    {
        var given = new Scenario(api);
        var generator = await given.GeneratorAsync();
        var agent = await given.AgentAsync(generatorIds: generator.Id);
        var stack = await given.StackAsync(generator.Id);
        await given.StackLabelAsync(stack, "env:prod");
        await given.StackAnnotationAsync(stack, "tier", "web");
        await given.AgentLabelAsync(agent.Id, "env:prod");
        await given.AgentAnnotationAsync(agent.Id, "tier", "web");
        await given.TargetAsync(agent.Id, stack);

        var revision = await given.DeploymentObjectAsync(stack, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n");

        revision.Str("yaml_checksum").ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n"u8)));
        revision["sequence_id"]!.GetValue<long>().ShouldBeGreaterThan(0);
        revision["is_deletion_marker"]!.GetValue<bool>().ShouldBeFalse();
        revision["deleted_at"].ShouldBeNull();
    }

    [Fact]
    public async Task Given_generator_pak_then_it_creates_stacks_only_for_itself()
    {
        var given = new Scenario(api);
        var mine = await given.GeneratorAsync();
        var other = await given.GeneratorAsync();
        var client = api.WithPak(mine.Pak);

        (await client.PostJsonAsync("/api/v1/stacks", new { name = Scenario.Unique("s"), generator_id = mine.Id })).StatusCode.ShouldBe(HttpStatusCode.Created);
        await (await client.PostJsonAsync("/api/v1/stacks", new { name = Scenario.Unique("s"), generator_id = other.Id }))
            .ShouldFailAsync(HttpStatusCode.Forbidden, "stack_generator_mismatch");
    }
}
