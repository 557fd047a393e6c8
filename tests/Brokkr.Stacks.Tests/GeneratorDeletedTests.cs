using Brokkr.Contracts.Generators;
using Brokkr.Shared.Data;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Stacks.Tests;

/// <summary>The Contracts notification <c>GeneratorDeleted</c>: the generator's stacks go as a DELETE would take them.</summary>
public sealed class GeneratorDeletedTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private readonly Scenario _given = new(api);

    private async Task PublishAsync(GeneratorDeleted notification, bool commit = true)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrokkrDb>();
        await using var transaction = await db.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(notification);
        if (commit)
        {
            await transaction.CommitAsync();
        }
    }

    [Fact]
    public async Task Generator_deletion_deletes_its_live_stacks_and_their_markers_reach_the_agents()
    {
        var doomed = await _given.GeneratorAsync();
        var survivor = await _given.GeneratorAsync();
        var label = Scenario.Unique("fleet");
        var targeted = await _given.AgentAsync(generatorIds: [doomed.Id, survivor.Id]);
        var labelled = await _given.AgentAsync(generatorIds: doomed.Id);
        var first = await _given.StackAsync(doomed.Id);
        var second = await _given.StackAsync(doomed.Id);
        var kept = await _given.StackAsync(survivor.Id);
        await _given.TargetAsync(targeted.Id, first);
        await _given.TargetAsync(targeted.Id, kept);
        await _given.StackLabelAsync(second, label);
        await _given.AgentLabelAsync(labelled.Id, label);
        await _given.DeploymentObjectAsync(first, Wire.Yaml);
        await _given.DeploymentObjectAsync(second, Wire.Yaml);
        var keptRevision = await _given.DeploymentObjectAsync(kept, Wire.Yaml);
        var deletedAt = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);

        await PublishAsync(new GeneratorDeleted(doomed.Id, deletedAt));

        await (await api.Admin().GetAsync($"/api/v1/stacks/{first}")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        await (await api.Admin().GetAsync($"/api/v1/stacks/{second}")).ShouldFailAsync(HttpStatusCode.NotFound, "stack_not_found");
        (await api.Admin().GetAsync($"/api/v1/stacks/{kept}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.QueryAsync<DateTime>("SELECT deleted_at FROM stacks WHERE id = @s", ("s", first))).ShouldBe([deletedAt]);

        var targetedState = await (await api.WithPak(targeted.Pak).GetAsync($"/api/v1/agents/{targeted.Id}/target-state")).ArrayAsync();
        targetedState.Count.ShouldBe(2);
        targetedState[0]!.Id("stack_id").ShouldBe(first);
        targetedState[0]!["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        targetedState[1]!.Id().ShouldBe(keptRevision.Id());
        var labelledState = await (await api.WithPak(labelled.Pak).GetAsync($"/api/v1/agents/{labelled.Id}/target-state")).ArrayAsync();
        labelledState.Select(o => o!.Id("stack_id")).ShouldBe([second]);
        labelledState[0]!["is_deletion_marker"]!.GetValue<bool>().ShouldBeTrue();
        (await (await api.Admin().GetAsync($"/api/v1/agents/{targeted.Id}/stacks")).ArrayAsync()).Ids().ShouldBe([kept]);
        (await (await api.Admin().GetAsync($"/api/v1/agents/{labelled.Id}/stacks")).ArrayAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Generator_deletion_is_part_of_the_publishers_transaction()
    {
        var generator = await _given.GeneratorAsync();
        var stack = await _given.StackAsync(generator.Id);

        await PublishAsync(new GeneratorDeleted(generator.Id, DateTime.UtcNow), commit: false);

        (await api.Admin().GetAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.QueryAsync<long>("SELECT count(*) FROM deployment_objects WHERE stack_id = @s", ("s", stack))).ShouldBe([0L]);
    }

    [Fact]
    public async Task Already_deleted_stacks_are_left_alone()
    {
        var generator = await _given.GeneratorAsync();
        var stack = await _given.StackAsync(generator.Id);
        (await api.Admin().DeleteAsync($"/api/v1/stacks/{stack}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await PublishAsync(new GeneratorDeleted(generator.Id, DateTime.UtcNow));

        (await api.QueryAsync<long>("SELECT count(*) FROM deployment_objects WHERE stack_id = @s AND is_deletion_marker", ("s", stack))).ShouldBe([1L]);
    }
}
