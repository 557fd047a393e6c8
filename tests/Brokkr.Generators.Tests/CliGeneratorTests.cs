using System.Net;
using System.Text.Json.Nodes;
using Brokkr.Contracts.Cli;
using Brokkr.Shared.Errors;
using Brokkr.Testing;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Brokkr.Generators.Tests;

/// <summary>The host CLI's generator commands go through the same use cases as the API.</summary>
public sealed class CliGeneratorTests(BrokkrApiFactory api) : IClassFixture<BrokkrApiFactory>
{
    private async Task<T> SendAsync<T>(ICommand<T> command)
    {
        await using var scope = api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command);
    }

    [Fact]
    public async Task Given_create_generator_then_the_generator_exists_and_its_pak_works()
    {
        var name = Scenario.Unique("cli");

        var created = await SendAsync(new CreateGenerator(name, "from the cli"));

        await api.ShouldAuthenticateAsGeneratorAsync(created.Pak, created.Id);
        var generator = await (await api.Admin().GetAsync($"/api/v1/generators/{created.Id}")).JsonAsync(HttpStatusCode.OK);
        generator.Str("name").ShouldBe(name);
        generator.Str("description").ShouldBe("from the cli");
        var audit = (await api.AuditAsync("generator.created", created.Id)).ShouldHaveSingleItem();
        audit.ActorType.ShouldBe("admin");
        JsonNode.DeepEquals(audit.Details, JsonNode.Parse($$"""{"name":"{{name}}","via":"cli"}""")).ShouldBeTrue(audit.Details!.ToJsonString());
        (await api.AuditAsync("pak.created", created.Id)).ShouldHaveSingleItem().Details!["via"]!.GetValue<string>().ShouldBe("cli");
    }

    [Fact]
    public async Task Given_create_generator_with_a_bad_or_taken_name_then_it_fails_like_the_api()
    {
        var taken = await new Scenario(api).GeneratorAsync();
        var takenName = (await (await api.Admin().GetAsync($"/api/v1/generators/{taken.Id}")).JsonAsync(HttpStatusCode.OK)).Str("name");

        var blank = await Should.ThrowAsync<ApiException>(() => SendAsync(new CreateGenerator(" ", null)));
        var duplicate = await Should.ThrowAsync<Exception>(() => SendAsync(new CreateGenerator(takenName, null)));

        blank.Code.ShouldBe("invalid_generator");
        DatabaseErrors.Map(duplicate)!.Code.ShouldBe("unique_violation");
    }

    [Fact]
    public async Task Given_rotate_generator_then_the_old_pak_is_refused_at_once_and_the_new_one_works()
    {
        var generator = await new Scenario(api).GeneratorAsync();
        await api.ShouldAuthenticateAsGeneratorAsync(generator.Pak, generator.Id);

        var pak = await SendAsync(new RotateGeneratorPak(generator.Id));

        await api.ShouldBeRefusedAsync(generator.Pak);
        await api.ShouldAuthenticateAsGeneratorAsync(pak, generator.Id);
        var audit = (await api.AuditAsync("pak.rotated", generator.Id)).ShouldHaveSingleItem();
        audit.ActorType.ShouldBe("admin");
        audit.ActorId.ShouldBeNull();
        audit.ResourceType.ShouldBe("generator");
        audit.Details!["via"]!.GetValue<string>().ShouldBe("cli");
        audit.Details!["generator_name"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_rotate_generator_for_an_unknown_id_then_generator_not_found()
    {
        var error = await Should.ThrowAsync<ApiException>(() => SendAsync(new RotateGeneratorPak(Guid.NewGuid())));

        error.Status.ShouldBe(404);
        error.Code.ShouldBe("generator_not_found");
    }
}
